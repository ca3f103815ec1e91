import NNEngine

/// The commands of the language, one method each, dispatched from the command table's names.
extension Session {
    func execute(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> Flow {
        switch command.name {
        case "input": try input(command)
        case "layer": try layer(command, span: span)
        case "loss": try chooseLoss(command, span: span)
        case "data": try setData(command, span: span)
        case "split": try splitData(command, span: span)
        case "normalize": try normalize(command, span: span)
        case "show": try showData(span: span)
        case "forward": try forward(command, span: span)
        case "grad": try printGradients(command, span: span)
        case "step": try step(command, span: span)
        case "train": try train(command, span: span)
        case "optimizer": try chooseOptimizer(command, span: span)
        case "init": try chooseInitializer(command, span: span)
        case "history": try printHistory(command, span: span)
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
        case "evaluate": try evaluate(span: span)
        case "confusion": try printConfusion(span: span)
        case "predict": write(formatter.format(try prediction(for: try evaluate(command.positional[0]), span: command.positional[0].span)))
        case "summary": try summary(span: span)
        case "plot": try plot(command, span: span)
        case "draw": try draw(command, span: span)
        case "reset": try reset(span: span)
        case "clear":
            network = nil
            layerInitializers = []
            trainingHistory = []
            dataSet = nil
            split = nil
            normalization = nil
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

    /// input N
    private func input(_ command: CommandStatement) throws(Diagnostic) {
        let count = try wholeNumber(command.positional[0], what: "the number of inputs", minimum: 1)
        if let network, !network.layers.isEmpty {
            throw Diagnostic(.inputAfterLayers, at: command.nameSpan)
        }
        network = Network(inputCount: count)
        layerInitializers = []
    }

    /// layer N [ACTIVATION] [alpha=X] [init=NAME] [dropout=P]
    private func layer(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        guard var network else { throw Diagnostic(.noNetwork(command: "layer"), at: command.nameSpan) }
        let units = try wholeNumber(command.positional[0], what: "the number of units", minimum: 1)
        let inputs = network.outputCount
        let weights = units.multipliedReportingOverflow(by: inputs)
        guard !weights.overflow, weights.partialValue <= maxElements else {
            throw Diagnostic(.layerTooLarge(weights: weights.overflow ? Int.max : weights.partialValue, limit: maxElements), at: command.positional[0].span)
        }
        let activationName = command.positional.count > 1 ? command.positional[1].bareName ?? "linear" : "linear"
        var alpha: Double?
        if let option = command.option("alpha") {
            guard Activation.takesAlpha(name: activationName) else {
                throw Diagnostic(.optionNotApplicable(option: "alpha", appliesTo: "leaky_relu and elu"), at: option.nameSpan)
            }
            alpha = try number(option.value, what: "alpha")
        }
        guard let activation = Activation(name: activationName, alpha: alpha) else {
            // The parser checked the name against the same list.
            throw Diagnostic(.unknownWord(kind: "activation", name: activationName, suggestion: nil), at: span)
        }
        let layerInitializer = try command.option("init").map { option throws(Diagnostic) in try initializer(from: option.value) } ?? initializer
        var dropout = 0.0
        if let option = command.option("dropout") {
            dropout = try number(option.value, what: "dropout")
            guard dropout >= 0, dropout < 1 else {
                throw Diagnostic(.settingOutOfRange(setting: "dropout", range: "from 0 up to (not including) 1", got: formatter.format(dropout)), at: option.value.span)
            }
        }
        network.appendLayer(units: units, activation: activation, initializer: layerInitializer, generator: &generator)
        network.layers[network.layers.count - 1].dropout = dropout
        self.network = network
        layerInitializers.append(layerInitializer)
    }

    /// loss [NAME] [delta=X]
    private func chooseLoss(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        guard let name = command.positional.first?.bareName else {
            if let option = command.option("delta") {
                throw Diagnostic(.missingArgument(command: "loss", what: "a loss name before delta="), at: option.nameSpan)
            }
            write("E = " + formatter.format(try currentLoss(command: "loss", span: span)))
            return
        }
        var delta: Double?
        if let option = command.option("delta") {
            guard Loss.takesDelta(name: name) else {
                throw Diagnostic(.optionNotApplicable(option: "delta", appliesTo: "huber and pseudo_huber"), at: option.nameSpan)
            }
            let value = try number(option.value, what: "delta")
            guard value > 0 else {
                throw Diagnostic(.settingOutOfRange(setting: "delta", range: "greater than 0", got: formatter.format(value)), at: option.value.span)
            }
            delta = value
        }
        guard let chosen = Loss(name: name, delta: delta) else {
            throw Diagnostic(.unknownWord(kind: "loss", name: name, suggestion: nil), at: span)
        }
        loss = chosen
    }

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

    /// summary: the layers, their shapes and the parameter count.
    private func summary(span: SourceSpan) throws(Diagnostic) {
        guard let network else { throw Diagnostic(.noNetwork(command: "summary"), at: span) }
        var table = TextTable([.left, .right, .left, .right, .right])
        table.add(["layer", "units", "activation", "weights", "parameters"])
        table.add(["input", String(network.inputCount), "", "", ""])
        for (index, layer) in network.layers.enumerated() {
            table.add([String(index + 1), String(layer.units), layer.activation.name, "\(layer.units)×\(layer.inputCount)", String(layer.parameterCount)])
        }
        table.add(["total", "", "", "", String(network.parameterCount)])
        let lines = table.lines
        write(palette.paint(lines[0], as: .heading))
        lines.dropFirst().forEach(write)
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
        guard Optimizer.descend(&network, gradients: gradients, learningRate: rate) else {
            throw Diagnostic(.stepNotFinite, at: span)
        }
        self.network = network
        let after = network.loss(input: data.inputs, target: data.targets, loss: loss)
        write("E = \(formatter.format(gradients.loss)) -> \(formatter.format(after))")
    }

    /// reset: fresh weights from the session's generator, each layer with its initializer.
    private func reset(span: SourceSpan) throws(Diagnostic) {
        guard network != nil else { throw Diagnostic(.noNetwork(command: "reset"), at: span) }
        reinitializeLayers()
    }

    /// Draws every layer's weights afresh, first layer first; biases start at zero.
    func reinitializeLayers() {
        guard var network else { return }
        for index in network.layers.indices {
            let layer = network.layers[index]
            let chosen = index < layerInitializers.count ? layerInitializers[index] : initializer
            network.layers[index].weights = chosen.weights(units: layer.units, inputs: layer.inputCount, generator: &generator)
            network.layers[index].biases = chosen.biases(units: layer.units)
        }
        self.network = network
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
            guard let word = value.bareName, ["auto", "classic", "layered"].contains(word) else {
                throw Diagnostic(.expectedValue(what: "auto, classic or layered for notation", got: value.bareName.map { "'\($0)'" } ?? "an expression"), at: value.span)
            }
            notation = word
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
