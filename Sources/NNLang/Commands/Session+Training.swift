import NNEngine

/// How `train` shows its progress.
public enum ProgressStyle: Equatable, Sendable {
    /// One line rewritten in place, at most ten times a second: for a person at a terminal.
    case live
    /// A plain line every `log_every` epochs, no carriage returns or escape sequences: for
    /// pipes and files, where the text must be stable.
    case lines
}

/// Training: `train` with its optimizers, schedules and stop conditions, `optimizer`, `init`,
/// and the measurements after it: `history`, `evaluate`, `confusion`.
extension Session {
    // MARK: - train

    /// train [epochs=N] [lr=X] [batch=N|all] [shuffle=B] [optimizer=NAME …] [schedule=NAME …]
    ///       [target_loss=X] [patience=N] [min_delta=X] [restore_best=B] [validation=F]
    ///       [log_every=N] [quiet=B]
    func train(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        var epochs = 100
        if let option = command.option("epochs") {
            let value = try evaluate(option.value)
            guard case .scalar(let number) = value, number.isFinite, number.rounded() == number, number >= 0 else {
                let got = describe(value)
                if case .scalar(let number) = value, number < 0 {
                    throw Diagnostic(.epochsNegative(got), at: option.value.span)
                }
                throw Diagnostic(.expectedValue(what: "a whole number ≥ 0 for epochs", got: got), at: option.value.span)
            }
            epochs = Int(min(number, 1e12))
        }
        let rate = try learningRate(command)
        var configuration = TrainingConfiguration(epochs: epochs, learningRate: rate)
        if let option = command.option("batch"), option.value.bareName != "all" {
            if let word = option.value.bareName, variables[word] == nil {
                throw Diagnostic(.expectedValue(what: "a whole number or all for batch", got: "'\(word)'"), at: option.value.span)
            }
            configuration.batchSize = try wholeNumber(option.value, what: "batch", minimum: 1)
        }
        configuration.shuffle = try boolean(command.option("shuffle"), default: false)
        configuration.optimizer = try optimizerSettings(command, base: optimizerSettings)
        configuration.schedule = try schedule(command, epochs: epochs)
        if let option = command.option("target_loss") {
            configuration.targetLoss = try number(option.value, what: "target_loss")
        }
        if let option = command.option("patience") {
            configuration.earlyStopping = EarlyStopping(
                patience: try wholeNumber(option.value, what: "patience", minimum: 1),
                minDelta: try command.option("min_delta").map { option throws(Diagnostic) in try nonNegative(option, what: "min_delta") } ?? 0,
                restoreBest: try boolean(command.option("restore_best"), default: true))
        } else if let option = command.option("min_delta") ?? command.option("restore_best") {
            throw Diagnostic(.optionNotApplicable(option: option.name, appliesTo: "early stopping, with patience=N"), at: option.nameSpan)
        }
        let quiet = try boolean(command.option("quiet"), default: false)

        var (network, data) = try requireTrainingSetup(command: "train", span: span)
        var training = data
        if let option = command.option("validation") {
            let fraction = try number(option.value, what: "validation")
            let held = Int((Double(data.sampleCount) * fraction).rounded())
            guard fraction > 0, fraction < 1, held >= 1, held < data.sampleCount else {
                throw Diagnostic(.settingOutOfRange(setting: "validation", range: "a share between 0 and 1 leaving samples on both sides", got: formatter.format(fraction)), at: option.value.span)
            }
            // Like Keras's validation_split: the last samples, taken before any shuffling.
            training = data.subset(Array(0..<(data.sampleCount - held)))
            configuration.validation = data.subset(Array((data.sampleCount - held)..<data.sampleCount))
        }
        configuration.measuresAccuracy = data.isClassification
        configuration.precision = dtype
        // With quiet=true nothing shows the final loss, so training skips the pass that measures it.
        configuration.measuresFinalLoss = !quiet
        var logEvery = max(1, Int((Double(epochs) / 10).rounded(.up)))
        if let option = command.option("log_every") {
            logEvery = try wholeNumber(option.value, what: "log_every", minimum: 1)
        }

        var progress = ProgressReporter(style: quiet ? nil : progressStyle, epochs: epochs, logEvery: logEvery, samples: training.sampleCount, write: output)
        let interruptRequested = self.interruptRequested
        let start = ContinuousClock.now
        let report = Trainer.train(
            &network, inputs: training.inputs, targets: training.targets, loss: loss,
            configuration: configuration, generator: &generator,
            onEpoch: { record in progress.report(record) },
            shouldContinue: { _ in !interruptRequested() })
        progress.finish()
        let seconds = Session.seconds(since: start)
        self.network = network
        trainingHistory = report.history
        if case .diverged(let epoch) = report.stopReason {
            throw Diagnostic(.diverged(epoch: epoch), at: span)
        }
        guard !quiet, let finalLoss = report.finalLoss else { return }
        var result = "E = \(formatter.format(finalLoss))"
        if let validationLoss = report.finalValidationLoss { result += ", validation E = \(formatter.format(validationLoss))" }
        if data.isClassification {
            let accuracy = report.finalAccuracy
                ?? Metrics.accuracy(outputs: network.predict(training.inputs), targets: training.targets)
            result += ", accuracy = \(formatter.format(accuracy))"
        }
        result += " (\(Session.formatSeconds(seconds)) s)"
        switch report.stopReason {
        case .interrupted(let epoch):
            write("interrupted at epoch \(epoch) of \(epochs): \(result)")
        case .targetLossReached:
            write("reached target_loss at epoch \(report.epochsCompleted): \(result)")
        case .earlyStopping(let best):
            let restored = configuration.earlyStopping?.restoreBest == true ? ", its weights restored" : ""
            write("stopped early at epoch \(report.epochsCompleted), best epoch \(best)\(restored): \(result)")
        case .completed, .diverged:
            write("trained \(report.epochsCompleted) \(report.epochsCompleted == 1 ? "epoch" : "epochs"): \(result)")
        }
    }

