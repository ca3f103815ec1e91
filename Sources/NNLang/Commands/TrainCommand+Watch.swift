import NNEngine

// Training you can watch: `train … watch=boundary|loss|neurons [watch_every=N]` redraws the
// picture as the network learns: in place at a terminal, as one display a notebook updates, or
// once at the end in a pipe, where the text must be stable.

/// A picture redrawn while training: what `watch=` names, the epochs it is drawn at, and where.
struct TrainingWatch {
    enum Subject: String, CaseIterable {
        case boundary, loss, neurons
    }

    /// Where the frames go.
    enum Mode {
        /// Redrawn in place, the cursor moved back up over the last frame.
        case terminal
        /// One display in a front end (a notebook), replaced by each frame.
        case display((PictureUpdate) -> Void)
        /// Drawn once, when training ends (a pipe, a file, a front end that cannot update).
        case atEnd
    }

    /// The share of training's wall time the default rate lets drawing take: a due frame is
    /// skipped while drawing has taken more.
    static let drawingBudget = 0.03
    /// Frames a run draws by default.
    static let defaultFrames = 40
    /// A notebook's display is replaced at most this often, in seconds: each frame is a whole SVG.
    static let displayInterval = 0.25
    /// The longest the default rate goes without a frame, in seconds.
    static let longestPause = 1.0
    /// The tallest picture redrawn in place: a taller one would scroll off a terminal, where the
    /// cursor cannot go back up over it, so it is drawn once at the end instead.
    static let tallestInPlace = 50

    let subject: Subject
    /// A frame every `every` epochs (and always the last).
    let every: Int
    /// Whether frames are skipped to keep within `drawingBudget` (the default rate; an explicit
    /// watch_every= draws every frame it asks for).
    let budgeted: Bool
    let epochs: Int
    private(set) var mode: Mode
    private let invocation: Invocation
    private let terminal: TerminalPlot
    private let start = ContinuousClock.now
    private var drawing = Duration.zero
    private var lastShown: ContinuousClock.Instant?
    private var history: [EpochRecord] = []
    private var framesDrawn = 0
    private var linesOnScreen = 0
    private var lastDrawnEpoch = -1

    /// The watch `watch=` asks for, or nil. `mode` is chosen from the session: a front end that
    /// updates displays, a live terminal, or else the end only.
    init?(_ invocation: Invocation, epochs: Int) throws(Diagnostic) {
        guard let word = try invocation.givenWord("watch"), let subject = Subject(rawValue: word) else { return nil }
        let session = invocation.session
        self.subject = subject
        self.epochs = epochs
        self.invocation = invocation
        let given = try invocation.givenWholeNumber("watch_every")
        every = given ?? max(1, Int((Double(epochs) / Double(Self.defaultFrames)).rounded(.up)))
        budgeted = given == nil
        if let update = session.emitPictureUpdate {
            mode = .display(update)
        } else if session.emitPicture == nil, session.progressStyle == .live {
            mode = .terminal
        } else {
            mode = .atEnd
        }
        terminal = TerminalPlot(width: invocation.settings.plotWidth, height: nil, charset: invocation.settings.charset,
                                coloured: session.palette.isEnabled)
    }

    /// Whether the live progress line should be drawn: not under a picture redrawn in place.
    var hidesProgress: Bool {
        if case .terminal = mode { return true }
        return false
    }

    /// Checks that the picture can be drawn before training starts (two inputs, classes for
    /// boundary), and at a terminal or in a notebook shows it before the first epoch.
    mutating func begin(_ network: Network) throws(Diagnostic) {
        let picture = try self.picture(of: network, at: nil)
        if case .atEnd = mode { return }
        if case .terminal = mode, terminal.render(picture).count > Self.tallestInPlace {
            mode = .atEnd
            return
        }
        show(picture)
    }

