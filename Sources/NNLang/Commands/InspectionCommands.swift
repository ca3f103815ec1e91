import NNEngine

// The inspection commands: forward, grad, predict, print, explain; and the checks gradcheck,
// deriv and table.

/// forward [X]: each layer's net input z and output a.
struct ForwardCommand: Command {
    let spec = CommandSpec(
        "forward", .inspection, "run a forward pass and print each layer's z = W x + b and a = φ(z)",
        positional: [ArgumentSpec("X", "inputs", .value, optional: true)],
        details: ["Uses the data's inputs when X is omitted. A layer with batch normalization also prints",
                  "y = γ x̂ + β, by its running statistics, between z and a."],
        examples: ["forward", "forward [0.05, 0.10]"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let network = try invocation.workspace.requireLayers(command: "forward", span: invocation.span)
        var inputs: Matrix
        var asVectors = false
        if let argument = invocation.argument(0) {
            let value = try invocation.evaluate(argument)
            inputs = try invocation.session.sampleMatrix(value, what: "inputs", span: argument.span)
            if case .vector = value { asVectors = true }
            inputs = try invocation.session.preparedInputs(inputs, span: argument.span)
            guard inputs.columns == network.inputCount else {
                throw Diagnostic(.inputWidthMismatch(what: "the input", columns: inputs.columns, inputs: network.inputCount), at: argument.span)
            }
        } else {
            guard let data = invocation.workspace.trainingSet else { throw Diagnostic(.noData(command: "forward"), at: invocation.span) }
            guard data.inputs.columns == network.inputCount else {
                throw Diagnostic(.inputWidthMismatch(what: "the data's x", columns: data.inputs.columns, inputs: network.inputCount), at: invocation.span)
            }
            inputs = data.inputs
        }
        let formatter = invocation.formatter
        let show: (Matrix) -> String = { asVectors ? formatter.format($0.row(0)) : formatter.format($0) }
        for (index, layer) in network.forward(inputs).layers.enumerated() {
            if let normalization = layer.normalization {
                // Batch normalization by the running statistics: z, then y = γ x̂ + β, then a = φ(y).
                invocation.write("z\(index + 1) = \(show(normalization.linear))")
                invocation.write("y\(index + 1) = \(show(layer.net))")
            } else {
                invocation.write("z\(index + 1) = \(show(layer.net))")
            }
            invocation.write("a\(index + 1) = \(show(layer.output))")
        }
    }
}

/// grad [PARAM]: ∂E/∂PARAM, or every parameter's gradient.
struct GradCommand: Command {
    let spec = CommandSpec(
        "grad", .inspection, "print the gradient of the loss with respect to a parameter, or all of them",
        positional: [ArgumentSpec("PARAM", "a parameter", .parameter, optional: true)],
        details: [
            "Parameters: W1…WL (weight matrices), b1…bL (bias vectors), W2[i,j] and b1[i] (1-based),",
            "and w1…wN, single weights numbered layer by layer, row by row (w5 is W2[1,1] in a 2-2-2 network).",
        ],
        examples: ["grad w5", "grad W2", "grad W2[1,2]", "grad"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let formatter = invocation.formatter
        if let parameter = invocation.argument(0) {
            let (label, value) = try invocation.session.gradient(of: parameter, command: "grad")
            invocation.write("\(label) = \(formatter.format(value))")
            return
        }
        let (network, data) = try invocation.workspace.requireTrainingSetup(command: "grad", span: invocation.span)
        let gradients = network.wholeDataGradients(input: data.inputs, target: data.targets, loss: invocation.workspace.loss)
        for layer in 1...network.layers.count {
            invocation.write("∂E/∂W\(layer) = \(formatter.format(invocation.settings.convention.shown(gradients.weights[layer - 1])))")
            invocation.write("∂E/∂b\(layer) = \(formatter.format(gradients.biases[layer - 1]))")
        }
    }
}

/// predict X: the network's output.
struct PredictCommand: Command {
    let spec = CommandSpec(
        "predict", .inspection, "print the network's output for the given inputs, or a CSV file's",
        positional: [
            ArgumentSpec("X", "inputs, or a CSV file name in quotes", .value),
            ArgumentSpec("to", "'to'", .word(.to), optional: true),
            ArgumentSpec("FILE", "a .csv file name in quotes", .value, optional: true),
        ],
        details: [
            "predict \"new.csv\": the inputs are a CSV file's rows, normalized as the training data was; a header",
            "line is optional, and where it names the training data's features those columns are read, in that",
            "order (so a file with the target column too will do). For classes, each row's class name is printed",
            "beside the outputs. predict … to \"out.csv\" writes the outputs (and a column 'class') instead.",
        ],
        examples: ["predict [[0, 1], [1, 1]]", "predict \"new.csv\"", "predict \"new.csv\" to \"predictions.csv\""])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let inputs = invocation.statement.positional[0]
        let destination = invocation.argument(2)
        if invocation.argument(1) != nil && destination == nil {
            throw Diagnostic(.missingArgument(command: "predict", what: "a .csv file name in quotes after 'to'"), at: invocation.span)
        }
        let value: Value
        if case .string(let path) = inputs.kind {
            value = .matrix(try Self.inputs(fromFile: path, invocation, span: inputs.span))
        } else {
            value = try invocation.evaluate(inputs)
        }
        let output = try invocation.session.prediction(for: value, span: inputs.span)
        let classNames = invocation.workspace.classNamesForModel
        guard let destination else {
            guard case .string = inputs.kind, case .matrix(let outputs) = output, !classNames.isEmpty else {
                invocation.write(invocation.formatter.format(output))
                return
            }
            var table = TextTable(Array(repeating: .right, count: outputs.columns) + [.left])
            table.add(Self.outputColumns(outputs.columns, classNames: classNames) + ["class"])
            for (row, name) in Self.classNames(of: outputs, classNames).enumerated() {
                table.add(outputs.row(row).map { invocation.formatter.format($0) } + [name])
            }
            invocation.write(table)
            return
        }
        let (path, pathSpan) = try CommandFiles.fileName(destination)
        guard path.hasSuffix(".csv") else {
            throw Diagnostic(.expectedValue(what: "a .csv file name after 'to'", got: "'\(path)'"), at: pathSpan)
        }
        let outputs: Matrix
        switch output {
        case .matrix(let matrix): outputs = matrix
        case .vector(let row): outputs = Matrix(row: row)
        case .scalar(let number): outputs = Matrix(row: [number])
        case .text: throw Diagnostic(.expectedValue(what: "outputs", got: "a string"), at: inputs.span)
        }
        var header = Self.outputColumns(outputs.columns, classNames: classNames)
        var rows = (0..<outputs.rows).map { outputs.row($0).map(CSVWriter.Cell.number) }
        if !classNames.isEmpty {
            header.append("class")
            for (row, name) in Self.classNames(of: outputs, classNames).enumerated() { rows[row].append(.text(name)) }
        }
        try CommandFiles.write(Array(CSVWriter.encode(header: header, rows: rows).utf8), to: path, span: pathSpan)
        invocation.write("saved \(path): \(outputs.rows) prediction\(outputs.rows == 1 ? "" : "s")")
    }

