import NNEngine

// The option families that commands share: one training run's (train and crossval), an
// optimizer's hyperparameters (train, crossval and optimizer), and the schedules.

/// The options of one training run, which train and crossval share: how long, how fast, in which
/// batches, with which optimizer and schedule, when to stop, and how to weigh the classes.
enum TrainingOptions {
    /// epochs=, lr=, batch=, shuffle=, optimizer= and its hyperparameters, schedule= and its
    /// options, target_loss=, patience=, min_delta=, restore_best=, in help's order.
    static let specs: [OptionSpec] = [
        OptionSpec("epochs", "N", "passes over the data", .wholeNumber(0...epochLimit), default: .value("100")),
        OptionSpec("lr", "X", "learning rate", .number(.positive), default: .described("the session's, 0.1 until 'set lr'")),
        OptionSpec("batch", "N", "samples per update; all for the whole data set", .wholeNumberOrWord(1...1_000_000_000, ["all"]),
                   default: .value("all")),
        OptionSpec("shuffle", "B", "shuffle the samples every epoch (seeded)", .boolean, default: .value("false")),
        OptionSpec("optimizer", "NAME", "sgd, momentum, nesterov, adagrad, rmsprop, adam, rprop or lbfgs", .word(OptimizerKind.allCases.map(\.rawValue)),
                   default: .described("the session's, sgd")),
    ] + OptimizerOptions.specs(weightDecay: "L2 penalty λ: gradients gain λθ", l1: "L1 penalty λ₁: gradients gain λ₁ sign(θ)",
                               optimizer: optimizerKind)
      + ScheduleOptions.specs + [
        OptionSpec("target_loss", "X", "stop once an epoch's loss is at most X", .number(.any), default: .described("none")),
        OptionSpec("patience", "N", "early stopping: stop after N epochs without improvement", .wholeNumber(1...1_000_000_000),
                   default: .described("no early stopping")),
        OptionSpec("min_delta", "X", "early stopping: the least change that counts as improvement", .number(.nonNegative),
                   default: .value("0"), appliesWhen: earlyStopping),
        OptionSpec("restore_best", "B", "early stopping: go back to the best epoch's weights", .boolean,
                   default: .value("true"), appliesWhen: earlyStopping),
        OptionSpec("class_weight", "W", "weigh each sample's loss by its class: balanced, or one weight per class",
                   .expression(completions: ["balanced"]), default: .described("every class 1"),
                   appliesWhen: Applicability("class data") { invocation throws(Diagnostic) in invocation.workspace.dataSet?.isClassification != false }),
    ] + ToolboxOptions.specs

    /// The most epochs a run counts: more are read as this many, a run no one waits for.
    static let epochLimit = 1_000_000_000_000

    /// The optimizer of this run: optimizer= if given, else the session's.
    @Sendable static func optimizerKind(_ invocation: Invocation) throws(Diagnostic) -> OptimizerKind {
        guard let name = try invocation.givenWord("optimizer") else { return invocation.settings.optimizer.kind }
        // `givenWord` checked the name against the same list.
        return OptimizerKind(rawValue: name) ?? invocation.settings.optimizer.kind
    }

    /// The condition of min_delta= and restore_best=: they tune early stopping, which patience= asks for.
    static let earlyStopping = Applicability("early stopping, with patience=N") { invocation throws(Diagnostic) in invocation.isGiven("patience") }

    /// The configuration these options ask for, to train on `data`: accuracy measured for
    /// classes, in the session's number type, without validation.
    static func configuration(_ invocation: Invocation, data: DataSet) throws(Diagnostic) -> TrainingConfiguration {
        let epochs = try Self.epochs(invocation)
        let rate = try invocation.givenLearningRate() ?? invocation.settings.learningRate
        var configuration = TrainingConfiguration(epochs: epochs, learningRate: rate)
        configuration.batchSize = try Self.batchSize(invocation)
        configuration.shuffle = try invocation.boolean("shuffle")
        configuration.optimizer = try Self.optimizer(invocation)
        configuration.warmupEpochs = try invocation.givenWholeNumber("warmup") ?? 0
        configuration.schedule = try ScheduleOptions.schedule(invocation, epochs: max(1, epochs - configuration.warmupEpochs))
        configuration.targetLoss = try invocation.givenNumber("target_loss")
        if let patience = try invocation.givenWholeNumber("patience") {
            configuration.earlyStopping = EarlyStopping(patience: patience, minDelta: try invocation.number("min_delta"),
                                                        restoreBest: try invocation.boolean("restore_best"))
        }
        if let option = invocation.option("class_weight") { configuration.classWeights = try classWeights(option, invocation, data: data) }
        configuration.measuresAccuracy = data.isClassification
        configuration.precision = invocation.settings.dtype
        try ToolboxOptions.apply(invocation, to: &configuration, data: data)
        return configuration
    }