    // MARK: - optimizer and init

    /// optimizer NAME [lr=X] [momentum=X] [beta1=X] [beta2=X] [eps=X] [alpha=X] [weight_decay=X] [l1=X]
    func chooseOptimizer(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        guard let name = command.positional.first?.bareName, let kind = OptimizerKind(rawValue: name) else {
            write("optimizer: " + describe(optimizerSettings) + ", lr = " + formatter.format(learningRate))
            return
        }
        var base = OptimizerSettings.defaults(for: kind)
        base.weightDecay = 0
        optimizerSettings = try optimizerSettings(command, base: base, kind: kind)
        if command.option("lr") != nil { learningRate = try self.learningRate(command) }
    }

    /// The optimizer `train` or `optimizer` asks for: `optimizer=NAME` (or `kind`) with its
    /// hyperparameters, on top of `base`.
    private func optimizerSettings(_ command: CommandStatement, base: OptimizerSettings, kind: OptimizerKind? = nil) throws(Diagnostic) -> OptimizerSettings {
        var settings = base
        if let option = command.option("optimizer") {
            guard let name = option.value.bareName, let chosen = OptimizerKind(rawValue: name) else {
                let name = option.value.bareName ?? ""
                throw Diagnostic(.unknownWord(kind: "optimizer", name: name, suggestion: Suggestion.closest(to: name, among: OptimizerKind.allCases.map(\.rawValue))), at: option.value.span)
            }
            if chosen != base.kind { settings = OptimizerSettings.defaults(for: chosen) }
        }
        if let kind { settings.kind = kind }
        let applicable: [String: [OptimizerKind]] = [
            "momentum": [.momentum, .nesterov], "beta1": [.adam], "beta2": [.adam], "alpha": [.rmsprop],
        ]
        for (name, kinds) in applicable {
            if let option = command.option(name), !kinds.contains(settings.kind) {
                throw Diagnostic(.optionNotApplicable(option: name, appliesTo: kinds.map(\.rawValue).joined(separator: " and ")), at: option.nameSpan)
            }
        }
        if let option = command.option("momentum") { settings.momentum = try fraction(option, what: "momentum") }
        if let option = command.option("beta1") { settings.beta1 = try fraction(option, what: "beta1") }
        if let option = command.option("beta2") { settings.beta2 = try fraction(option, what: "beta2") }
        if let option = command.option("alpha") { settings.alpha = try fraction(option, what: "alpha") }
        if let option = command.option("eps") { settings.epsilon = try positive(option, what: "eps") }
        if let option = command.option("weight_decay") { settings.weightDecay = try nonNegative(option, what: "weight_decay") }
        if let option = command.option("l1") { settings.l1 = try nonNegative(option, what: "l1") }
        return settings
    }

    /// How an optimizer prints: its name and the hyperparameters that apply to it.
    func describe(_ settings: OptimizerSettings) -> String {
        var parts = [settings.kind.rawValue]
        switch settings.kind {
        case .momentum, .nesterov: parts.append("momentum = \(formatter.format(settings.momentum))")
        case .adam: parts += ["beta1 = \(formatter.format(settings.beta1))", "beta2 = \(formatter.format(settings.beta2))", "eps = \(formatter.format(settings.epsilon))"]
        case .rmsprop: parts += ["alpha = \(formatter.format(settings.alpha))", "eps = \(formatter.format(settings.epsilon))"]
        case .adagrad: parts.append("eps = \(formatter.format(settings.epsilon))")
        case .sgd: break
        }
        if settings.weightDecay > 0 { parts.append("weight_decay = \(formatter.format(settings.weightDecay))") }
        if settings.l1 > 0 { parts.append("l1 = \(formatter.format(settings.l1))") }
        return parts.joined(separator: ", ")
    }

