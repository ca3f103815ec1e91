import NNEngine

// The picture commands: plot (loss curves, activations, decision regions, matrices, functions
// of x) and draw (the network), in the terminal or to a file; and the settings they read.

/// plot WHAT [to "FILE"] [from=X] [to=X] [width=N] [height=N]
///
/// WHAT is read as a word first (loss, boundary, an activation's name), then as an expression:
/// a matrix or vector is a heat map; an expression with one free name is a curve over that
/// name (`plot sigmoid(x) * 2`).
struct PlotCommand: Command {
    let spec = CommandSpec(
        "plot", .inspection, "draw the loss, an activation, decision regions, neuron maps, a matrix or a function",
        positional: [
            ArgumentSpec("WHAT", "what to plot: loss, boundary, an activation, a matrix or an expression of x", .value),
            ArgumentSpec("to \"FILE\"", "'to' and a file name", .value, optional: true),
            ArgumentSpec("", "a file name in quotes", .value, optional: true),
        ],
        options: [
            OptionSpec("from", "X", "the first x: of z for an activation, of the epochs for loss; [x, y] for two variables", .expression(),
                       default: .described("-4, or the first epoch"), appliesWhen: PlotCommand.curvesOnly),
            OptionSpec("to", "X", "the last x; [x, y] for two variables", .expression(),
                       default: .described("4, or the last epoch"), appliesWhen: PlotCommand.curvesOnly),
            OptionSpec("width", "N", "columns in the terminal", .wholeNumber(Settings.plotWidthRange),
                       default: .described("the terminal's, or 'set width'"), appliesWhen: PlotCommand.terminalOnly),
            OptionSpec("height", "N", "rows of the canvas in the terminal", .wholeNumber(4...200),
                       default: .described("from the width"), appliesWhen: PlotCommand.terminalOnly),
        ] + PlotCommand.surfaceOptions + PlotCommand.neuronOptions + PlotCommand.runOptions,
        details: [
            "loss: the training (and validation) loss of every epoch of the last 'train'.",
            "boundary: for data with two inputs, the class the network predicts over the plane, paler near",
            "the boundary, with the samples drawn over it; test samples (after 'split') marked differently.",
            "An activation's name: the function and its derivative. A matrix or vector (W1, b2, any value):",
            "a heat map, negative orange and positive blue, with its scale.",
            "An expression of one variable: a curve over from=…to=. The variable is the expression's one",
            "name that is not a variable, a parameter or loss (x in sigmoid(x) * 2, t in t * t). If every",
            "name has a value, x is the variable when the expression reads it.",
            "An expression of two variables (x^2 + 10*y^2; the first in alphabetical order across): its values",
            "coloured in bands between contour levels, over from=…to= on both axes (-4 to 4; from=[x0, y0] to=[x1, y1]",
            "for each its own); a point without a value is left blank. path=P or paths=[P1, P2] draws descend's paths over it",
            "(on a curve, a path of one column is drawn as its points on the curve).",
            "In the terminal: braille (or ASCII after 'set charset ascii'), colour on a colour terminal.",
            "to \"FILE.svg\" writes a standalone SVG picture instead, replacing the file whole.",
        ] + PlotCommand.neuronDetails + PlotCommand.runDetails,
        examples: [
            "plot loss", "plot sigmoid from=-6 to=6", "plot boundary", "plot W1",
            "plot sigmoid(x) * 2 from=-3 to=3", "plot loss to \"loss.svg\"",
            "plot x^2 + 10*y^2 from=[-5, -3] to=[5, 3] path=path",
        ] + PlotCommand.neuronExamples + PlotCommand.runExamples)

    /// from= and to= bound the x axis of a curve; decision regions and heat maps have none.
    static let curvesOnly = Applicability("plot loss, activations and expressions of one or two variables") { invocation throws(Diagnostic) in
        try subject(of: invocation).isCurve
    }

    /// width= and height= size the terminal's canvas; an SVG file has its own size.
    static let terminalOnly = Applicability("pictures in the terminal") { invocation throws(Diagnostic) in
        // A display of SVG (a notebook) accepts and ignores them, so a lab sheet runs unchanged there.
        if case .file = try PictureDestination(invocation, from: 1) { return false }
        return true
    }

    /// Points across a plot: enough for a smooth curve at any terminal width.
    static let curveSamples = 401