    /// Notes an epoch's record, for the loss curve and the titles.
    mutating func note(_ record: EpochRecord) {
        if subject == .loss { history.append(record) }
    }

    /// Whether the frame of `epoch` is due. The last epoch's is drawn by `finish`.
    /// By default also when a second has gone by since the last frame, so that a long run (or
    /// one stopped early with Ctrl-C) is seen to move between its forty frames.
    func isDue(_ epoch: Int) -> Bool {
        if case .atEnd = mode { return false }
        guard epoch < epochs else { return false }
        let now = ContinuousClock.now
        let dueByTime = budgeted && lastShown.map { Self.seconds(now - $0) >= Self.longestPause } == true
        guard epoch % every == 0 || dueByTime else { return false }
        if case .display = mode, let lastShown, Self.seconds(now - lastShown) < Self.displayInterval { return false }
        guard budgeted else { return true }
        return Self.seconds(drawing) <= Self.drawingBudget * Self.seconds(now - start)
    }

    /// Draws the frame of `record` with the network as it stands.
    mutating func draw(_ record: EpochRecord, network: Network) {
        let began = ContinuousClock.now
        // The picture was drawn once before training: it cannot fail now.
        if let picture = try? picture(of: network, at: record) { show(picture) }
        lastDrawnEpoch = record.epoch
        drawing += ContinuousClock.now - began
    }

    /// The last frame, of the network training ended with: drawn in place, as the display's
    /// last update, or (in a pipe) the one picture.
    mutating func finish(_ network: Network, last record: EpochRecord?) {
        if let record, record.epoch == lastDrawnEpoch { return }
        if let picture = try? picture(of: network, at: record) { show(picture) }
    }

    // MARK: - Drawing

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    private mutating func show(_ picture: Picture) {
        framesDrawn += 1
        defer { lastShown = ContinuousClock.now }
        switch mode {
        case .terminal:
            let lines = terminal.render(picture)
            // Back up over the last frame, redraw each line whole, and clear what is left below.
            var text = linesOnScreen > 0 ? "\r\u{1B}[\(linesOnScreen)A" : ""
            for line in lines { text += "\u{1B}[2K" + line + "\n" }
            text += "\u{1B}[J"
            invocation.session.output(text)
            linesOnScreen = lines.count
        case .display(let update):
            update(PictureUpdate(svg: SVGPlot.render(picture), isFirst: framesDrawn == 1))
        case .atEnd:
            if let show = invocation.session.emitPicture {
                show(SVGPlot.render(picture))
            } else {
                terminal.render(picture).forEach(invocation.write)
            }
        }
    }

    /// The picture of `network` after `record`'s epoch (before training when nil), titled with
    /// the epoch and the loss.
    private func picture(of network: Network, at record: EpochRecord?) throws(Diagnostic) -> Picture {
        let numbers = ValueFormatter(precision: 4)
        let forTerminal: Bool
        if case .display = mode { forTerminal = false } else { forTerminal = invocation.session.emitPicture == nil }
        let dot = forTerminal && terminal.charset == .ascii ? " - " : " · "
        let suffix = dot + (record.map { "epoch \($0.epoch)/\(epochs), loss \(numbers.format($0.loss))" } ?? "epoch 0/\(epochs)")
        let span = invocation.option("watch")?.value.span ?? invocation.span
        switch subject {
        case .boundary:
            let size: (columns: Int, rows: Int) = forTerminal ? TerminalPlot.regionCanvasSize(width: terminal.width, height: nil)
                : (SVGPlot.regionResolution, SVGPlot.regionResolution)
            guard case .regions(var plot) = try PlotCommand.regionPicture(columns: size.columns, rows: size.rows, network: network, invocation, span: span)
            else { preconditionFailure("a region picture") }
            plot.title += suffix
            return .regions(plot)
        case .neurons:
            var size = PlotCommand.neuronMapSize(single: false, layers: network.layers.count, terminal: forTerminal ? terminal : nil, height: nil)
            if case .terminal = mode {
                // Small enough maps that the tallest layer's column fits in place: a name line and
                // the rows of each map, under the title and the two heading lines, over the legend.
                let tallest = network.layers.map(\.units).max() ?? 1
                size.rows = min(size.rows, max(3, (Self.tallestInPlace - 5) / tallest - 1))
                size.columns = min(size.columns, 2 * size.rows)
            }
            var plot = try PlotCommand.neuronPicture(columns: size.columns, rows: size.rows, network: network, invocation, span: span)
            plot.title += suffix
            return .neurons(plot)
        case .loss:
            let points = history.map { LinePlot.Point(x: Double($0.epoch), y: $0.loss) }
            var series = [LinePlot.Series(name: "training loss", points: points)]
            if history.contains(where: { $0.validationLoss != nil }) {
                series.append(.init(name: "validation loss", points: history.map { .init(x: Double($0.epoch), y: $0.validationLoss ?? .nan) }))
            }
            return .lines(LinePlot(title: "loss by epoch" + suffix, xLabel: "epoch", yLabel: "loss (\(invocation.workspace.loss.name))",
                                   series: series, xRange: 1...Double(max(2, epochs))))
        }
    }
}