    /// The inputs in a CSV file: the columns named as the training data's features, when its
    /// header names them all, else every column.
    static func inputs(fromFile path: String, _ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> Matrix {
        let bytes = try FileAccess.readFile(path, span: span)
        let poll = StopPoll(every: 4096, invocation.session.interruptRequested)
        let read = CSVReader.readMatrix(bytes: bytes, selecting: invocation.workspace.dataSet?.featureNames, poll: poll)
        if poll.isStopped { throw Diagnostic(.interruptedWhile("reading '\(path)'"), at: span) }
        switch read {
        case .success(let read): return read.matrix
        case .failure(let error): throw Diagnostic(.dataFile(path: path, error: error), at: span)
        }
    }

    /// The outputs' column names: each class's probability for one-hot classes, else y1…yk.
    static func outputColumns(_ count: Int, classNames: [String]) -> [String] {
        if classNames.count == count && count > 1 { return classNames.map { "p(\($0))" } }
        return count == 1 ? ["y"] : (1...count).map { "y\($0)" }
    }

    /// Each output row's class name, by the rule accuracy uses.
    static func classNames(of outputs: Matrix, _ names: [String]) -> [String] {
        Metrics.predictedClasses(outputs: outputs).map { $0 < names.count ? names[$0] : String($0) }
    }
}

/// print EXPR[, EXPR…]
struct PrintCommand: Command {
    let spec = CommandSpec(
        "print", .inspection, "print values, separated by spaces",
        positional: [ArgumentSpec("EXPR", "a value", .values)],
        examples: ["print sigmoid(0)", "print w1, w2, loss"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        var texts: [String] = []
        for expression in invocation.statement.positional {
            texts.append(try invocation.session.printable(try invocation.evaluate(expression), span: expression.span))
        }
        invocation.write(texts.joined(separator: " "))
    }
}

// MARK: - explain

/// explain grad PARAM | forward | loss | step, and explain grad(EXPR, VAR): the arithmetic
/// behind gradients, forward passes, the loss and updates.
struct ExplainCommand: Command {
    let spec = CommandSpec(
        "explain", .inspection, "show the arithmetic: the chain rule of a gradient, a forward pass, the loss, a step",
        positional: [
            ArgumentSpec("WHAT", "grad, forward, loss or step", .word(.explainTopic), calls: ["grad"]),
            ArgumentSpec("PARAM", "for grad, a parameter", .parameter, optional: true),
            ArgumentSpec("to \"FILE\"", "'to' and a file name: .tex or .md", .value, optional: true),
            ArgumentSpec("", "a file name in quotes", .value, optional: true),
        ],
        options: [
            OptionSpec("limit", "N", "samples, neurons or parameters written out", .wholeNumber(1...1_000_000_000),
                       default: .described("8 (24 for step)"),
                       appliesWhen: Applicability("explain grad of a parameter, forward, loss and step") { ExplainCommand.topic(of: $0).writesOut }),
            // Its upper bound is the number of samples, which `run` checks.
            OptionSpec("sample", "N", "forward: which sample", .wholeNumber(1...1_000_000_000), default: .value("1"),
                       appliesWhen: Applicability("explain forward") { ExplainCommand.topic(of: $0) == .forward }),
            OptionSpec("lr", "X", "step: the learning rate", .number(.any), default: .described("the session's"),
                       appliesWhen: Applicability("explain step") { ExplainCommand.topic(of: $0) == .step }),
        ],
        details: [
            "explain grad w5: ∂E/∂w5 as a product of chain-rule factors, each with its value; for a hidden weight,",
            "first the sum over every path through the next layer. explain grad W2: the matrix form δᵀ A with shapes.",
            "With several samples, each sample's product and their mean. explain forward: each neuron's",
            "net = w·x + b and out = φ(net). explain loss: each output's term and the total. explain step:",
            "every update w⁺ = w − η ∂E/∂w, done, then the loss before and after.",
            "On a large data set each stays a summary: limit=N samples, neurons or parameters written out, wide",
            "matrices elided as print elides them, and the mean over the rest from one pass over all the samples.",
            "Names follow 'set notation': classic (i1, h1, o1, net_h1, out_o1, w1…) for one hidden layer,",
            "layered (x[j], z2[i], a2[i], W2[i,j]) otherwise. Numbers at the session's precision.",
            "explain grad(EXPR, VAR): the computational graph of any expression, each node's value forward,",
            "then each node's adjoint backward as the adjoint above times the local derivative; no network needed.",
            "to \"FILE.tex\" writes the same explanation as a LaTeX document (amsmath) for slides and hand-outs;",
            "to \"FILE.md\" as Markdown with KaTeX mathematics ($…$, $$…$$), which GitHub and Jupyter render.",
        ],
        examples: ["explain grad w5", "explain grad W2", "explain grad(sigmoid(x + y), x)", "explain forward", "explain loss", "explain step lr=0.5",
                   "explain grad w5 to \"w5.tex\"", "explain forward to \"forward.md\""])