    /// What WHAT names.
    enum Subject {
        case loss
        case boundary
        /// Every hidden and output unit's activation over the plane.
        case neurons
        case activation(String)
        /// An expression drawn as a curve over its one variable.
        case curve(variable: String)
        /// A matrix or vector, drawn as a heat map.
        case heatMap(Value)
        /// An expression of two variables over the plane, x across.
        case surface(x: String, y: String)

        var isCurve: Bool {
            switch self {
            case .loss, .activation, .curve, .surface: true
            case .boundary, .neurons, .heatMap: false
            }
        }
    }

    /// What to draw. The variable of an expression is its one free name: a name that is not a
    /// parameter, `loss`, a function or a variable. With no free name, a matrix or vector is
    /// drawn as it is, and a number is a curve over `x` if the expression reads `x` (which the
    /// plot then shadows).
    static func subject(of invocation: Invocation) throws(Diagnostic) -> Subject {
        let what = invocation.statement.positional[0]
        switch what.bareName {
        case "loss": return .loss
        case "boundary": return .boundary
        case "neurons": return .neurons
        case let name? where Activation.names.contains(name): return .activation(name)
        default: break
        }
        let session = invocation.session
        let names = ExpressionText.names(in: what)
        let free = names.filter { name in
            ParameterReference.split(name) == nil && name != "loss" && session.variables[name] == nil && Builtins.function(named: name) == nil
                && Builtins.constants[name] == nil
        }
        if free.count == 2 {
            let sorted = free.sorted()
            return .surface(x: sorted[0], y: sorted[1])
        }
        guard free.count <= 1 else {
            throw Diagnostic(.plotTakesOneVariable(names: free), at: what.span)
        }
        if let name = what.bareName, free == [name], let suggestion = likelyTypo(name, session: session) {
            throw Diagnostic(.unknownName(name, suggestion: suggestion), at: what.span)
        }
        if let variable = free.first { return .curve(variable: variable) }
        let value = try invocation.evaluate(what)
        switch value {
        case .matrix, .vector:
            return .heatMap(value)
        case .scalar where names.contains("x"):
            return .curve(variable: "x")
        case .scalar, .text:
            throw Diagnostic(.expectedValue(what: "something to draw: loss, boundary, an activation, a matrix, or an expression of x such as sigmoid(x)",
                                            got: session.messageText(value)), at: what.span)
        }
    }

    /// A lone free name one edit from a plot word or a known name (`plot lost`) is a typo, not
    /// y = x; names of one or two letters (x, t, xs) are variables to draw over.
    private static func likelyTypo(_ name: String, session: Session) -> String? {
        guard name.count > 2 else { return nil }
        let known = ["loss", "boundary", "neurons"] + Activation.names + Builtins.names + Array(session.variables.keys) + Array(session.functions.keys)
        return Suggestion.closest(to: name, among: known.filter { Suggestion.editDistance(name.lowercased(), $0.lowercased()) <= 1 })
    }

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let destination = try PictureDestination(invocation, from: 1)
        if case .file(let path, let pathSpan) = destination, !path.lowercased().hasSuffix(".svg") {
            throw Diagnostic(.expectedValue(what: "a file name ending in .svg", got: "'\(path)'"), at: pathSpan)
        }
        let width = try invocation.givenWholeNumber("width") ?? invocation.settings.plotWidth
        let height = try invocation.givenWholeNumber("height")
        let terminal = TerminalPlot(width: width, height: height, charset: invocation.settings.charset, coloured: invocation.session.palette.isEnabled)