    /// class_weight=balanced (n_samples / (n_classes · count), of the data trained on, as
    /// scikit-learn and Keras define it) or a vector of one weight ≥ 0 per class.
    private static func classWeights(_ option: CommandOption, _ invocation: Invocation, data: DataSet) throws(Diagnostic) -> [Double] {
        let classCount = data.classNames.count
        if option.value.bareName == "balanced", invocation.session.variables["balanced"] == nil {
            return ClassWeights.balanced(classes: Metrics.trueClasses(targets: data.targets), classCount: classCount)
        }
        let value = try invocation.evaluate(option.value)
        let weights: [Double]? = switch value {
        case .vector(let elements): elements
        case .matrix(let matrix) where matrix.rows == 1: matrix.storage
        default: nil
        }
        guard let weights, weights.count == classCount, weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw Diagnostic(.expectedValue(what: "balanced or \(classCount) weights ≥ 0, one per class, for class_weight",
                                            got: invocation.session.messageText(value)), at: option.value.span)
        }
        return weights
    }

    /// epochs=: a whole number ≥ 0, with its own message when it is negative.
    private static func epochs(_ invocation: Invocation) throws(Diagnostic) -> Int {
        guard let option = invocation.option("epochs") else { return try invocation.wholeNumber("epochs") }
        let value = try invocation.evaluate(option.value)
        guard case .scalar(let number) = value, number.isFinite, number.rounded() == number, number >= 0 else {
            let got = invocation.session.messageText(value)
            if case .scalar(let number) = value, number < 0 {
                throw Diagnostic(.epochsNegative(got), at: option.value.span)
            }
            throw Diagnostic(.expectedValue(what: "a whole number ≥ 0 for epochs", got: got), at: option.value.span)
        }
        return Int(min(number, Double(epochLimit)))
    }

    /// batch=: a whole number of samples, or nil for all of them.
    private static func batchSize(_ invocation: Invocation) throws(Diagnostic) -> Int? {
        guard let option = invocation.option("batch"), option.value.bareName != "all" else { return nil }
        // A misspelt word where a value goes is read as a variable name, unless no variable has it.
        if let word = option.value.bareName, invocation.session.variables[word] == nil {
            throw Diagnostic(.expectedValue(what: "a whole number or all for batch", got: "'\(word)'"), at: option.value.span)
        }
        return try invocation.givenWholeNumber("batch")
    }

    /// The optimizer of this run: optimizer= (from its own defaults when it is another one
    /// than the session's) or the session's, with the hyperparameters given.
    static func optimizer(_ invocation: Invocation) throws(Diagnostic) -> OptimizerSettings {
        var settings = invocation.settings.optimizer
        let kind = try optimizerKind(invocation)
        if kind != settings.kind { settings = OptimizerSettings.defaults(for: kind) }
        return try OptimizerOptions.apply(invocation, to: settings)
    }
}


/// The hyperparameter options of an optimizer, each with the optimizers it applies to.
enum OptimizerOptions {
    /// How an invocation names its optimizer: `train`'s optimizer= or the session's,
    /// `optimizer`'s NAME.
    typealias Chosen = @Sendable (Invocation) throws(Diagnostic) -> OptimizerKind

