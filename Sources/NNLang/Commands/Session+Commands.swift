import NNEngine

/// The commands of the language, one method each, dispatched from the command table's names.
extension Session {
    func executeLegacy(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> Flow {
        switch command.name {
        case "data": try setData(command, span: span)
        case "split": try splitData(command, span: span)
        case "normalize": try normalize(command, span: span)
        case "show": try showData(span: span)
        case "forward": try forward(command, span: span)
        case "grad": try printGradients(command, span: span)
        case "step": try step(command, span: span)
        case "train": try train(command, span: span)
        case "optimizer": try chooseOptimizer(command, span: span)
        case "history": try printHistory(command, span: span)
        case "explain": try explain(command, span: span)
        case "gradcheck": try gradientCheck(command, span: span)
        case "deriv": try derivative(command, span: span)
        case "table": try activationTable(command, span: span)
        case "evaluate": try evaluate(span: span)
        case "confusion": try printConfusion(span: span)
        case "predict": write(formatter.format(try prediction(for: try evaluate(command.positional[0]), span: command.positional[0].span)))
        case "plot": try plot(command, span: span)
        case "draw": try draw(command, span: span)
        case "print": try printValues(command)
        default:
            // The parser accepts only names from the command table, and each has a case above.
            throw Diagnostic(.unknownCommand(command.name, suggestion: nil), at: command.nameSpan)
        }
        return .next
    }

    // MARK: - Building the network

    // MARK: - Inspecting

    /// forward [X]: each layer's net input z and output a.
    private func forward(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let network = try requireLayers(command: "forward", span: span)
        var inputs: Matrix
        var asVectors = false
        if let argument = command.positional.first {
            let value = try evaluate(argument)
            inputs = try sampleMatrix(value, what: "inputs", span: argument.span)
            if case .vector = value { asVectors = true }
            inputs = normalized(inputs)
            guard inputs.columns == network.inputCount else {
                throw Diagnostic(.inputWidthMismatch(what: "the input", columns: inputs.columns, inputs: network.inputCount), at: argument.span)
            }
        } else {
            guard let data = trainingSet else { throw Diagnostic(.noData(command: "forward"), at: span) }
            guard data.inputs.columns == network.inputCount else {
                throw Diagnostic(.inputWidthMismatch(what: "the data's x", columns: data.inputs.columns, inputs: network.inputCount), at: span)
            }
            inputs = data.inputs
        }
        let pass = network.forward(inputs)
        for (index, layer) in pass.layers.enumerated() {
            let show: (Matrix) -> String = { asVectors ? self.formatter.format($0.row(0)) : self.formatter.format($0) }
            write("z\(index + 1) = \(show(layer.net))")
            write("a\(index + 1) = \(show(layer.output))")
        }
    }

    /// grad [PARAM]
    private func printGradients(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        if let parameter = command.positional.first {
            let (label, value) = try gradient(of: parameter, command: "grad")
            write("\(label) = \(formatter.format(value))")
            return
        }
        let (network, data) = try requireTrainingSetup(command: "grad", span: span)
        let gradients = network.gradients(input: data.inputs, target: data.targets, loss: loss)
        for layer in 1...network.layers.count {
            write("∂E/∂W\(layer) = \(formatter.format(gradients.weights[layer - 1]))")
            write("∂E/∂b\(layer) = \(formatter.format(gradients.biases[layer - 1]))")
        }
    }

    // MARK: - Learning

    /// The learning rate of `lr=` if given, else the session's.
    func learningRate(_ command: CommandStatement) throws(Diagnostic) -> Double {
        guard let option = command.option("lr") else { return learningRate }
        let rate = try number(option.value, what: "lr")
        guard rate > 0 else { throw Diagnostic(.learningRateNotPositive(formatter.format(rate)), at: option.value.span) }
        return rate
    }

    /// step [lr=X]: one gradient-descent update on the whole data set.
    private func step(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let rate = try learningRate(command)
        var (network, data) = try requireTrainingSetup(command: "step", span: span)
        let gradients = network.gradients(input: data.inputs, target: data.targets, loss: loss)
        guard GradientDescent(learningRate: rate).step(&network, gradients: gradients) else {
            throw Diagnostic(.stepNotFinite, at: span)
        }
        self.network = network
        let after = network.loss(input: data.inputs, target: data.targets, loss: loss)
        write("E = \(formatter.format(gradients.loss)) -> \(formatter.format(after))")
    }

    // MARK: - Settings and utilities

    /// print EXPR[, EXPR…]
    private func printValues(_ command: CommandStatement) throws(Diagnostic) {
        var texts: [String] = []
        for expression in command.positional {
            texts.append(formatter.format(try evaluate(expression)))
        }
        write(texts.joined(separator: " "))
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }

    /// Wall times to 3 significant digits: enough to compare, short enough to read.
    static func formatSeconds(_ seconds: Double) -> String {
        ValueFormatter(precision: 3).format(seconds)
    }
}
