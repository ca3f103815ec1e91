import NNEngine

/// `explain`: the arithmetic behind gradients, forward passes, the loss and updates.
extension Session {
    func explain(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        if let first = command.positional.first, case .call("grad", let nameSpan, let arguments) = first.kind {
            // explain grad(W2) is explain grad W2; explain grad(EXPR, VAR) draws the graph.
            guard arguments.count == 2 else {
                var rewritten = command
                rewritten.positional = [Expression(.name("grad"), span: nameSpan)] + arguments
                return try explain(rewritten, span: span)
            }
            return try explainGraph(of: arguments[0], withRespectTo: arguments[1], command: command)
        }
        let topic = command.positional.first?.bareName ?? "grad"
        let (network, data) = try requireTrainingSetup(command: "explain", span: span)
        let explainer = Explainer(network: network, inputs: data.inputs, targets: data.targets, loss: loss, format: formatter, notationChoice: notation)
        let limit = try command.option("limit").map { option throws(Diagnostic) in try wholeNumber(option.value, what: "limit", minimum: 1) }
        for option in command.options where !Session.explainOptions[topic, default: []].contains(option.name) {
            throw Diagnostic(.optionNotApplicable(option: option.name, appliesTo: Session.explainOptions.filter { $0.value.contains(option.name) }.keys.sorted().map { "explain \($0)" }.joined(separator: " and ")), at: option.nameSpan)
        }
        switch topic {
        case "grad":
            guard command.positional.count > 1 else {
                throw Diagnostic(.missingArgument(command: "explain grad", what: "a parameter: w5, W2, b1, W2[1,2]"), at: command.positional[0].span)
            }
            let parameter = command.positional[1]
            guard ParameterReference.isParameterSyntax(parameter) else { throw Diagnostic(.expectedParameter(command: "explain grad"), at: parameter.span) }
            let reference = try parameterReference(parameter, in: network)
            let label = parameter.bareName ?? reference.name
            switch reference {
            case .weight(let layer, let row, let column):
                explainer.gradient(layer: layer, row: row, column: column, label: label, sampleLimit: limit ?? 8).forEach(write)
            case .bias(let layer, let index):
                explainer.gradient(layer: layer, row: index, column: nil, label: label, sampleLimit: limit ?? 8).forEach(write)
            case .weights(let layer):
                explainer.matrixGradient(layer: layer, isBias: false, label: label).forEach(write)
            case .biases(let layer):
                explainer.matrixGradient(layer: layer, isBias: true, label: label).forEach(write)
            }
        case "forward":
            var sample = 1
            if let option = command.option("sample") {
                sample = try wholeNumber(option.value, what: "sample", minimum: 1, maximum: data.sampleCount)
            }
            explainer.forward(sample: sample - 1, neuronLimit: limit ?? 8).forEach(write)
        case "loss":
            explainer.lossLines(sampleLimit: limit ?? 8).forEach(write)
        case "step":
            let rate = try learningRate(command)
            let before = network.loss(input: data.inputs, target: data.targets, loss: loss)
            let (lines, updated, _) = explainer.step(learningRate: rate, parameterLimit: limit ?? 24)
            guard updated.allParametersFinite else { throw Diagnostic(.stepNotFinite, at: span) }
            lines.forEach(write)
            self.network = updated
            let after = updated.loss(input: data.inputs, target: data.targets, loss: loss)
            write("E = \(formatter.format(before)) -> \(formatter.format(after))")
        default:
            throw Diagnostic(.unknownWord(kind: "explain topic", name: topic, suggestion: nil), at: span)
        }
    }

    /// The options each `explain` topic takes.
    static let explainOptions: [String: [String]] = [
        "grad": ["limit"], "forward": ["limit", "sample"], "loss": ["limit"], "step": ["limit", "lr"],
    ]
}