    /// What a statement asks to have explained.
    enum Topic: Equatable {
        /// explain grad(EXPR, VAR)
        case graph(expression: Expression, variable: Expression)
        /// explain grad PARAM, or explain grad(PARAM); `word` is where "grad" is written.
        case gradient(parameter: Expression?, word: SourceSpan)
        case forward
        case loss
        case step
        /// A word the parser lets through only by mistake.
        case unknown(String)

        /// Whether `limit=` shortens what this topic writes out: samples, neurons or parameters
        /// (for a whole matrix's gradient, the rows of its per-sample matrices).
        var writesOut: Bool {
            switch self {
            case .graph: return false
            case .gradient, .forward, .loss, .step, .unknown: return true
            }
        }
    }

    /// The topic, with `explain grad(W2)` read as `explain grad W2`.
    static func topic(of invocation: Invocation) -> Topic {
        guard let first = invocation.argument(0) else { return .gradient(parameter: nil, word: invocation.span) }
        if case .call("grad", let nameSpan, let arguments) = first.kind {
            if arguments.count == 2 { return .graph(expression: arguments[0], variable: arguments[1]) }
            return .gradient(parameter: arguments.first, word: nameSpan)
        }
        switch first.bareName {
        case "grad": return .gradient(parameter: invocation.argument(1).flatMap { $0.bareName == "to" ? nil : $0 }, word: first.span)
        case "forward": return .forward
        case "loss": return .loss
        case "step": return .step
        case let word: return .unknown(word ?? "")
        }
    }

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let destination = try Self.destination(invocation)
        let topic = Self.topic(of: invocation)
        if case .graph(let expression, let variable) = topic {
            try deliver(try explainGraph(of: expression, withRespectTo: variable, invocation), to: destination, invocation)
            return
        }
        let (network, data) = try invocation.workspace.requireTrainingSetup(command: "explain", span: invocation.span)
        let loss = invocation.workspace.loss
        let explainer = Explainer(network: network, inputs: data.inputs, targets: data.targets, loss: loss,
                                  format: invocation.formatter, notationChoice: invocation.settings.notation,
                                  convention: invocation.settings.convention)
        let limit = try invocation.givenWholeNumber("limit")
        // Both write the gradient as a sum of each sample's own, which batch statistics do not allow.
        switch topic {
        case .gradient where network.hasBatchNorm: throw Diagnostic(.explainSampleBySample(topic: "grad"), at: invocation.span)
        case .step where network.hasBatchNorm: throw Diagnostic(.explainSampleBySample(topic: "step"), at: invocation.span)
        default: break
        }
        var explanation = Explanation()
        switch topic {
        case .graph:
            break
        case .gradient(let parameter, let word):
            guard let parameter else {
                throw Diagnostic(.missingArgument(command: "explain grad", what: "a parameter: w5, W2, b1, W2[1,2]"), at: word)
            }
            guard ParameterReference.isParameterSyntax(parameter) else { throw Diagnostic(.expectedParameter(command: "explain grad"), at: parameter.span) }
            let reference = try invocation.session.parameterReference(parameter, in: network)
            let label = parameter.bareName ?? reference.name(in: invocation.settings.convention)
            switch reference {
            case .weight(let layer, let row, let column):
                explanation = explainer.gradient(layer: layer, row: row, column: column, label: label, sampleLimit: limit ?? 8)
            case .bias(let layer, let index):
                explanation = explainer.gradient(layer: layer, row: index, column: nil, label: label, sampleLimit: limit ?? 8)
            case .weights(let layer):
                explanation = explainer.matrixGradient(layer: layer, isBias: false, label: label, sampleLimit: limit ?? 8)
            case .biases(let layer):
                explanation = explainer.matrixGradient(layer: layer, isBias: true, label: label, sampleLimit: limit ?? 8)
            case .normalization:
                throw Diagnostic(.explainSampleBySample(topic: "grad"), at: parameter.span)
            }
        case .forward:
            let sample: Int
            if let option = invocation.option("sample") {
                sample = try invocation.session.wholeNumber(option.value, what: "sample", minimum: 1, maximum: data.sampleCount)
            } else {
                sample = try invocation.wholeNumber("sample")
            }
            explanation = explainer.forward(sample: sample - 1, neuronLimit: limit ?? 8)
        case .loss:
            explanation = explainer.lossLines(sampleLimit: limit ?? 8)
        case .step:
            let rate = try invocation.givenLearningRate() ?? invocation.settings.learningRate
            let before = network.loss(input: data.inputs, target: data.targets, loss: loss)
            let (stepExplanation, updated, _) = explainer.step(learningRate: rate, parameterLimit: limit ?? 24,
                                                               frozenLayers: invocation.workspace.frozenLayers)
            guard updated.allParametersFinite else { throw Diagnostic(.stepNotFinite, at: invocation.span) }
            explanation = stepExplanation
            invocation.workspace.network = updated
            let after = updated.loss(input: data.inputs, target: data.targets, loss: loss)
            explanation.equation(.symbol("E"), explainer.numberMath(before) + Math(text: " -> ", latex: " \\to ") + explainer.numberMath(after))
        case .unknown(let word):
            throw Diagnostic(.unknownWord(kind: "explain topic", name: word, suggestion: nil), at: invocation.span)
        }
        try deliver(explanation, to: destination, invocation)
    }

