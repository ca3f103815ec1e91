import NNEngine

/// The commands of the language, one method each, dispatched from the command table's names.
extension Session {
    func executeLegacy(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> Flow {
        switch command.name {
        case "data": try setData(command, span: span)
        case "split": try splitData(command, span: span)
        case "normalize": try normalize(command, span: span)
        case "show": try showData(span: span)
        case "step": try step(command, span: span)
        case "train": try train(command, span: span)
        case "optimizer": try chooseOptimizer(command, span: span)
        case "history": try printHistory(command, span: span)
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
