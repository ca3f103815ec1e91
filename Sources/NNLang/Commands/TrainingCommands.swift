import NNEngine

// The training commands: step, train, optimizer, and the measures after training: history,
// evaluate, confusion. Then the option families train (and optimizer) read: an optimizer's
// hyperparameters and the learning-rate schedules.

/// step [lr=X]: one gradient-descent update on the whole data set.
struct StepCommand: Command {
    let spec = CommandSpec(
        "step", .training, "one gradient-descent update of every parameter on the whole data set",
        options: [OptionSpec("lr", "X", "learning rate", .number(.positive), default: .described("the session's, 0.1 until 'set lr'"))],
        details: ["Prints the loss before and after the update. Layers fixed by 'freeze' stay as they are."],
        examples: ["step lr=0.5"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let rate = try invocation.givenLearningRate() ?? invocation.settings.learningRate
        var (network, data) = try invocation.workspace.requireTrainingSetup(command: "step", span: invocation.span)
        let loss = invocation.workspace.loss
        try BatchNormBatches.check(network, sampleCount: data.sampleCount, batchSize: nil, command: "step", span: invocation.span)
        let frozen = invocation.workspace.frozenLayers
        let before: Double
        if network.hasBatchedGradients {
            // Training's fast path, batch by batch: the same gradients and loss as below.
            let gradients = network.wholeDataGradients(input: data.inputs, target: data.targets, loss: loss)
            before = gradients.loss
            guard Optimizer.descend(&network, gradients: gradients, learningRate: rate, frozenLayers: frozen) else {
                throw Diagnostic(.stepNotFinite, at: invocation.span)
            }
        } else {
            // The training pass: batch normalization by the batch's statistics, which it then
            // moves the running estimates toward. Without it, the same as `gradients(input:…)`.
            let pass = network.forward(data.inputs, dropoutMasks: Array(repeating: nil, count: network.layers.count))
            let gradients = network.gradients(of: pass, target: data.targets, loss: loss)
            // The loss as 'loss' prints it: with batch normalization, by the running statistics.
            before = network.hasBatchNorm ? network.wholeDataLoss(input: data.inputs, target: data.targets, loss: loss) : gradients.loss
            guard Optimizer.descend(&network, gradients: gradients, learningRate: rate, frozenLayers: frozen) else {
                throw Diagnostic(.stepNotFinite, at: invocation.span)
            }
            network.updateRunningStatistics(from: pass)
        }
        invocation.workspace.network = network
        let after = network.wholeDataLoss(input: data.inputs, target: data.targets, loss: loss)
        invocation.write("E = \(invocation.formatter.format(before)) -> \(invocation.formatter.format(after))")
    }
}

/// train [epochs=N] [lr=X] [batch=N|all] [shuffle=B] [optimizer=NAME …] [schedule=NAME …]
///       [target_loss=X] [patience=N] [min_delta=X] [restore_best=B] [class_weight=balanced|[W, …]]
///       [validation=F] [log_every=N] [quiet=B]
struct TrainCommand: Command {
    let spec = CommandSpec(
        "train", .training, "train the network on the data",
        options: TrainingOptions.specs + [
            // Between 0 and 1, and leaving samples on both sides, which `run` checks with the data.
            OptionSpec("validation", "F", "hold out the last share F of the training data to validate on", .number(.openUnit),
                       default: .described("none")),
            OptionSpec("log_every", "N", "in a pipe, print a line every N epochs", .wholeNumber(1...1_000_000_000),
                       default: .described("about ten lines a run"),
                       appliesWhen: Applicability("runs without quiet=true") { invocation throws(Diagnostic) in !(try invocation.boolean("quiet")) }),
            OptionSpec("quiet", "B", "print nothing (and skip the final loss)", .boolean, default: .value("false")),
        ] + TrainCommand.watchAndRunOptions,
        details: [
            "Optimizers follow PyTorch's torch.optim update rules and defaults; schedules its lr_scheduler.",
            "Early stopping and schedule=plateau watch the validation loss when there is one, else the training loss.",
            "On a terminal one progress line updates in place; in a pipe a plain line every log_every epochs.",
            "Ends with one line giving the loss (and accuracy, for classes) and the wall time.",
            "class_weight= multiplies each sample's loss term by its class's weight, as Keras's class_weight; balanced",
            "gives class c the weight n / (classes · n_c) (scikit-learn's compute_class_weight). The loss printed is weighted.",
            "At the prompt, Ctrl-C stops training at the end of the current batch.",
            "rprop is torch.optim.Rprop (iRPROP−); lbfgs is torch.optim.LBFGS, full-batch: each epoch is one step of up",
            "to max_iter iterations on all the data (line_search=strong_wolfe for torch's line search).",
            "warmup=N: N epochs rising linearly from a third of the rate before the schedule (LinearLR in SequentialLR).",
            "clip=X: the gradients' global norm at most X (clip_grad_norm_), after l1's term, before weight decay's.",
            "noise=X and augment=shift change each training batch's inputs only (seeded): Gaussian noise of",
            "deviation X (Keras's GaussianNoise), and 8×8 images moved by up to a pixel each way, blank-filled.",
            "Layers fixed by 'freeze' keep their parameters.",
        ] + TrainCommand.watchAndRunDetails,
        examples: [
            "train epochs=1000 lr=0.5",
            "train epochs=50 batch=16 shuffle=true optimizer=adam lr=0.001",
            "train epochs=500 validation=0.2 patience=20 schedule=cosine",
            "train epochs=200 class_weight=balanced", "train epochs=200 class_weight=[1, 3]",
            "train epochs=20 optimizer=lbfgs lr=1 line_search=strong_wolfe",
            "train epochs=100 schedule=cyclic min_lr=0.01 lr=0.1 every=10 warmup=5 clip=1",
            "train epochs=40 batch=32 shuffle=true optimizer=adam lr=0.005 augment=shift",
        ] + TrainCommand.watchAndRunExamples)

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let session = invocation.session
        let formatter = invocation.formatter
        var (network, data) = try invocation.workspace.requireTrainingSetup(command: "train", span: invocation.span)
        var configuration = try TrainingOptions.configuration(invocation, data: data)
        let epochs = configuration.epochs
        let quiet = try invocation.boolean("quiet")