    /// momentum=, beta1=, beta2=, eps=, alpha=, weight_decay=, l1=, in help's order; the
    /// penalties' summaries are the command's.
    static func specs(weightDecay: String, l1: String, optimizer: @escaping Chosen) -> [OptionSpec] {
        [
            OptionSpec("momentum", "X", "momentum and nesterov's μ", .number(.fraction), default: .described("0.9"),
                       appliesWhen: appliesTo([.momentum, .nesterov], optimizer)),
            OptionSpec("beta1", "X", "adam's first-moment decay", .number(.fraction), default: .described("0.9"),
                       appliesWhen: appliesTo([.adam], optimizer)),
            OptionSpec("beta2", "X", "adam's second-moment decay", .number(.fraction), default: .described("0.999"),
                       appliesWhen: appliesTo([.adam], optimizer)),
            OptionSpec("eps", "X", "the ε added to denominators", .number(.positive), default: .described("1e-8; adagrad 1e-10"),
                       appliesWhen: appliesTo([.adagrad, .rmsprop, .adam], optimizer)),
            OptionSpec("alpha", "X", "rmsprop's smoothing constant", .number(.fraction), default: .described("0.99"),
                       appliesWhen: appliesTo([.rmsprop], optimizer)),
            OptionSpec("weight_decay", "X", weightDecay, .number(.nonNegative), default: .described("0"),
                       appliesWhen: appliesTo(OptimizerKind.allCases.filter { $0 != .rprop && $0 != .lbfgs }, optimizer)),
            OptionSpec("l1", "X", l1, .number(.nonNegative), default: .described("0"),
                       appliesWhen: appliesTo(OptimizerKind.allCases.filter { $0 != .lbfgs }, optimizer)),
        ] + ToolboxOptions.optimizerSpecs(optimizer)
    }

    /// Applies to the optimizers `kinds`: "momentum and nesterov", "adagrad, rmsprop and adam".
    /// Asking which optimizer it is may itself fail (an unknown optimizer=, no NAME).
    static func appliesTo(_ kinds: [OptimizerKind], _ optimizer: @escaping Chosen) -> Applicability {
        let names = kinds.map(\.rawValue)
        let description = names.count < 3 ? names.joined(separator: " and ") : names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
        return Applicability(description) { invocation throws(Diagnostic) in kinds.contains(try optimizer(invocation)) }
    }

    /// `settings` with the hyperparameters given.
    static func apply(_ invocation: Invocation, to settings: OptimizerSettings) throws(Diagnostic) -> OptimizerSettings {
        var settings = settings
        if let value = try invocation.givenNumber("momentum") { settings.momentum = value }
        if let value = try invocation.givenNumber("beta1") { settings.beta1 = value }
        if let value = try invocation.givenNumber("beta2") { settings.beta2 = value }
        if let value = try invocation.givenNumber("alpha") { settings.alpha = value }
        if let value = try invocation.givenNumber("eps") { settings.epsilon = value }
        if let value = try invocation.givenNumber("weight_decay") { settings.weightDecay = value }
        if let value = try invocation.givenNumber("l1") { settings.l1 = value }
        try ToolboxOptions.applyOptimizer(invocation, to: &settings)
        return settings
    }

    /// How an optimizer prints: its name and the hyperparameters that apply to it.
    static func text(of settings: OptimizerSettings, formatter: ValueFormatter) -> String {
        var parts = [settings.kind.rawValue]
        switch settings.kind {
        case .momentum, .nesterov: parts.append("momentum = \(formatter.format(settings.momentum))")
        case .adam: parts += ["beta1 = \(formatter.format(settings.beta1))", "beta2 = \(formatter.format(settings.beta2))", "eps = \(formatter.format(settings.epsilon))"]
        case .rmsprop: parts += ["alpha = \(formatter.format(settings.alpha))", "eps = \(formatter.format(settings.epsilon))"]
        case .adagrad: parts.append("eps = \(formatter.format(settings.epsilon))")
        case .sgd: break
        case .rprop:
            parts += ["eta_minus = \(formatter.format(settings.etaMinus))", "eta_plus = \(formatter.format(settings.etaPlus))",
                      "step_min = \(formatter.format(settings.stepMinimum))", "step_max = \(formatter.format(settings.stepMaximum))"]
            if settings.fannRprop { parts.append("variant = fann") }
        case .lbfgs:
            parts += ["history_size = \(settings.historySize)", "max_iter = \(settings.maxIterations)",
                      "tolerance_grad = \(formatter.format(settings.toleranceGradient))",
                      "tolerance_change = \(formatter.format(settings.toleranceChange))",
                      "line_search = \(settings.strongWolfe ? "strong_wolfe" : "none")"]
        }
        if settings.weightDecay > 0 { parts.append("weight_decay = \(formatter.format(settings.weightDecay))") }
        if settings.l1 > 0 { parts.append("l1 = \(formatter.format(settings.l1))") }
        return parts.joined(separator: ", ")
    }
}

