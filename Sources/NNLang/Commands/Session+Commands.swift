import NNEngine

/// The commands of the language, one method each, dispatched from the command table's names.
extension Session {
    func executeLegacy(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> Flow {
        switch command.name {
        case "forward": try forward(command, span: span)
        case "grad": try printGradients(command, span: span)
        case "explain": try explain(command, span: span)
        case "gradcheck": try gradientCheck(command, span: span)
        case "deriv": try derivative(command, span: span)
        case "table": try activationTable(command, span: span)
        case "expect": try expect(command, span: span)
        case "example": try loadExample(command, span: span)
        case "snapshot": try snapshot(command, span: span)
        case "restore": try restore(command, span: span)
        case "undo": try undo(span: span)
        case "save": try save(command, span: span)
        case "load": try load(command, span: span)
        case "export": try export(command, span: span)
        case "predict": write(formatter.format(try prediction(for: try evaluate(command.positional[0]), span: command.positional[0].span)))
        case "plot": try plot(command, span: span)
        case "draw": try draw(command, span: span)
        case "print": try printValues(command)
        case "set": try set(command)
        case "time": return try time(command)
        case "help": write(Help.text(for: command.positional.first?.bareName, palette: palette))
        case "quit", "exit": return .quit
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

    // MARK: - Settings and utilities

    /// print EXPR[, EXPR…]
    private func printValues(_ command: CommandStatement) throws(Diagnostic) {
        var texts: [String] = []
        for expression in command.positional {
            texts.append(formatter.format(try evaluate(expression)))
        }
        write(texts.joined(separator: " "))
    }

    /// set NAME VALUE
    private func set(_ command: CommandStatement) throws(Diagnostic) {
        let value = command.positional[1]
        switch Setting(rawValue: command.positional[0].bareName ?? "") {
        case .precision:
            precision = try wholeNumber(value, what: "precision", minimum: 1, maximum: 17)
            decimals = nil
        case .threads:
            BLAS.setThreads(try wholeNumber(value, what: "threads", minimum: 1, maximum: 1024))
        case .dtype:
            guard let word = value.bareName, let chosen = Precision(rawValue: word) else {
                throw Diagnostic(.expectedValue(what: "float32 or float64 for dtype", got: value.bareName.map { "'\($0)'" } ?? "an expression"), at: value.span)
            }
            dtype = chosen
        case .maxElements:
            maxElements = try wholeNumber(value, what: "max_elements", minimum: 1, maximum: Int.max / 2)
        case .decimals:
            decimals = try wholeNumber(value, what: "decimals", minimum: 0, maximum: 17)
        case .seed:
            // Seeds are whole numbers a Double holds exactly, so every seed can be typed back in.
            let newSeed = try wholeNumber(value, what: "the seed", minimum: 0, maximum: 1 << 53)
            seed = UInt64(newSeed)
            generator = SeededGenerator(seed: seed)
        case .notation:
            guard let word = value.bareName, let choice = Notation.Choice(rawValue: word) else {
                throw Diagnostic(.expectedValue(what: "auto, classic or layered for notation", got: value.bareName.map { "'\($0)'" } ?? "an expression"), at: value.span)
            }
            notation = choice
        case .lr:
            let rate = try number(value, what: "lr")
            guard rate > 0 else { throw Diagnostic(.learningRateNotPositive(formatter.format(rate)), at: value.span) }
            learningRate = rate
        case .charset, .width:
            try setPictureSetting(Setting(rawValue: command.positional[0].bareName ?? "") ?? .width, value)
        case nil:
            throw Diagnostic(.unknownWord(kind: "setting", name: command.positional[0].bareName ?? "", suggestion: nil), at: command.positional[0].span)
        }
    }

    /// time STATEMENT
    private func time(_ command: CommandStatement) throws(Diagnostic) -> Flow {
        guard let body = command.body else { return .next }
        let start = ContinuousClock.now
        let flow = try execute(body)
        write("time: \(Session.formatSeconds(Session.seconds(since: start))) s")
        return flow
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