    /// explain grad(EXPR, VAR): the forward and backward passes through EXPR's graph.
    private func explainGraph(of expression: Expression, withRespectTo variable: Expression, _ invocation: Invocation) throws(Diagnostic) -> Explanation {
        if let extra = invocation.argument(1), extra.bareName != "to" {
            throw Diagnostic(.extraArgument(command: "explain grad(EXPR, VAR)"), at: extra.span)
        }
        let session = invocation.session
        let graph = try session.recordGraph(of: expression, withRespectTo: variable)
        _ = try session.gradient(of: graph, expression: expression)  // checks that EXPR is one number
        return graph.tape.explanation(output: graph.output, variable: graph.variable, expression: TreeLabel.text(of: expression),
                                      variableName: graph.variableName, variableValue: graph.variableValue, format: invocation.formatter)
    }
}

// MARK: - gradcheck

/// gradcheck [PARAM] [eps=X]: backpropagation against central differences.
struct GradcheckCommand: Command {
    let spec = CommandSpec(
        "gradcheck", .inspection, "check backpropagation against central differences",
        positional: [ArgumentSpec("PARAM", "a parameter", .parameter, optional: true)],
        options: [
            OptionSpec("eps", "X", "the step ε of (L(θ+ε) − L(θ−ε)) / 2ε", .number(.positive), default: .value("1e-6")),
            OptionSpec("all", "BOOL", "check every parameter of a large network, not a sample of each tensor", .boolean,
                       default: .value("false")),
        ],
        details: [
            "For every parameter (or PARAM: w5, W2, b1, W2[1,2]) compares ∂E/∂θ from backpropagation with the",
            "central difference, and prints the largest relative error |a − n| / (|a| + |n|), where it is, and",
            "PASS or FAIL against a tolerance of 1e-5. A FAIL makes the program end with exit status 1.",
            "Each check runs the parameter's unit and the layers above it twice on all the data (from one forward pass",
            "kept for the check), so of a tensor (a layer's W, its b, γ, β) with more",
            "than \(GradcheckCommand.samplePerTensor) parameters it checks \(GradcheckCommand.samplePerTensor), drawn with the session's seed, and says so;",
            "all=true checks every one.",
        ],
        examples: ["gradcheck", "gradcheck W1", "gradcheck w5 eps=1e-4", "gradcheck all=true"])