        var training = data
        if let option = invocation.option("validation") {
            // Read unchecked: one message says both what the share and the data need.
            let fraction = try session.number(option.value, what: "validation")
            let held = Int((Double(data.sampleCount) * fraction).rounded())
            guard fraction > 0, fraction < 1, held >= 1, held < data.sampleCount else {
                throw Diagnostic(.settingOutOfRange(setting: "validation", range: "a share between 0 and 1 leaving samples on both sides",
                                                   got: formatter.format(fraction)), at: option.value.span)
            }
            // Like Keras's validation_split: the last samples, taken before any shuffling.
            training = data.subset(Array(0..<(data.sampleCount - held)))
            configuration.validation = data.subset(Array((data.sampleCount - held)..<data.sampleCount))
        }
        try BatchNormBatches.check(network, sampleCount: training.sampleCount, batchSize: configuration.batchSize,
                                   command: "train", span: invocation.span)
        // Its buffers are made at once: checked against the budget first.
        let bytes = Trainer.workspaceBytes(network: network, sampleCount: training.sampleCount, configuration: configuration)
        let shape = ([network.inputCount] + network.layers.map(\.units)).map(String.init).joined(separator: "-")
        try invocation.settings.checkMemory(bytes, for: "training the \(shape) network", at: invocation.span)
        // With quiet=true nothing shows the final loss, so training skips the pass that measures it.
        configuration.measuresFinalLoss = !quiet
        let logEvery = try invocation.givenWholeNumber("log_every") ?? max(1, Int((Double(epochs) / 10).rounded(.up)))

