import NNEngine

// The network's commands: input, layer, loss, init, summary, reset, clear.

/// input N
struct InputCommand: Command {
    let spec = CommandSpec(
        "input", .network, "start a network with N input features",
        positional: [ArgumentSpec("N", "the number of inputs", .value)],
        details: ["Starts a new network with no layers. Use 'clear' first to change the input size of a network that has layers."],
        examples: ["input 2"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let count = try invocation.session.wholeNumber(invocation.statement.positional[0], what: "the number of inputs", minimum: 1)
        if let network = invocation.workspace.network, !network.layers.isEmpty {
            throw Diagnostic(.inputAfterLayers, at: invocation.statement.nameSpan)
        }
        // A new network: the data and the loss stay, everything of the old network goes.
        invocation.workspace.startOver(keeping: [.data, .loss])
        invocation.workspace.network = Network(inputCount: count)
    }
}

/// layer N [ACTIVATION] [alpha=X] [init=NAME] [dropout=P] [batchnorm=true]
struct LayerCommand: Command {
    let spec = CommandSpec(
        "layer", .network, "append a dense layer of N units: z = W x + b, a = φ(z)",
        positional: [
            ArgumentSpec("N", "the number of units", .value),
            ArgumentSpec("ACTIVATION", "an activation", .word(.activation), optional: true),
        ],
        options: [
            OptionSpec("alpha", "X", "slope of leaky_relu below 0, or scale of elu", .number(.any),
                       default: .described("0.01 for leaky_relu, 1 for elu"),
                       appliesWhen: Applicability("leaky_relu and elu") { Activation.takesAlpha(name: $0.word(1) ?? "linear") }),
            OptionSpec("init", "NAME", "how the weights start: he, uniform(-0.5, 0.5), … (see 'help init')",
                       .expression(completions: Initializer.names), default: .described("the session's, xavier")),
            OptionSpec("dropout", "P", "during training, zero each output with probability P (inverted dropout)", .number(.fraction),
                       default: .value("0")),
            OptionSpec("batchnorm", "BOOL", "normalize z per unit over the batch before φ, as torch.nn.BatchNorm1d",
                       .boolean, default: .value("false")),
        ],
        details: [
            "W has shape N × (units of the layer before), the transpose after 'set convention rows'; weights start",
            "as 'init' says (seeded), biases 0.",
            "The activation is linear when omitted. Activations: \(Activation.names.joined(separator: ", ")).",
            "With batchnorm=true the layer is Linear → BatchNorm1d(eps=1e-5, momentum=0.1) → φ:",
            "x̂ = (z − μ)/√(σ² + ε), y = γ x̂ + β, a = φ(y), per unit. 'train' and 'step' use the batch's μ and",
            "(biased) σ² and move the running estimates: μ_run ← 0.9 μ_run + 0.1 μ, σ²_run ← 0.9 σ²_run + 0.1 σ² n/(n − 1).",
            "Everything else ('loss', 'predict', 'evaluate', 'forward', pictures) uses μ_run and σ²_run, as",
            "PyTorch's eval(); 'grad', 'gradcheck' and 'explain backward' use the batch's statistics, as a step does.",
            "γ and β are the parameters gammaL and betaL (γ = 1, β = 0 at the start); training needs batches of 2 or more.",
        ],
        examples: ["layer 2 sigmoid", "layer 10 leaky_relu alpha=0.1", "layer 64 relu init=he dropout=0.2",
                   "layer 8 relu batchnorm=true"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let session = invocation.session
        guard var network = invocation.workspace.network else {
            throw Diagnostic(.noNetwork(command: "layer"), at: invocation.statement.nameSpan)
        }
        let unitsExpression = invocation.statement.positional[0]
        let units = try session.wholeNumber(unitsExpression, what: "the number of units", minimum: 1)
        let weights = units.multipliedReportingOverflow(by: network.outputCount)
        let limit = invocation.settings.maxElements
        guard !weights.overflow, weights.partialValue <= limit else {
            throw Diagnostic(.layerTooLarge(weights: weights.overflow ? Int.max : weights.partialValue, limit: limit), at: unitsExpression.span)
        }
        let parameters = network.parameterCount + weights.partialValue + units
        try invocation.settings.checkMemory(MemoryBudget.bytes(ofNumbers: parameters), for: "a network of \(parameters) parameters", at: unitsExpression.span)
        let activationName = invocation.word(1) ?? "linear"
        guard let activation = Activation(name: activationName, alpha: try invocation.givenNumber("alpha")) else {
            // The parser checked the name against the same list.
            throw Diagnostic(.unknownWord(kind: "activation", name: activationName, suggestion: nil), at: invocation.span)
        }
        let initializer = try invocation.option("init").map { option throws(Diagnostic) in
            try InitCommand.initializer(from: option.value, formatter: invocation.formatter, session: session)
        } ?? invocation.settings.initializer
        let dropout = try invocation.number("dropout")
        let batchNorm = try invocation.boolean("batchnorm")
        network.appendLayer(units: units, activation: activation, initializer: initializer, generator: &session.generator)
        network.layers[network.layers.count - 1].dropout = dropout
        if batchNorm { network.layers[network.layers.count - 1].batchNorm = BatchNorm(units: units) }
        invocation.workspace.network = network
        invocation.workspace.layerInitializers.append(initializer)
    }
}

/// loss [NAME] [delta=X]
struct LossCommand: Command {
    let spec = CommandSpec(
        "loss", .network, "choose the loss function, or print the current loss on the data",
        positional: [ArgumentSpec("NAME", "a loss", .word(.loss), optional: true)],
        options: [
            OptionSpec("delta", "X", "where huber and pseudo_huber turn from quadratic to linear", .number(.positive),
                       default: .value("1"),
                       appliesWhen: Applicability("huber and pseudo_huber") { invocation throws(Diagnostic) in
                           guard let name = invocation.word(0) else {
                               throw Diagnostic(.missingArgument(command: "loss", what: "a loss name before delta="),
                                                at: invocation.statement.option("delta")?.nameSpan ?? invocation.span)
                           }
                           return Loss.takesDelta(name: name)
                       }),
        ],
        details: [
            "Losses are averaged over the samples: sse = ½ Σ (t − o)² per sample (the notes' E_total),",
            "mse = mean over samples and outputs of (t − o)², cross_entropy = −Σ t log p per sample,",
            "binary_cross_entropy, huber and pseudo_huber (mean over samples and outputs). The default is mse.",
            "After softmax, cross_entropy is computed from the net input z (log p = z − log Σ e^z), and after",
            "sigmoid, binary_cross_entropy too (log σ(z) = −softplus(−z)), as PyTorch's CrossEntropyLoss and",
            "BCEWithLogitsLoss do: exact however sure and wrong the network is. After another output activation,",
            "or with dropout on the output layer, they take the log of the outputs, kept within [ε, 1 − ε] with",
            "ε = \(Loss.probabilityEpsilon) to stay finite: there a certain wrong answer costs at most \(ValueFormatter(precision: 4).format(Loss.clampedLogLimit)).",
        ],
        examples: ["loss sse", "loss huber delta=0.5", "loss"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard let name = invocation.word(0) else {
            invocation.write("E = " + invocation.formatter.format(try invocation.workspace.currentLoss(command: "loss", span: invocation.span)))
            return
        }
        let delta = Loss.takesDelta(name: name) ? try invocation.number("delta") : nil
        guard let chosen = Loss(name: name, delta: delta) else {
            throw Diagnostic(.unknownWord(kind: "loss", name: name, suggestion: nil), at: invocation.span)
        }
        invocation.workspace.loss = chosen
    }
}

/// init NAME [ARGS…]: the initializer for every layer, drawn afresh now and by `reset`.
struct InitCommand: Command {
    let spec = CommandSpec(
        "init", .network, "choose how weights start, and draw them afresh",
        positional: [
            ArgumentSpec("NAME", "an initializer", .word(.initializer), optional: true),
            ArgumentSpec("ARGS", "its arguments", .values, optional: true),
        ],
        details: [
            "xavier (Glorot uniform, the default), xavier_normal, he (Kaiming uniform), he_normal, lecun (normal),",
            "uniform LO HI, normal STD, zeros, constant V. Biases start at 0. Seeded: see 'set seed'.",
            "Applies to every layer, now and at 'reset'; 'layer … init=NAME' sets one layer's.",
        ],
        examples: ["init he", "init uniform -0.5 0.5", "init normal 0.01"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let session = invocation.session
        let formatter = invocation.formatter
        guard let name = invocation.word(0) else {
            invocation.write("init: " + Self.text(of: invocation.settings.initializer, formatter: formatter))
            return
        }
        var arguments: [Double] = []
        for expression in invocation.statement.positional.dropFirst() {
            arguments.append(try session.number(expression, what: "\(name)'s argument"))
        }
        guard let chosen = Initializer(name: name, arguments: arguments), Self.drawsFiniteWeights(chosen) else {
            throw Diagnostic(.expectedValue(what: Self.usage(name), got: arguments.isEmpty ? "no arguments" : arguments.map(formatter.format).joined(separator: " ")),
                             at: invocation.span)
        }
        invocation.settings.initializer = chosen
        invocation.workspace.layerInitializers = Array(repeating: chosen, count: invocation.workspace.network?.layers.count ?? 0)
        invocation.workspace.reinitializeLayers(fallback: chosen, generator: &session.generator)
    }

    /// An initializer written as an option value: `he`, `uniform(-0.5, 0.5)`, `normal(0.1)`.
    static func initializer(from expression: Expression, formatter: ValueFormatter, session: Session) throws(Diagnostic) -> Initializer {
        var name: String
        var arguments: [Double] = []
        switch expression.kind {
        case .name(let word):
            name = word
        case .call(let word, _, let argumentExpressions):
            name = word
            for argument in argumentExpressions { arguments.append(try session.number(argument, what: "\(word)'s argument")) }
        default:
            throw Diagnostic(.expectedValue(what: "an initializer like he or uniform(-0.5, 0.5)", got: "an expression"), at: expression.span)
        }
        guard Initializer.names.contains(name) || name == "xavier_uniform" else {
            throw Diagnostic(.unknownWord(kind: "initializer", name: name, suggestion: Suggestion.closest(to: name, among: Initializer.names)), at: expression.span)
        }
        guard let chosen = Initializer(name: name, arguments: arguments), drawsFiniteWeights(chosen) else {
            throw Diagnostic(.expectedValue(what: usage(name), got: arguments.isEmpty ? "no arguments" : arguments.map(formatter.format).joined(separator: ", ")),
                             at: expression.span)
        }
        return chosen
    }

    /// Whether an initializer's draws stay finite: `uniform -1e308 1e308` overflows its width.
    static func drawsFiniteWeights(_ initializer: Initializer) -> Bool {
        switch initializer {
        case .uniform(let low, let high): return (high - low).isFinite
        case .normal(let deviation): return deviation < 1e100  // six deviations must stay finite
        default: return true
        }
    }

    static func usage(_ name: String) -> String {
        switch name {
        case "uniform": return "uniform LO HI with LO ≤ HI"
        case "normal": return "normal STD with STD ≥ 0"
        case "constant": return "constant V"
        default: return "\(name) with no arguments"
        }
    }

    /// How `init` prints an initializer: `xavier`, `uniform -0.5 0.5`.
    static func text(of initializer: Initializer, formatter: ValueFormatter) -> String {
        ([initializer.name == "xavier_uniform" ? "xavier" : initializer.name] + initializer.arguments.map(formatter.format)).joined(separator: " ")
    }
}

/// summary: the layers, their shapes and the parameter count.
struct SummaryCommand: Command {
    let spec = CommandSpec("summary", .network, "print a table of the layers and the parameter count")

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard let network = invocation.workspace.network else { throw Diagnostic(.noNetwork(command: "summary"), at: invocation.span) }
        // A network with batch normalization gets a column for it, and a line on its state.
        let normalized = network.hasBatchNorm
        var table = TextTable([.left, .right, .left, .right, .right] + (normalized ? [.left] : []))
        table.add(["layer", "units", "activation", "weights", "parameters"] + (normalized ? ["batchnorm"] : []))
        table.add(["input", String(network.inputCount), "", "", ""] + (normalized ? [""] : []))
        let rows = invocation.settings.convention == .rows
        for (index, layer) in network.layers.enumerated() {
            let shape = rows ? "\(layer.inputCount)×\(layer.units)" : "\(layer.units)×\(layer.inputCount)"
            let normalization = layer.batchNorm.map { "γ, β: \($0.parameterCount)" } ?? ""
            table.add([String(index + 1), String(layer.units), layer.activation.name, shape, String(layer.parameterCount)]
                      + (normalized ? [normalization] : []))
        }
        table.add(["total", "", "", "", String(network.parameterCount)] + (normalized ? [""] : []))
        invocation.write(table)
        if normalized {
            let norms = network.layers.compactMap(\.batchNorm)
            let state = norms.reduce(0) { $0 + 2 * $1.units }
            let batches = norms.map { String($0.batchesTracked) }.joined(separator: ", ")
            invocation.write("non-trainable: \(state) running means and variances (not counted above); batches tracked: \(batches)")
        }
        // Keras's counts, once something is frozen.
        let frozen = invocation.workspace.frozenLayers.filter { $0 < network.layers.count }
        if !frozen.isEmpty {
            let frozenCount = frozen.map { network.layers[$0].parameterCount }.reduce(0, +)
            let layers = frozen.sorted().map { String($0 + 1) }.joined(separator: ", ")
            invocation.write("trainable parameters: \(network.parameterCount - frozenCount), frozen: \(frozenCount) (layer\(frozen.count == 1 ? "" : "s") \(layers))")
        }
    }
}

/// reset: fresh weights from the session's generator, each layer with its initializer.
struct ResetCommand: Command {
    let spec = CommandSpec("reset", .network, "re-initialize every weight (seeded) and set the biases to 0")

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard invocation.workspace.network != nil else { throw Diagnostic(.noNetwork(command: "reset"), at: invocation.span) }
        invocation.workspace.reinitializeLayers(fallback: invocation.settings.initializer, generator: &invocation.session.generator)
    }
}

/// clear: start over.
struct ClearCommand: Command {
    let spec = CommandSpec(
        "clear", .network, "start over: remove the network, its loss, the data and the history",
        details: ["Starts over: the network, its loss, the data and the training history go; settings, variables,",
                  "functions, snapshots and the runs kept by 'train … run=NAME' stay. 'undo' brings it all back."])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        invocation.workspace.startOver()
    }
}