    /// The parameters checked of each larger tensor unless all=true.
    static let samplePerTensor = 30

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let (network, data) = try invocation.workspace.requireTrainingSetup(command: "gradcheck", span: invocation.span)
        let epsilon = try invocation.number("eps")
        var selection = GradientCheck.Selection.all
        if let parameter = invocation.argument(0) {
            switch try invocation.session.parameterReference(parameter, in: network) {
            case .weights(let layer): selection = .weights(layer: layer)
            case .biases(let layer): selection = .biases(layer: layer)
            case .weight(let layer, let row, let column): selection = .weight(layer: layer, row: row, column: column)
            case .bias(let layer, let index): selection = .bias(layer: layer, index: index)
            case .normalization(let which, let layer, let index): selection = .normalization(which, layer: layer, index: index)
            }
        }
        let interruptRequested = invocation.session.interruptRequested
        // Its own generator from the seed: the same sample each time, and the session's draws untouched.
        var generator = SeededGenerator(seed: invocation.settings.seed)
        let result = GradientCheck.run(network: network, inputs: data.inputs, targets: data.targets, loss: invocation.workspace.loss,
                                       selection: selection, epsilon: epsilon,
                                       samplePerTensor: try invocation.boolean("all") ? nil : Self.samplePerTensor,
                                       generator: &generator, shouldContinue: { !interruptRequested() })
        if result.wasStopped {
            throw Diagnostic(.interruptedPart(done: result.entries.count, of: "parameters checked"), at: invocation.span)
        }
        Self.printResult(result, network: network, epsilon: epsilon, span: invocation.span, in: invocation.session)
    }