    // MARK: - Schedules

    /// schedule=constant|step|exponential|cosine|plateau with every=, gamma=, min_lr=,
    /// factor=, lr_patience=.
    private func schedule(_ command: CommandStatement, epochs: Int) throws(Diagnostic) -> LearningRateSchedule {
        let name = command.option("schedule").map { $0.value.bareName ?? "" } ?? "constant"
        let extras: [String: [String]] = ["every": ["step"], "gamma": ["step", "exponential"], "min_lr": ["cosine", "plateau"], "factor": ["plateau"], "lr_patience": ["plateau"]]
        for (option, schedules) in extras {
            if let given = command.option(option), !schedules.contains(name) {
                throw Diagnostic(.optionNotApplicable(option: option, appliesTo: "schedule=" + schedules.joined(separator: " and schedule=")), at: given.nameSpan)
            }
        }
        let gamma = try command.option("gamma").map { option throws(Diagnostic) in try positive(option, what: "gamma") }
        let minimum = try command.option("min_lr").map { option throws(Diagnostic) in try nonNegative(option, what: "min_lr") } ?? 0
        switch name {
        case "constant":
            return .constant
        case "step":
            let every = try command.option("every").map { option throws(Diagnostic) in try wholeNumber(option.value, what: "every", minimum: 1) } ?? max(1, epochs / 3)
            return .step(every: every, gamma: gamma ?? 0.1)
        case "exponential":
            return .exponential(gamma: gamma ?? 0.95)
        case "cosine":
            return .cosine(period: max(1, epochs), minimum: minimum)
        case "plateau":
            let factor = try command.option("factor").map { option throws(Diagnostic) in
                let value = try fraction(option, what: "factor")
                guard value > 0 else { throw Diagnostic(.settingOutOfRange(setting: "factor", range: "between 0 and 1", got: formatter.format(value)), at: option.value.span) }
                return value
            } ?? 0.1
            let patience = try command.option("lr_patience").map { option throws(Diagnostic) in try wholeNumber(option.value, what: "lr_patience", minimum: 0) } ?? 10
            return .plateau(factor: factor, patience: patience, threshold: 1e-4, minimum: minimum)
        default:
            let span = command.option("schedule")?.value.span ?? command.nameSpan
            throw Diagnostic(.unknownWord(kind: "schedule", name: name, suggestion: Suggestion.closest(to: name, among: LearningRateSchedule.names)), at: span)
        }
    }

    // MARK: - Option values

    /// `true`/`false` (or 1/0) from an option, or the default when it is absent.
    func boolean(_ option: CommandOption?, default defaultValue: Bool) throws(Diagnostic) -> Bool {
        guard let option else { return defaultValue }
        switch option.value.bareName {
        case "true": return true
        case "false": return false
        case let word? where variables[word] == nil:
            throw Diagnostic(.expectedValue(what: "true or false for \(option.name)", got: "'\(word)'"), at: option.value.span)
        default:
            let value = try evaluate(option.value)
            if case .scalar(let number) = value, number == 0 || number == 1 { return number == 1 }
            throw Diagnostic(.expectedValue(what: "true or false for \(option.name)", got: describe(value)), at: option.value.span)
        }
    }

    private func positive(_ option: CommandOption, what: String) throws(Diagnostic) -> Double {
        let value = try number(option.value, what: what)
        guard value > 0 else { throw Diagnostic(.settingOutOfRange(setting: what, range: "greater than 0", got: formatter.format(value)), at: option.value.span) }
        return value
    }

    private func nonNegative(_ option: CommandOption, what: String) throws(Diagnostic) -> Double {
        let value = try number(option.value, what: what)
        guard value >= 0 else { throw Diagnostic(.settingOutOfRange(setting: what, range: "0 or more", got: formatter.format(value)), at: option.value.span) }
        return value
    }

    /// A number in [0, 1).
    private func fraction(_ option: CommandOption, what: String) throws(Diagnostic) -> Double {
        let value = try number(option.value, what: what)
        guard value >= 0, value < 1 else { throw Diagnostic(.settingOutOfRange(setting: what, range: "from 0 up to (not including) 1", got: formatter.format(value)), at: option.value.span) }
        return value
    }

    // MARK: - After training

