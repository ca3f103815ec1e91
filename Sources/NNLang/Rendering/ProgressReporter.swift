import NNEngine

/// How `train` shows its progress.
public enum ProgressStyle: Equatable, Sendable {
    /// One line rewritten in place, at most ten times a second: for a person at a terminal.
    case live
    /// A plain line every `log_every` epochs, no carriage returns or escape sequences: for
    /// pipes and files, where the text must be stable.
    case lines
}

/// One redraw of the progress line, for a front end that replaces a line in place itself (a
/// notebook): sent at most ten times a second, and always for the last epoch trained.
public struct ProgressUpdate: Equatable, Sendable {
    public var epoch: Int
    public var epochs: Int
    /// The line a terminal shows live, without its carriage return and escape sequence.
    public var text: String

    public init(epoch: Int, epochs: Int, text: String) {
        self.epoch = epoch
        self.epochs = epochs
        self.text = text
    }
}

/// Shows training progress as it happens: a live line at a terminal, plain lines otherwise, or
/// updates sent to a front end that draws the line itself.
struct ProgressReporter {
    /// nil shows nothing (`quiet=true`).
    let style: ProgressStyle?
    let epochs: Int
    let logEvery: Int
    let samples: Int
    let write: (String) -> Void
    /// When set, takes the live line's updates instead of `write`, whatever the style.
    let update: ((ProgressUpdate) -> Void)?
    private var lastDrawn: Double = -1
    private var drewLive = false
    private var lastRecord: EpochRecord?
    private var lastPrinted = 0
    private let numbers = ValueFormatter(precision: 4)

    init(style: ProgressStyle?, epochs: Int, logEvery: Int, samples: Int, write: @escaping (String) -> Void,
         update: ((ProgressUpdate) -> Void)? = nil) {
        self.style = style
        self.epochs = epochs
        self.logEvery = logEvery
        self.samples = samples
        self.write = write
        self.update = update
    }

    mutating func report(_ record: EpochRecord) {
        lastRecord = record
        if let update, style != nil {
            guard record.seconds - lastDrawn >= 0.1 || record.epoch == epochs else { return }
            lastDrawn = record.seconds
            lastPrinted = record.epoch
            update(ProgressUpdate(epoch: record.epoch, epochs: epochs, text: liveLine(record)))
            return
        }
        switch style {
        case .lines:
            guard record.epoch % logEvery == 0 || record.epoch == epochs else { return }
            lastPrinted = record.epoch
            write("epoch \(record.epoch)/\(epochs): " + metrics(record) + "\n")
        case .live:
            // At most ten redraws a second, and always the last epoch.
            guard record.seconds - lastDrawn >= 0.1 || record.epoch == epochs else { return }
            lastDrawn = record.seconds
            drewLive = true
            write("\r\u{1B}[K" + liveLine(record))
        case nil:
            return
        }
    }

    /// Clears the live line, so the summary that follows starts clean; in pipe style, prints the
    /// last epoch when training stopped between two logged ones.
    mutating func finish() {
        if let update, style != nil {
            // Stopped between two updates (Ctrl-C, early stopping): the line shows where.
            if let lastRecord, lastRecord.epoch != lastPrinted {
                update(ProgressUpdate(epoch: lastRecord.epoch, epochs: epochs, text: liveLine(lastRecord)))
            }
            return
        }
        if drewLive { write("\r\u{1B}[K") }
        if style == .lines, let lastRecord, lastRecord.epoch != lastPrinted {
            write("epoch \(lastRecord.epoch)/\(epochs): " + metrics(lastRecord) + "\n")
        }
    }

    private func metrics(_ record: EpochRecord) -> String {
        var parts = ["loss \(numbers.format(record.loss))"]
        if let value = record.validationLoss { parts.append("val_loss \(numbers.format(value))") }
        if let value = record.accuracy { parts.append("accuracy \(numbers.format(value))") }
        if let value = record.validationAccuracy { parts.append("val_accuracy \(numbers.format(value))") }
        return parts.joined(separator: ", ")
    }

    private func liveLine(_ record: EpochRecord) -> String {
        let width = 20
        let done = epochs > 0 ? Int(Double(width) * Double(record.epoch) / Double(epochs)) : width
        let bar = String(repeating: "█", count: done) + String(repeating: "░", count: width - done)
        let perEpoch = record.seconds / Double(max(1, record.epoch))
        let left = perEpoch * Double(epochs - record.epoch)
        let rate = record.samplesPerSecond ?? Double(samples * record.epoch) / max(record.seconds, 1e-9)
        return "epoch \(record.epoch)/\(epochs) \(bar) \(metrics(record)), \(Int(rate)) samples/s, \(numbers.format(left)) s left"
    }
}