    /// Prints a gradient check's verdict; a failure counts as a failed expectation.
    static func printResult(_ result: GradientCheck.Result, network: Network, epsilon: Double, span: SourceSpan, in session: Session) {
        let formatter = session.settings.formatter
        let count = result.entries.count
        let short = ValueFormatter(precision: 3)
        let what = result.selectedCount > count
            ? "\(count) of \(result.selectedCount) parameters (at most \(samplePerTensor) of each weight matrix, bias vector, γ and β, drawn with the seed; all=true checks every one)"
            : "\(count) \(count == 1 ? "parameter" : "parameters")"
        session.write("gradcheck: \(what), central differences with ε = \(short.format(epsilon))")
        guard let worst = result.worst else { return }
        let name = parameterName(worst, in: network, convention: session.settings.convention)
        session.write("largest relative error \(short.format(worst.relativeError)) at \(name): backprop \(formatter.format(worst.analytic)), numeric \(formatter.format(worst.numeric))")
        if result.allZero {
            session.write("note: every gradient is 0 here, so agreement proves little; try other data or weights")
        }
        let verdict = "(tolerance \(short.format(result.tolerance)))"
        if result.passed {
            session.write("PASS \(verdict)")
        } else {
            session.write("FAIL \(verdict)")
            session.failedExpectations += 1
            session.report(Diagnostic(.gradientCheckFailed(parameter: name, error: short.format(worst.relativeError)), at: span))
        }
    }