        let runName = try Self.runName(invocation)
        var watch = try TrainingWatch(invocation, epochs: epochs)
        try watch?.begin(network)
        var progress = ProgressReporter(style: quiet || watch?.hidesProgress == true ? nil : session.progressStyle, epochs: epochs, logEvery: logEvery,
                                        samples: training.sampleCount, write: session.output, update: session.emitProgress)
        let interruptRequested = session.interruptRequested
        let start = ContinuousClock.now
        let report = Trainer.train(
            &network, inputs: training.inputs, targets: training.targets, loss: invocation.workspace.loss,
            configuration: configuration, generator: &session.generator,
            onEpoch: { record in
                progress.report(record)
                watch?.note(record)
            },
            onEpochNetwork: { record, network in
                if watch?.isDue(record.epoch) == true { watch?.draw(record, network: network()) }
            },
            shouldContinue: { _ in !interruptRequested() })
        progress.finish()
        watch?.finish(network, last: report.history.last)
        let seconds = Session.seconds(since: start)
        invocation.workspace.network = network
        invocation.workspace.trainingHistory = report.history
        if let runName { invocation.workspace.keepRun(runName, history: report.history) }
        var ran = configuration
        ran.validation = nil
        invocation.workspace.lastTraining = ran
        if case .diverged(let epoch) = report.stopReason {
            throw Diagnostic(.diverged(epoch: epoch), at: invocation.span)
        }
        guard !quiet, let finalLoss = report.finalLoss else { return }
        var result = "E = \(formatter.format(finalLoss))"
        if let validationLoss = report.finalValidationLoss { result += ", validation E = \(formatter.format(validationLoss))" }
        if data.isClassification {
            let accuracy = report.finalAccuracy
                ?? Metrics.accuracy(outputs: network.wholeDataPredict(training.inputs), targets: training.targets)
            result += ", accuracy = \(formatter.format(accuracy))"
        }
        result += " (\(Session.formatSeconds(seconds)) s)"
        switch report.stopReason {
        case .interrupted(let epoch):
            invocation.write("interrupted at epoch \(epoch) of \(epochs): \(result)")
        case .targetLossReached:
            invocation.write("reached target_loss at epoch \(report.epochsCompleted): \(result)")
        case .earlyStopping(let best):
            let restored = configuration.earlyStopping?.restoreBest == true ? ", its weights restored" : ""
            invocation.write("stopped early at epoch \(report.epochsCompleted), best epoch \(best)\(restored): \(result)")
        case .completed, .diverged:
            invocation.write("trained \(report.epochsCompleted) \(report.epochsCompleted == 1 ? "epoch" : "epochs"): \(result)")
        }
    }
}

