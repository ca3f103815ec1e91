import NNEngine

/// The options of the training toolbox: warm-up, gradient clipping and input augmentation
/// (train and crossval), and the hyperparameters of rprop and lbfgs (train, crossval and optimizer).
enum ToolboxOptions {
    /// warmup=, clip=, noise=, augment=, in help's order.
    static let specs: [OptionSpec] = [
        OptionSpec("warmup", "N", "epochs of linear warm-up, from a third of the rate, before the schedule",
                   .wholeNumber(0...1_000_000_000), default: .value("0")),
        OptionSpec("clip", "X", "clip the gradients' global norm to X before each step", .number(.positive),
                   default: .described("no clipping"),
                   appliesWhen: OptimizerOptions.appliesTo(OptimizerKind.allCases.filter { $0 != .lbfgs }, TrainingOptions.optimizerKind)),
        OptionSpec("noise", "X", "add Gaussian noise of deviation X to the inputs in training (seeded)", .number(.nonNegative),
                   default: .value("0")),
        OptionSpec("augment", "NAME", "none, or shift: move each 8×8 image by up to a pixel in training (seeded)",
                   .word(["none", "shift"]), default: .value("none")),
    ]

    /// eta_minus=, eta_plus=, step_min=, step_max=, variant= (rprop); history_size=, max_iter=,
    /// tolerance_grad=, tolerance_change=, line_search= (lbfgs).
    static func optimizerSpecs(_ optimizer: @escaping OptimizerOptions.Chosen) -> [OptionSpec] {
        let rprop = OptimizerOptions.appliesTo([.rprop], optimizer)
        let lbfgs = OptimizerOptions.appliesTo([.lbfgs], optimizer)
        return [
            OptionSpec("eta_minus", "X", "rprop's factor for a step size whose gradient changed sign", .number(.openUnit),
                       default: .described("0.5"), appliesWhen: rprop),
            // Greater than 1, which `applyOptimizer` checks.
            OptionSpec("eta_plus", "X", "rprop's factor for a step size whose gradient kept its sign", .number(.positive),
                       default: .described("1.2"), appliesWhen: rprop),
            OptionSpec("step_min", "X", "rprop's least step size", .number(.nonNegative), default: .described("1e-6; variant=fann 0"),
                       appliesWhen: rprop),
            OptionSpec("step_max", "X", "rprop's greatest step size", .number(.positive), default: .described("50"), appliesWhen: rprop),
            OptionSpec("variant", "NAME", "rprop: torch (torch.optim.Rprop) or fann (FANN's FANN_TRAIN_RPROP)",
                       .word(["torch", "fann"]), default: .described("torch"), appliesWhen: rprop),
            OptionSpec("history_size", "N", "lbfgs's curvature pairs kept", .wholeNumber(1...100_000),
                       default: .described("100"), appliesWhen: lbfgs),
            OptionSpec("max_iter", "N", "lbfgs's iterations per step", .wholeNumber(1...1_000_000), default: .described("20"),
                       appliesWhen: lbfgs),
            OptionSpec("tolerance_grad", "X", "lbfgs stops a step once every gradient is at most this", .number(.nonNegative),
                       default: .described("1e-7"), appliesWhen: lbfgs),
            OptionSpec("tolerance_change", "X", "lbfgs stops a step once the loss or parameters change less", .number(.nonNegative),
                       default: .described("1e-9"), appliesWhen: lbfgs),
            OptionSpec("line_search", "NAME", "lbfgs: none, or strong_wolfe", .word(["none", "strong_wolfe"]),
                       default: .described("none"), appliesWhen: lbfgs),
        ]
    }

    /// `settings` with the rprop and lbfgs hyperparameters given.
    static func applyOptimizer(_ invocation: Invocation, to settings: inout OptimizerSettings) throws(Diagnostic) {
        if let variant = try invocation.givenWord("variant") {
            settings.fannRprop = variant == "fann"
            if settings.fannRprop { settings.stepMinimum = 0 }  // FANN's delta_min
        }
        if let value = try invocation.givenNumber("eta_minus") { settings.etaMinus = value }
        if let value = try invocation.givenNumber("eta_plus") {
            guard value > 1 else {
                throw Diagnostic(.settingOutOfRange(setting: "eta_plus", range: "greater than 1", got: invocation.formatter.format(value)),
                                 at: invocation.option("eta_plus")?.value.span ?? invocation.span)
            }
            settings.etaPlus = value
        }
        if let value = try invocation.givenNumber("step_min") { settings.stepMinimum = value }
        if let value = try invocation.givenNumber("step_max") { settings.stepMaximum = value }
        if settings.stepMinimum > settings.stepMaximum {
            let option = invocation.option("step_min") ?? invocation.option("step_max")
            throw Diagnostic(.settingOutOfRange(setting: "step_min", range: "at most step_max (\(invocation.formatter.format(settings.stepMaximum)))",
                                                got: invocation.formatter.format(settings.stepMinimum)),
                             at: option?.value.span ?? invocation.span)
        }
        // descend runs no lbfgs and so declares none of its options.
        guard invocation.declares("history_size") else { return }
        if let value = try invocation.givenWholeNumber("history_size") { settings.historySize = value }
        if let value = try invocation.givenWholeNumber("max_iter") { settings.maxIterations = value }
        if let value = try invocation.givenNumber("tolerance_grad") { settings.toleranceGradient = value }
        if let value = try invocation.givenNumber("tolerance_change") { settings.toleranceChange = value }
        if let value = try invocation.givenWord("line_search") { settings.strongWolfe = value == "strong_wolfe" }
    }

    /// The toolbox's part of a run on `data`: warm-up is read with the schedule; here the frozen
    /// layers, clipping, augmentation, and L-BFGS's refusal of mini-batches.
    static func apply(_ invocation: Invocation, to configuration: inout TrainingConfiguration, data: DataSet) throws(Diagnostic) {
        let layerCount = invocation.workspace.network?.layers.count ?? 0
        configuration.frozenLayers = invocation.workspace.frozenLayers.filter { $0 < layerCount }
        configuration.clipNorm = try invocation.givenNumber("clip")
        if configuration.optimizer.kind == .lbfgs, let batch = configuration.batchSize, batch < data.sampleCount,
           let option = invocation.option("batch") {
            throw Diagnostic(.optionNotApplicable(option: "batch", appliesTo: "first-order optimizers (lbfgs steps on the whole data set)"),
                             at: option.nameSpan)
        }
        if configuration.optimizer.kind == .lbfgs, invocation.workspace.network?.hasBatchNorm == true {
            throw Diagnostic(.expectedValue(what: "a first-order optimizer for a network with batch normalization (lbfgs evaluates the loss many times a step, and batch statistics would move the running ones each time)",
                                            got: "lbfgs"), at: invocation.option("optimizer")?.value.span ?? invocation.span)
        }
        let noise = try invocation.number("noise")
        let shifts = try invocation.word("augment") == "shift"
        if shifts, data.inputs.columns != 64 {
            throw Diagnostic(.expectedValue(what: "8×8 images (64 inputs) for augment=shift", got: "\(data.inputs.columns) inputs"),
                             at: invocation.option("augment")?.value.span ?? invocation.span)
        }
        if noise > 0 || shifts {
            // A shift moves raw pixels: the normalization (if any) is undone and redone around it.
            let normalization = invocation.workspace.normalization
            configuration.augmentation = InputAugmentation(noise: noise, shiftsImage: shifts, imageSide: 8,
                                                           pixelOffsets: normalization?.offsets ?? [], pixelScales: normalization?.scales ?? [])
        }
    }
}
