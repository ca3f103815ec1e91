import NNEngine

/// The session's read-only values: the data as the network sees it, its accuracy, the training
/// history and the class names, usable in any expression (`expect test_accuracy > 0.9`).
extension Session {
    /// The names, with what each is, for messages and `help parameters`.
    static let sessionValues: [(name: String, meaning: String)] = [
        ("X", "the training inputs, after split and normalization, one row per sample"),
        ("Y", "the training targets as the network sees them"),
        ("Xtest", "the test inputs held out by split, normalized"),
        ("Ytest", "the test targets"),
        ("accuracy", "the share of training samples classified right"),
        ("test_accuracy", "the share of test samples classified right"),
        ("history", "the last train, one row per epoch: epoch, loss, accuracy, val_loss, val_accuracy, lr (NaN where not measured)"),
        ("classes", "the class names, as text"),
        ("path", "the points of the last descend, one row per point, the start first"),
    ]

    static func isSessionValue(_ name: String) -> Bool {
        sessionValues.contains { $0.name == name }
    }

    /// The value of a session name, or nil when `name` is not one.
    func sessionValue(_ name: String, span: SourceSpan) throws(Diagnostic) -> Value? {
        switch name {
        case "X": return .matrix(try training(name, span: span).inputs)
        case "Y": return .matrix(try training(name, span: span).targets)
        case "Xtest": return .matrix(try test(name, span: span).inputs)
        case "Ytest": return .matrix(try test(name, span: span).targets)
        case "accuracy": return .scalar(try accuracy(of: try training(name, span: span), name: name, span: span))
        case "test_accuracy": return .scalar(try accuracy(of: try test(name, span: span), name: name, span: span))
        case "history":
            let records = workspace.trainingHistory
            guard !records.isEmpty else { throw Diagnostic(.nothingTrained, at: span) }
            return .matrix(Matrix(records.map { record in
                [Double(record.epoch), record.loss, record.accuracy ?? .nan, record.validationLoss ?? .nan,
                 record.validationAccuracy ?? .nan, record.learningRate]
            }))
        case "classes":
            let names = workspace.classNamesForModel
            guard !names.isEmpty else { throw Diagnostic(.notClassification(command: name), at: span) }
            return .text(names.joined(separator: ", "))
        case "path":
            guard let path = workspace.descentPath else { throw Diagnostic(.noDescentPath, at: span) }
            return .matrix(path)
        default:
            return nil
        }
    }

    private func training(_ name: String, span: SourceSpan) throws(Diagnostic) -> DataSet {
        guard let data = workspace.trainingSet else { throw Diagnostic(.noData(command: name), at: span) }
        return data
    }

    private func test(_ name: String, span: SourceSpan) throws(Diagnostic) -> DataSet {
        guard workspace.dataSet != nil else { throw Diagnostic(.noData(command: name), at: span) }
        guard let data = workspace.testSet else { throw Diagnostic(.noTestPart(name: name), at: span) }
        return data
    }

    /// The network's accuracy on `data`, which must be classes the network's outputs fit.
    private func accuracy(of data: DataSet, name: String, span: SourceSpan) throws(Diagnostic) -> Double {
        let network = try workspace.requireLayers(command: name, span: span)
        guard data.isClassification else { throw Diagnostic(.notClassification(command: name), at: span) }
        try Workspace.checkFit(data, to: network, span: span)
        return Metrics.accuracy(outputs: network.wholeDataPredict(data.inputs), targets: data.targets)
    }
}