        let what = invocation.statement.positional[0]
        let picture: Picture
        switch try Self.subject(of: invocation) {
        case .loss where invocation.isGiven("runs"):
            picture = try runsPicture(invocation, span: what.span)
        case .loss:
            picture = try lossPicture(invocation, span: what.span)
        case .boundary where Self.isGivenUnit(invocation), .neurons:
            let only = try Self.chosenUnit(invocation, span: what.span)
            let layers = try invocation.workspace.requireLayers(command: only == nil ? "plot neurons" : "plot boundary", span: what.span).layers.count
            let size = Self.neuronMapSize(single: only != nil, layers: layers, terminal: destination.isTerminal ? terminal : nil, height: height)
            picture = .neurons(try Self.neuronPicture(columns: size.columns, rows: size.rows, only: only, invocation, span: what.span))
        case .boundary:
            let size: (columns: Int, rows: Int)
            if case .terminal = destination {
                size = TerminalPlot.regionCanvasSize(width: width, height: height)
            } else {
                size = (SVGPlot.regionResolution, SVGPlot.regionResolution)
            }
            picture = try Self.regionPicture(columns: size.columns, rows: size.rows, invocation, span: what.span)
        case .activation(let name):
            picture = try activationPicture(name, invocation, span: what.span)
        case .curve(let variable):
            picture = try curve(what, over: variable, title: ExpressionText.text(what), invocation)
        case .heatMap(let value):
            picture = heatMap(value, of: what, convention: invocation.settings.convention)
        case .surface(let x, let y):
            let size: (columns: Int, rows: Int) = destination.isTerminal ? TerminalPlot.regionCanvasSize(width: width, height: height)
                                                                          : (SVGPlot.surfaceResolution, SVGPlot.surfaceResolution)
            picture = try surface(what, x: x, y: y, columns: size.columns, rows: size.rows, invocation)
        }
        switch destination {
        case .terminal:
            terminal.render(picture).forEach(invocation.write)
        case .display(let show):
            show(SVGPlot.render(picture))
        case .file(let path, let pathSpan):
            try invocation.writePicture(SVGPlot.render(picture), to: path, span: pathSpan)
        }
    }

    /// The range of `from=` and `to=`, or the default.
    func range(_ invocation: Invocation, default defaultRange: ClosedRange<Double>, axis: Int = 0, axes: Int = 1) throws(Diagnostic) -> ClosedRange<Double> {
        let from = try Self.givenEnd("from", axis: axis, axes: axes, invocation) ?? defaultRange.lowerBound
        let to = try Self.givenEnd("to", axis: axis, axes: axes, invocation) ?? defaultRange.upperBound
        guard from < to else {
            let formatter = invocation.formatter
            throw Diagnostic(.settingOutOfRange(setting: "from", range: "less than to=\(formatter.format(to))", got: formatter.format(from)),
                             at: invocation.option("from")?.value.span ?? invocation.option("to")?.value.span ?? invocation.statement.nameSpan)
        }
        // -1e308 to 1e308 is in order, but no sample or tick between them could be computed.
        guard abs(from) <= AxisScale.largestEnd, abs(to) <= AxisScale.largestEnd else {
            let formatter = invocation.formatter
            throw Diagnostic(.rangeTooWide(from: formatter.format(from), to: formatter.format(to), limit: formatter.format(AxisScale.largestEnd)),
                             at: invocation.option("to")?.value.span ?? invocation.option("from")?.value.span ?? invocation.statement.nameSpan)
        }
        return from...to
    }

    private func samples(_ range: ClosedRange<Double>) -> [Double] {
        let count = Self.curveSamples
        return (0..<count).map { range.lowerBound + (range.upperBound - range.lowerBound) * (Double($0) / Double(count - 1)) }
    }

    // MARK: - What to plot

    /// The training loss of every epoch of the last `train`, and the validation loss when there was one.
    private func lossPicture(_ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> Picture {
        let history = invocation.workspace.trainingHistory
        guard let first = history.first, let last = history.last else { throw Diagnostic(.nothingTrained, at: span) }
        let epochs = try range(invocation, default: Double(first.epoch)...Double(max(last.epoch, first.epoch + 1)))
        let records = history.filter { epochs.contains(Double($0.epoch)) }
        var series = [LinePlot.Series(name: "training loss", points: records.map { .init(x: Double($0.epoch), y: $0.loss) })]
        if records.contains(where: { $0.validationLoss != nil }) {
            series.append(.init(name: "validation loss", points: records.map { .init(x: Double($0.epoch), y: $0.validationLoss ?? .nan) }))
        }
        return .lines(LinePlot(title: "loss by epoch", xLabel: "epoch", yLabel: "loss (\(invocation.workspace.loss.name))", series: series))
    }

    /// φ(z) and φ'(z) over the range.
    private func activationPicture(_ name: String, _ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> Picture {
        guard let activation = Activation(name: name), activation.isElementwise else {
            throw Diagnostic(.expectedValue(what: "an elementwise activation (softmax mixes its inputs: see explain grad)", got: name), at: span)
        }
        let zRange = try range(invocation, default: -4...4)
        let zs = samples(zRange)
        return .lines(LinePlot(title: "\(name) and its derivative", xLabel: "z", yLabel: "", series: [
            .init(name: "\(name)(z)", points: zs.map { .init(x: $0, y: activation.value($0)) }),
            .init(name: "\(name)'(z)", points: zs.map { .init(x: $0, y: activation.derivative($0)) }),
        ], xRange: zRange))
    }

    /// A matrix or vector as a heat map; a weight matrix's rows are the neurons of its layer,
    /// its columns their inputs.
    private func heatMap(_ value: Value, of expression: Expression, convention: WeightConvention) -> Picture {
        let title = ExpressionText.text(expression)
        guard case .matrix(let matrix) = value else {
            let elements = value.elements
            return .matrix(MatrixPlot(title: "\(title) (\(elements.count))", values: [elements], rowLabel: "", columnLabel: "element"))
        }
        let rows = matrix.rowArrays
        let shape = "\(rows.count)×\(rows.first?.count ?? 0)"
        if let name = expression.bareName, name.first == "W", let layer = Int(name.dropFirst()) {
            let units = "neuron of layer \(layer)", inputs = layer == 1 ? "input" : "neuron of layer \(layer - 1)"
            let byRows = convention == .rows  // W as inputs × units
            return .matrix(MatrixPlot(title: "\(title) (\(shape))", values: rows, rowLabel: byRows ? inputs : units,
                                      columnLabel: byRows ? units : inputs))
        }
        return .matrix(MatrixPlot(title: "\(title) (\(shape))", values: rows, rowLabel: "row", columnLabel: "column"))
    }

    /// The expression evaluated with `variable` bound to each point of the range. A point where
    /// it has no value (log of a negative number) is a gap; none at all is the first error.
    private func curve(_ expression: Expression, over variable: String, title: String, _ invocation: Invocation) throws(Diagnostic) -> Picture {
        let xRange = try range(invocation, default: -4...4)
        let xs = samples(xRange)
        let session = invocation.session
        let saved = session.variables[variable]
        defer { session.variables[variable] = saved }
        var points: [LinePlot.Point] = []
        var firstError: Diagnostic?
        for x in xs {
            session.variables[variable] = .scalar(x)
            let value: Value
            do throws(Diagnostic) {
                value = try session.evaluate(expression)
            } catch {
                firstError = firstError ?? error
                points.append(.init(x: x, y: .nan))
                continue
            }
            // A one-element vector counts as a number: predict([x]) of a network with one output.
            let elements = value.elements
            if case .text = value { throw Diagnostic(.expectedValue(what: "a number at each \(variable) to plot", got: "a string"), at: expression.span) }
            guard elements.count == 1 else {
                throw Diagnostic(.expectedValue(what: "a number at each \(variable) to plot", got: value.shapeDescription), at: expression.span)
            }
            points.append(.init(x: x, y: elements[0].isFinite ? elements[0] : .nan))
        }
        if let firstError, !points.contains(where: { $0.y.isFinite }) { throw firstError }
        let paths = try pathSeries(expression, over: variable, within: xRange, invocation)
        return .lines(LinePlot(title: title, xLabel: variable, yLabel: "", series: [.init(name: title, points: points)] + paths, xRange: xRange))
    }

    /// The classes the network (the workspace's, or `given`) predicts over the plane of the
    /// data's two inputs, with the samples: a grid in the data's own (raw) units, normalized as
    /// every input is.
    static func regionPicture(columns: Int, rows: Int, network given: Network? = nil, _ invocation: Invocation,
                              span: SourceSpan) throws(Diagnostic) -> Picture {
        let command = "plot boundary"
        let workspace = invocation.workspace
        let network: Network
        if let given { network = given } else { network = try workspace.requireLayers(command: command, span: span) }
        let plane = try InputPlane(workspace, network: network, command: command, span: span)
        let data = plane.data
        guard data.isClassification else { throw Diagnostic(.notClassification(command: command), at: span) }
        let outputs = network.wholeDataPredict(try invocation.session.preparedInputs(plane.grid(columns: columns, rows: rows), span: span))
        let classCount = max(2, data.classNames.count)
        let cells = (0..<outputs.rows).map { RegionPlot.Cell(classOf: outputs.row($0), classCount: classCount) }
        return .regions(RegionPlot(title: "decision regions" + plane.titleSuffix, xLabel: plane.xLabel, yLabel: plane.yLabel, x: plane.x, y: plane.y,
                                   classNames: data.classNames, rows: rows, columns: columns, cells: cells,
                                   samples: plane.samples(classCount: classCount)))
    }
}

// MARK: - draw

/// draw [to "FILE"]: the network in the terminal, or as Graphviz DOT (.dot, .gv) or SVG.
struct DrawCommand: Command {
    let spec = CommandSpec(
        "draw", .network, "draw the network: neurons in columns, with the weights of small networks",
        positional: [
            ArgumentSpec("to \"FILE\"", "'to' and a file name", .value, optional: true),
            ArgumentSpec("", "a file name in quotes", .value, optional: true),
        ],
        details: [
            "In the terminal: a column of neurons per layer, named as 'explain' names them; a network of at most",
            "\(NetworkDrawing.labelledParameterLimit) parameters also shows each bias and what each neuron computes from its inputs.",
            "to \"FILE.dot\" (or .gv): Graphviz DOT with every neuron and every weight as a labelled edge, biases as",
            "edges from a node '1', as R's neuralnet draws (dot -Tpng net.dot -o net.png). to \"FILE.svg\": the same as SVG.",
        ],
        examples: ["draw", "draw to \"net.dot\"", "draw to \"net.svg\""])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let network = try invocation.workspace.requireLayers(command: "draw", span: invocation.span)
        let drawing = NetworkDrawing(network: network, notationChoice: invocation.settings.notation, convention: invocation.settings.convention)
        let destination = try PictureDestination(invocation, from: 0)
        switch destination {
        case .terminal:
            drawing.terminalLines(charset: invocation.settings.charset).forEach(invocation.write)
        case .display(let show):
            show(drawing.svg())
        case .file(let path, let pathSpan):
            let lowered = path.lowercased()
            if lowered.hasSuffix(".dot") || lowered.hasSuffix(".gv") {
                try invocation.writePicture(drawing.dot(), to: path, span: pathSpan)
            } else if lowered.hasSuffix(".svg") {
                try invocation.writePicture(drawing.svg(), to: path, span: pathSpan)
            } else {
                throw Diagnostic(.expectedValue(what: "a file name ending in .dot, .gv or .svg", got: "'\(path)'"), at: pathSpan)
            }
        }
    }
}