/// crossval [k=N] [the options of one training run]: k trainings from the network's current
/// weights, each holding out one fold, and the held-out loss and accuracy of each.
struct CrossvalCommand: Command {
    let spec = CommandSpec(
        "crossval", .training, "k-fold cross-validation: train k times, each time testing on the fold held out",
        options: [
            OptionSpec("k", "N", "the number of folds", .wholeNumber(2...1_000_000), default: .value("5")),
        ] + TrainingOptions.specs,
        details: [
            "Deals the training data (the training part after 'split', as normalized) into k folds, stratified for",
            "classes as scikit-learn's StratifiedKFold, shuffled with the session's generator. Each fold is held out",
            "once while a copy of the network, from the same weights and the same random draws, trains on the others",
            "with train's options. Prints each fold's loss (and accuracy) and their mean ± standard deviation",
            "(NumPy's std: over k). The network, its history and the data are left as they were.",
        ],
        examples: ["crossval k=5 epochs=200 lr=0.5", "crossval k=10 epochs=50 optimizer=adam lr=0.01"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let session = invocation.session
        let formatter = invocation.formatter
        let (network, data) = try invocation.workspace.requireTrainingSetup(command: "crossval", span: invocation.span)
        let k = try invocation.wholeNumber("k")
        guard k <= data.sampleCount else {
            let span = invocation.option("k")?.value.span ?? invocation.span
            throw Diagnostic(.settingOutOfRange(setting: "k", range: "at most the \(data.sampleCount) training samples", got: String(k)), at: span)
        }
        var configuration = try TrainingOptions.configuration(invocation, data: data)
        configuration.measuresFinalLoss = false
        let loss = invocation.workspace.loss
        let classes = data.isClassification ? Metrics.trueClasses(targets: data.targets) : Array(repeating: 0, count: data.sampleCount)
        let folds = Stratification.folds(order: session.generator.permutation(count: data.sampleCount), classes: classes, k: k)
        // Every fold trains from the same draws; the session's generator moves on past the folds only.
        let start = session.generator
        let interruptRequested = session.interruptRequested

        for fold in folds {
            try BatchNormBatches.check(network, sampleCount: data.sampleCount - fold.count, batchSize: configuration.batchSize,
                                       command: "crossval", span: invocation.span)
        }
        invocation.write("crossval: \(k) folds of \(data.sampleCount) samples\(data.isClassification ? ", stratified by class" : "")")
        var losses: [Double] = []
        var accuracies: [Double] = []
        for (index, fold) in folds.enumerated() {
            let heldOut = Set(fold)
            let training = data.subset((0..<data.sampleCount).filter { !heldOut.contains($0) })
            let test = data.subset(fold)
            var trained = network
            var generator = start
            let report = Trainer.train(&trained, inputs: training.inputs, targets: training.targets, loss: loss,
                                       configuration: configuration, generator: &generator,
                                       shouldContinue: { _ in !interruptRequested() })
            switch report.stopReason {
            case .diverged(let epoch): throw Diagnostic(.diverged(epoch: epoch), at: invocation.span)
            case .interrupted(let epoch):
                invocation.write("interrupted in fold \(index + 1) at epoch \(epoch)")
                return
            case .completed, .targetLossReached, .earlyStopping: break
            }
            let outputs = trained.wholeDataPredict(test.inputs)
            losses.append(loss.value(output: outputs, target: test.targets))
            var line = "fold \(index + 1): E = \(formatter.format(losses[index]))"
            if data.isClassification {
                accuracies.append(Metrics.accuracy(outputs: outputs, targets: test.targets))
                line += ", accuracy = \(formatter.format(accuracies[index]))"
            }
            invocation.write(line + " (\(test.sampleCount) held out)")
        }
        func meanAndDeviation(_ values: [Double]) -> String {
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            return "\(formatter.format(mean)) ± \(formatter.format(variance.squareRoot()))"
        }
        var summary = "mean: E = \(meanAndDeviation(losses))"
        if data.isClassification { summary += ", accuracy = \(meanAndDeviation(accuracies))" }
        invocation.write(summary)
    }
}

/// optimizer [NAME [lr=X] [momentum=X] [beta1=X] [beta2=X] [eps=X] [alpha=X] [weight_decay=X] [l1=X]]
struct OptimizerCommand: Command {
    let spec = CommandSpec(
        "optimizer", .training, "choose the optimizer train uses, or print it",
        positional: [ArgumentSpec("NAME", "an optimizer", .word(.optimizer), optional: true)],
        options: [
            OptionSpec("lr", "X", "the session's learning rate", .number(.positive), default: .described("0.1"),
                       appliesWhen: OptimizerOptions.appliesTo(OptimizerKind.allCases, OptimizerCommand.named)),
        ] + OptimizerOptions.specs(weightDecay: "L2 penalty λ", l1: "L1 penalty λ₁", optimizer: OptimizerCommand.named),
        details: ["sgd, momentum, nesterov, adagrad, rmsprop, adam, rprop and lbfgs, with PyTorch's update rules and defaults."],
        examples: ["optimizer adam lr=0.001", "optimizer momentum momentum=0.8 weight_decay=1e-4", "optimizer rprop lr=0.01",
                   "optimizer lbfgs lr=1 line_search=strong_wolfe", "optimizer"])

    /// The optimizer NAME chooses; options without one would go unread.
    @Sendable static func named(_ invocation: Invocation) throws(Diagnostic) -> OptimizerKind {
        guard let name = invocation.word(0), let kind = OptimizerKind(rawValue: name) else {
            let first = invocation.statement.options.first?.nameSpan ?? invocation.span
            throw Diagnostic(.missingArgument(command: "optimizer", what: "an optimizer name before its options"), at: first)
        }
        return kind
    }

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard invocation.word(0) != nil else {
            let settings = invocation.settings
            invocation.write("optimizer: " + OptimizerOptions.text(of: settings.optimizer, formatter: invocation.formatter)
                             + ", lr = " + invocation.formatter.format(settings.learningRate))
            return
        }
        // A new optimizer starts from its own defaults, without weight decay.
        var base = OptimizerSettings.defaults(for: try Self.named(invocation))
        base.weightDecay = 0
        let chosen = try OptimizerOptions.apply(invocation, to: base)
        let rate = try invocation.givenLearningRate()
        invocation.settings.optimizer = chosen
        if let rate { invocation.settings.learningRate = rate }
    }
}