/// One frame of a picture redrawn in place by a front end that shows images (a notebook): the
/// first of a `train … watch=` opens a display, each later one replaces it.
public struct PictureUpdate: Equatable, Sendable {
    /// A standalone SVG document.
    public var svg: String
    /// Whether this frame opens a new display rather than replacing the last one.
    public var isFirst: Bool

    public init(svg: String, isFirst: Bool) {
        self.svg = svg
        self.isFirst = isFirst
    }
}

// MARK: - The options

extension TrainCommand {
    static let watchAndRunOptions: [OptionSpec] = [
        OptionSpec("run", "NAME", "keep this run's history under NAME (history NAME, plot loss runs=[…])", .expression(),
                   default: .described("kept as the last run only")),
        OptionSpec("watch", "WHAT", "redraw boundary, loss or neurons as the network trains", .word(TrainingWatch.Subject.allCases.map(\.rawValue)),
                   default: .described("none")),
        OptionSpec("watch_every", "N", "with watch=, a picture every N epochs", .wholeNumber(1...1_000_000_000),
                   default: .described("about \(TrainingWatch.defaultFrames) a run and one a second, skipped while drawing takes over \(Int(TrainingWatch.drawingBudget * 100))% of the time"),
                   appliesWhen: Applicability("train … watch=WHAT") { invocation throws(Diagnostic) in invocation.isGiven("watch") }),
    ]

    static let watchAndRunDetails = [
        "watch=boundary, loss or neurons: on a terminal the picture is redrawn in place as training goes, its title",
        "giving the epoch and the loss (the progress line gives way to it); in a notebook one display is updated;",
        "in a pipe or file (or when taller than \(TrainingWatch.tallestInPlace) lines) it is drawn once, at the end. run=NAME keeps the run's history under NAME (replacing a",
        "run of that name). Runs outlive 'clear', as snapshots do, so that networks built one after another can be",
        "compared; 'undo' of the train takes its run back.",
    ]

    static let watchAndRunExamples = [
        "train epochs=500 watch=boundary", "train epochs=300 watch=neurons watch_every=10",
        "train epochs=200 optimizer=adam lr=0.01 run=adam",
    ]

    /// The name `run=` gives the run: a bare name other than `last` and `all`.
    static func runName(_ invocation: Invocation) throws(Diagnostic) -> String? {
        guard let option = invocation.option("run") else { return nil }
        guard let name = option.value.bareName, name != Workspace.lastRunName, name != Workspace.allRunsName else {
            throw Diagnostic(.expectedValue(what: "a name for the run (not 'last' or 'all')", got: ExpressionText.text(option.value)),
                             at: option.value.span)
        }
        return name
    }
}