// MARK: - Where a picture goes

/// Where a picture goes: the terminal, a front end that shows SVG (`Session.emitPicture`), or
/// a file whose format its extension says.
enum PictureDestination {
    case terminal
    case display((String) -> Void)
    case file(path: String, span: SourceSpan)

    var isTerminal: Bool {
        if case .terminal = self { return true }
        return false
    }

    /// The file after a bare `to` among the positional arguments from `index` on, if any.
    /// (`to=` with a value is the range option; `to "FILE"` names where the picture goes.)
    /// Without one, the session's picture display if it has one, else the terminal.
    init(_ invocation: Invocation, from index: Int) throws(Diagnostic) {
        let rest = Array(invocation.statement.positional.dropFirst(index))
        guard let first = rest.first else {
            self = invocation.session.emitPicture.map { .display($0) } ?? .terminal
            return
        }
        guard first.bareName == "to" else {
            let found: String
            if case .string = first.kind { found = "a file name: write to \"FILE\"" } else { found = first.bareName.map { "'\($0)'" } ?? "an expression" }
            throw Diagnostic(.expected("'to' before a file name", found: found), at: first.span)
        }
        guard rest.count > 1, case .string(let path) = rest[1].kind, !path.isEmpty else {
            let place = rest.count > 1 ? rest[1].span : first.span
            throw Diagnostic(.missingArgument(command: invocation.statement.name, what: "a file name in quotes after 'to'"), at: place)
        }
        self = .file(path: path, span: rest[1].span)
    }
}

extension Invocation {
    /// Writes a picture's text to its file, whole, and says so.
    fileprivate func writePicture(_ text: String, to path: String, span: SourceSpan) throws(Diagnostic) {
        if case .failure(let error) = FileAccess.writeFile(path, Array(text.utf8)) {
            throw Diagnostic(.file(error), at: span)
        }
        write("saved \(path)")
    }
}