    /// history [limit=N]: the recorded per-epoch metrics, at most `limit` rows evenly spread.
    func printHistory(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        guard !trainingHistory.isEmpty else { throw Diagnostic(.nothingTrained, at: span) }
        let limit = try command.option("limit").map { option throws(Diagnostic) in try wholeNumber(option.value, what: "limit", minimum: 2) } ?? 20
        let records = Session.evenlySpread(trainingHistory, count: limit)
        let hasValidation = records.contains { $0.validationLoss != nil }
        let hasAccuracy = records.contains { $0.accuracy != nil }
        var heading = ["epoch", "loss"]
        if hasValidation { heading.append("val_loss") }
        if hasAccuracy { heading.append("accuracy") }
        if hasAccuracy && hasValidation { heading.append("val_accuracy") }
        heading.append("lr")
        var table = TextTable([.right] + Array(repeating: .right, count: heading.count - 1))
        table.add(heading)
        let short = ValueFormatter(precision: min(precision, 6))
        for record in records {
            var row = [String(record.epoch), short.format(record.loss)]
            if hasValidation { row.append(record.validationLoss.map(short.format) ?? "") }
            if hasAccuracy { row.append(record.accuracy.map(short.format) ?? "") }
            if hasAccuracy && hasValidation { row.append(record.validationAccuracy.map(short.format) ?? "") }
            row.append(short.format(record.learningRate))
            table.add(row)
        }
        let lines = table.lines
        write(palette.paint(lines[0], as: .heading))
        lines.dropFirst().forEach(write)
        if records.count < trainingHistory.count {
            write("(\(records.count) of \(trainingHistory.count) epochs shown; history limit=N for more)")
        }
    }

    /// At most `count` elements, evenly spread, always with the first and the last.
    static func evenlySpread<T>(_ items: [T], count: Int) -> [T] {
        guard items.count > count, count >= 2 else { return items }
        return (0..<count).map { items[Int((Double($0) * Double(items.count - 1) / Double(count - 1)).rounded())] }
    }

    /// The data `evaluate` and `confusion` measure: the test part after `split`, else the
    /// training data, with a word saying which.
    private func evaluationSet(command: String, span: SourceSpan) throws(Diagnostic) -> (Network, DataSet, String) {
        let network = try requireLayers(command: command, span: span)
        if let test = testSet {
            try checkFit(test, to: network, span: span)
            return (network, test, "test")
        }
        guard let data = trainingSet else { throw Diagnostic(.noData(command: command), at: span) }
        try checkFit(data, to: network, span: span)
        return (network, data, "training (no split)")
    }

    /// evaluate: the loss, and accuracy for classes, on the test part.
    func evaluate(span: SourceSpan) throws(Diagnostic) {
        let (network, data, part) = try evaluationSet(command: "evaluate", span: span)
        let outputs = network.predict(data.inputs)
        var text = "\(part): E = \(formatter.format(loss.value(output: outputs, target: data.targets)))"
        if data.isClassification {
            let correct = Metrics.correctCount(outputs: outputs, targets: data.targets)
            text += ", accuracy = \(formatter.format(Double(correct) / Double(data.sampleCount))) (\(correct) of \(data.sampleCount))"
        } else {
            text += " (\(data.sampleCount) samples)"
        }
        write(text)
    }

    /// confusion: rows are true classes, columns predicted ones, with the class names.
    func printConfusion(span: SourceSpan) throws(Diagnostic) {
        let (network, data, part) = try evaluationSet(command: "confusion", span: span)
        guard data.isClassification else { throw Diagnostic(.notClassification(command: "confusion"), at: span) }
        let matrix = Metrics.confusionMatrix(outputs: network.predict(data.inputs), targets: data.targets, classCount: data.classNames.count)
        var table = TextTable([.left] + Array(repeating: .right, count: data.classNames.count))
        table.add(["true \\ predicted"] + data.classNames)
        for (name, row) in zip(data.classNames, matrix) { table.add([name] + row.map(String.init)) }
        write("confusion on the \(part) data:")
        let lines = table.lines
        write(palette.paint(lines[0], as: .heading))
        lines.dropFirst().forEach(write)
    }
}

/// Shows training progress as it happens: a live line at a terminal, plain lines otherwise.
struct ProgressReporter {
    let style: ProgressStyle?
    let epochs: Int
    let logEvery: Int
    let samples: Int
    let write: (String) -> Void
    private var lastDrawn: Double = -1
    private var drewLive = false
    private var lastRecord: EpochRecord?
    private var lastPrinted = 0
    private let numbers = ValueFormatter(precision: 4)

    init(style: ProgressStyle?, epochs: Int, logEvery: Int, samples: Int, write: @escaping (String) -> Void) {
        self.style = style
        self.epochs = epochs
        self.logEvery = logEvery
        self.samples = samples
        self.write = write
    }

    mutating func report(_ record: EpochRecord) {
        lastRecord = record
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