    /// `W2[1,1] (w5)`: a checked parameter by both its names.
    static func parameterName(_ entry: GradientCheck.Entry, in network: Network, convention: WeightConvention = .columns) -> String {
        if let which = entry.normalization { return "\(which.rawValue)\(entry.layer)[\(entry.row)]" }
        guard let column = entry.column else { return "b\(entry.layer)[\(entry.row)]" }
        let number = network.weightNumber(of: WeightLocation(layer: entry.layer, row: entry.row, column: column)).map { " (w\($0))" } ?? ""
        let reference = ParameterReference.weight(layer: entry.layer, row: entry.row, column: column)
        return reference.name(in: convention) + number
    }
}

// MARK: - deriv and table

/// deriv F at X [h=Δ]: the derivative beside the central difference. F is an activation (its
/// formula) or a user function (automatic differentiation).
struct DerivCommand: Command {
    let spec = CommandSpec(
        "deriv", .inspection, "a derivative at a point, beside its central difference",
        positional: [
            // Any name: an activation or the user's own function, told apart when it runs.
            ArgumentSpec("F", "an activation or a one-argument function", .name, completions: .activationsAndFunctions),
            ArgumentSpec("at", "'at'", .word(.at)),
            ArgumentSpec("X", "the point", .value),
        ],
        options: [OptionSpec("h", "Δ", "the step of (f(x+Δ) − f(x−Δ)) / 2Δ", .number(.positive), default: .value("0.001"))],
        details: [
            "For an activation, its derivative formula; for a function of your own (def f(x) = …), its",
            "derivative by automatic differentiation, as deriv(f, x) gives it. Either way beside the central",
            "difference (f(x+h) − f(x−h)) / 2h, as numderiv(f, x, h) gives it, and the difference of the two.",
        ],
        examples: ["deriv sigmoid at 0.5", "deriv tanh at 1 h=1e-5", "def f(x) = x^3\nderiv f at 2"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let session = invocation.session
        let formatter = invocation.formatter
        let function = invocation.statement.positional[0]
        let userFunction = function.bareName.flatMap { session.functions[$0] }
        if userFunction == nil, let name = function.bareName, Activation(name: name) == nil {
            let suggestion = Suggestion.closest(to: name, among: Activation.names + Array(session.functions.keys))
            throw Diagnostic(.unknownWord(kind: "activation", name: name, suggestion: suggestion), at: function.span)
        }
        let activation = userFunction == nil ? try TableCommand.elementwiseActivation(function) : nil
        let x = try session.number(invocation.statement.positional[2], what: "the point")
        let h = try invocation.number("h")
        let name = function.bareName ?? ""
        let label: String
        let analytic: Double
        let numeric: Double
        if let activation {
            label = "analytic"
            analytic = activation.derivative(x)
            numeric = (activation.value(x + h) - activation.value(x - h)) / (2 * h)
        } else {
            label = "autodiff"
            guard case .scalar = try session.applyFunction(named: function, to: .scalar(x), span: invocation.span) else {
                throw Diagnostic(.expectedValue(what: "a function whose value is one number", got: "'\(name)', whose value is not"), at: function.span)
            }
            analytic = try session.derivative(of: function, at: .scalar(x), span: invocation.span).elements.first ?? 0
            numeric = try session.numericDerivative(of: function, at: .scalar(x), step: h, span: invocation.span).elements.first ?? 0
        }
        let rows = [
            (label, "\(name)'(\(formatter.format(x))) = \(formatter.format(analytic))"),
            ("numeric", "(\(name)(\(formatter.format(x + h))) - \(name)(\(formatter.format(x - h)))) / (2 × \(formatter.format(h))) = \(formatter.format(numeric))"),
            ("difference", formatter.format(abs(analytic - numeric))),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        for (label, text) in rows { invocation.write(label + String(repeating: " ", count: width - label.count) + "  " + text) }
    }
}

/// table ACTIVATION [from=X] [to=X] [step=X]: z, φ(z) and φ'(z).
struct TableCommand: Command {
    let spec = CommandSpec(
        "table", .inspection, "z, φ(z) and φ'(z) of an activation, as a table",
        positional: [ArgumentSpec("ACTIVATION", "an activation", .word(.activation))],
        options: [
            OptionSpec("from", "X", "the first z", .number(.any), default: .value("-4")),
            OptionSpec("to", "X", "the last z", .number(.any), default: .value("4")),
            OptionSpec("step", "X", "between rows", .number(.any), default: .value("1")),
        ],
        examples: ["table sigmoid", "table tanh from=-2 to=2 step=0.5"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let formatter = invocation.formatter
        let activation = try Self.elementwiseActivation(invocation.statement.positional[0])
        let from = try invocation.number("from")
        let to = try invocation.number("to")
        let step = try invocation.number("step")
        guard step > 0, to >= from, (to - from) / step <= 10_000 else {
            throw Diagnostic(.settingOutOfRange(setting: "step", range: "greater than 0, with from ≤ to and at most 10000 rows", got: formatter.format(step)),
                             at: invocation.span)
        }
        let name = activation.name
        var table = TextTable([.right, .right, .right])
        table.add(["z", "\(name)(z)", "\(name)'(z)"])
        let rows = Int(((to - from) / step + 1e-9).rounded(.down))
        for index in 0...rows {
            let z = from + Double(index) * step
            table.add([formatter.format(z), formatter.format(activation.value(z)), formatter.format(activation.derivative(z))])
        }
        invocation.write(table)
    }

    /// The activation an expression names, which must act on each number alone.
    static func elementwiseActivation(_ expression: Expression) throws(Diagnostic) -> Activation {
        guard let name = expression.bareName, let activation = Activation(name: name) else {
            throw Diagnostic(.unknownWord(kind: "activation", name: expression.bareName ?? "", suggestion: nil), at: expression.span)
        }
        guard activation.isElementwise else {
            throw Diagnostic(.expectedValue(what: "an elementwise activation (softmax mixes its inputs: see explain grad)", got: "softmax"), at: expression.span)
        }
        return activation
    }
}
