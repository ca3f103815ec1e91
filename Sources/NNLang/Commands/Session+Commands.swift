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
        case "evaluate": try evaluate(span: span)
        case "confusion": try printConfusion(span: span)
        default:
            // The parser accepts only names from the command table, and each has a case above.
            throw Diagnostic(.unknownCommand(command.name, suggestion: nil), at: command.nameSpan)
        }
        return .next
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
}