/// schedule=constant|step|exponential|cosine|plateau and the options each schedule takes.
enum ScheduleOptions {
    /// schedule=, every=, gamma=, min_lr=, factor=, lr_patience=, in help's order.
    static let specs: [OptionSpec] = [
        OptionSpec("schedule", "NAME", "learning rate by epoch: constant, step, exponential, cosine, plateau, cyclic or onecycle",
                   .word(LearningRateSchedule.names), default: .value("constant")),
        OptionSpec("every", "N", "schedule=step: epochs between decays; cyclic: epochs of half a cycle", .wholeNumber(1...1_000_000_000),
                   default: .described("epochs / 3; cyclic epochs / 4"), appliesWhen: scheduleIs(["step", "cyclic"])),
        OptionSpec("gamma", "X", "schedule=step or exponential: the decay factor", .number(.positive),
                   default: .described("0.1 for step, 0.95 for exponential"), appliesWhen: scheduleIs(["step", "exponential"])),
        OptionSpec("min_lr", "X", "schedule=cosine, plateau or cyclic: the lowest rate", .number(.nonNegative),
                   default: .described("0; cyclic lr / 10"), appliesWhen: scheduleIs(["cosine", "plateau", "cyclic"])),
        // Greater than 0 too, which `schedule` checks: 0 would stop learning at the first cut.
        OptionSpec("factor", "X", "schedule=plateau: the rate is multiplied by this", .number(.fraction),
                   default: .value("0.1"), appliesWhen: scheduleIs(["plateau"])),
        OptionSpec("lr_patience", "N", "schedule=plateau: epochs without improvement before a cut", .wholeNumber(0...1_000_000_000),
                   default: .value("10"), appliesWhen: scheduleIs(["plateau"])),
    ]

    /// Applies to the schedules `names`: "schedule=step and schedule=exponential".
    private static func scheduleIs(_ names: [String]) -> Applicability {
        let written = names.map { "schedule=" + $0 }
        let description = written.count < 3 ? written.joined(separator: " and ")
                                            : written.dropLast().joined(separator: ", ") + " and " + written[written.count - 1]
        return Applicability(description) { invocation throws(Diagnostic) in
            names.contains(try invocation.word("schedule"))
        }
    }

    /// The schedule asked for, over a run of `epochs` epochs.
    static func schedule(_ invocation: Invocation, epochs: Int) throws(Diagnostic) -> LearningRateSchedule {
        let name = try invocation.word("schedule")
        switch name {
        case "constant":
            return .constant
        case "step":
            let gamma = try invocation.givenNumber("gamma") ?? 0.1
            return .step(every: try invocation.givenWholeNumber("every") ?? max(1, epochs / 3), gamma: gamma)
        case "exponential":
            return .exponential(gamma: try invocation.givenNumber("gamma") ?? 0.95)
        case "cosine":
            return .cosine(period: max(1, epochs), minimum: try invocation.givenNumber("min_lr") ?? 0)
        case "plateau":
            let minimum = try invocation.givenNumber("min_lr") ?? 0
            let factor = try invocation.number("factor")
            guard factor > 0 else {
                let span = invocation.option("factor")?.value.span ?? invocation.span
                throw Diagnostic(.settingOutOfRange(setting: "factor", range: "between 0 and 1", got: invocation.formatter.format(factor)), at: span)
            }
            if let warmup = invocation.option("warmup") {
                throw Diagnostic(.optionNotApplicable(option: "warmup", appliesTo: "schedules other than plateau"), at: warmup.nameSpan)
            }
            return .plateau(factor: factor, patience: try invocation.wholeNumber("lr_patience"), threshold: 1e-4, minimum: minimum)
        case "cyclic":
            let rate = try invocation.givenLearningRate() ?? invocation.settings.learningRate
            return .cyclic(minimum: try invocation.givenNumber("min_lr") ?? rate / 10,
                           every: try invocation.givenWholeNumber("every") ?? max(1, epochs / 4))
        case "onecycle":
            return .oneCycle(epochs: max(1, epochs))
        default:
            // `word` checked the name against the same list.
            throw Diagnostic(.unknownWord(kind: "schedule", name: name, suggestion: nil), at: invocation.span)
        }
    }
}