/// history [limit=N]: the recorded per-epoch metrics, at most `limit` rows evenly spread.
struct HistoryCommand: Command {
    let spec = CommandSpec(
        "history", .inspection, "the per-epoch loss, accuracy and learning rate of the last train, or of a named run",
        positional: [ArgumentSpec("NAME", "a run kept by train … run=NAME", .name, optional: true, completions: .runs)],
        options: [OptionSpec("limit", "N", "rows shown, evenly spread", .wholeNumber(2...1_000_000_000), default: .value("20"))],
        details: ["history NAME: the run 'train … run=NAME' kept; 'last' is the last run, named or not."],
        examples: ["history", "history adam limit=5"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let history: [EpochRecord]
        if let name = invocation.argument(0)?.bareName, let span = invocation.argument(0)?.span {
            history = try invocation.workspace.run(named: name, span: span).history
        } else {
            history = invocation.workspace.trainingHistory
        }
        guard !history.isEmpty else { throw Diagnostic(.nothingTrained, at: invocation.span) }
        let records = Self.evenlySpread(history, count: try invocation.wholeNumber("limit"))
        let hasValidation = records.contains { $0.validationLoss != nil }
        let hasAccuracy = records.contains { $0.accuracy != nil }
        var heading = ["epoch", "loss"]
        if hasValidation { heading.append("val_loss") }
        if hasAccuracy { heading.append("accuracy") }
        if hasAccuracy && hasValidation { heading.append("val_accuracy") }
        heading.append("lr")
        var table = TextTable([.right] + Array(repeating: .right, count: heading.count - 1))
        table.add(heading)
        let short = ValueFormatter(precision: min(invocation.settings.precision, 6))
        for record in records {
            var row = [String(record.epoch), short.format(record.loss)]
            if hasValidation { row.append(record.validationLoss.map(short.format) ?? "") }
            if hasAccuracy { row.append(record.accuracy.map(short.format) ?? "") }
            if hasAccuracy && hasValidation { row.append(record.validationAccuracy.map(short.format) ?? "") }
            row.append(short.format(record.learningRate))
            table.add(row)
        }
        invocation.write(table)
        if records.count < history.count {
            invocation.write("(\(records.count) of \(history.count) epochs shown; history limit=N for more)")
        }
    }

    /// At most `count` elements, evenly spread, always with the first and the last.
    static func evenlySpread<T>(_ items: [T], count: Int) -> [T] {
        guard items.count > count, count >= 2 else { return items }
        return (0..<count).map { items[Int((Double($0) * Double(items.count - 1) / Double(count - 1)).rounded())] }
    }
}

/// evaluate: the loss, and accuracy for classes or R², MAE and RMSE for numbers, on the test part.
struct EvaluateCommand: Command {
    let spec = CommandSpec(
        "evaluate", .inspection, "the loss, and accuracy or R², MAE and RMSE, on the test part",
        details: [
            "Uses the samples 'split' held out, or the training data when there is no split.",
            "Classes get the accuracy ('report' gives precision, recall and F1 per class); numbers get",
            "R², the mean absolute error and the root of the mean squared error, as scikit-learn's",
            "r2_score, mean_absolute_error and mean_squared_error compute them over every output.",
        ],
        examples: ["split test=0.2\ntrain epochs=100\nevaluate"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let (network, data, part) = try Self.evaluationSet(invocation)
        let formatter = invocation.formatter
        let (loss, outputs) = network.wholeDataEvaluation(input: data.inputs, target: data.targets, loss: invocation.workspace.loss)
        var text = "\(part): E = \(formatter.format(loss))"
        if data.isClassification {
            let correct = Metrics.correctCount(outputs: outputs, targets: data.targets)
            text += ", accuracy = \(formatter.format(Double(correct) / Double(data.sampleCount))) (\(correct) of \(data.sampleCount))"
        } else {
            let scores = Metrics.regressionScores(outputs: outputs, targets: data.targets)
            text += ", R² = \(formatter.format(scores.r2)), MAE = \(formatter.format(scores.meanAbsoluteError))"
                + ", RMSE = \(formatter.format(scores.rootMeanSquaredError)) (\(data.sampleCount) samples)"
        }
        invocation.write(text)
    }

    /// The data `evaluate` and `confusion` measure: the test part after `split`, else the
    /// training data, with a word saying which.
    static func evaluationSet(_ invocation: Invocation) throws(Diagnostic) -> (Network, DataSet, String) {
        let command = invocation.spec.name
        let workspace = invocation.workspace
        let network = try workspace.requireLayers(command: command, span: invocation.span)
        if let test = workspace.testSet {
            try Workspace.checkFit(test, to: network, span: invocation.span)
            return (network, test, "test")
        }
        guard let data = workspace.trainingSet else { throw Diagnostic(.noData(command: command), at: invocation.span) }
        try Workspace.checkFit(data, to: network, span: invocation.span)
        return (network, data, "training (no split)")
    }
}

/// confusion: rows are true classes, columns predicted ones, with the class names.
struct ConfusionCommand: Command {
    let spec = CommandSpec(
        "confusion", .inspection, "the confusion matrix of true and predicted classes",
        details: ["Rows are true classes, columns predicted ones; on the test part, or the training data without a split."])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let (network, data, part) = try EvaluateCommand.evaluationSet(invocation)
        guard data.isClassification else { throw Diagnostic(.notClassification(command: "confusion"), at: invocation.span) }
        let matrix = Metrics.confusionMatrix(outputs: network.wholeDataPredict(data.inputs), targets: data.targets, classCount: data.classNames.count)
        var table = TextTable([.left] + Array(repeating: .right, count: data.classNames.count))
        table.add(["true \\ predicted"] + data.classNames)
        for (name, row) in zip(data.classNames, matrix) { table.add([name] + row.map(String.init)) }
        invocation.write("confusion on the \(part) data:")
        invocation.write(table)
    }
}

/// report: precision, recall, F1 and support per class, with their averages.
struct ReportCommand: Command {
    let spec = CommandSpec(
        "report", .inspection, "precision, recall, F1 and support per class, as scikit-learn's classification_report",
        details: [
            "On the test part, or the training data without a split. Precision: of the samples predicted a class,",
            "the share that are; recall: of a class's samples, the share found; F1: their harmonic mean; support:",
            "the class's samples. The macro average weighs every class the same, the weighted one by support.",
            "A share of nothing (a class never predicted, or without samples) is 0, as scikit-learn's zero_division=0.",
        ],
        examples: ["split test=0.2\ntrain epochs=100\nreport"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let (network, data, part) = try EvaluateCommand.evaluationSet(invocation)
        guard data.isClassification else { throw Diagnostic(.notClassification(command: "report"), at: invocation.span) }
        let report = Metrics.classificationReport(predicted: Metrics.predictedClasses(outputs: network.wholeDataPredict(data.inputs)),
                                                  actual: Metrics.trueClasses(targets: data.targets),
                                                  classCount: data.classNames.count)
        // A share in [0, 1] with four decimals, 0 included, as classification_report(digits=4) prints it.
        func number(_ value: Double) -> String {
            let tenThousandths = Int((value * 10_000).rounded())
            let fraction = String(tenThousandths % 10_000)
            return "\(tenThousandths / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
        }
        func row(_ name: String, _ scores: ClassificationReport.Scores) -> [String] {
            [name, number(scores.precision), number(scores.recall), number(scores.f1), String(scores.support)]
        }
        var table = TextTable([.left, .right, .right, .right, .right])
        table.add(["", "precision", "recall", "f1-score", "support"])
        for (name, scores) in zip(data.classNames, report.classes) { table.add(row(name, scores)) }
        table.add([])
        table.add(["accuracy", "", "", number(report.accuracy), String(data.sampleCount)])
        table.add(row("macro avg", report.macroAverage))
        table.add(row("weighted avg", report.weightedAverage))
        invocation.write("report on the \(part) data:")
        invocation.write(table)
    }
}
