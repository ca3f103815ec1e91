import NNEngine

/// The model on disk: `save`, `load`, and `export` of any value as `.npy`.
extension Session {
    /// save "FILE": the architecture, loss, every parameter at full precision, normalization
    /// and class names, written atomically so an interrupted save leaves the old file whole.
    func save(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let (path, pathSpan) = try fileName(command.positional[0])
        let network = try requireLayers(command: "save", span: span)
        let contents = ModelContents(
            network: network, loss: loss, normalization: normalization, classNames: classNamesForModel,
            dropouts: network.layers.map { $0.dropout > 0 ? $0.dropout : nil })
        let text = ModelFile.encode(contents)
        if case .failure(let error) = FileAccess.writeFile(path, Array(text.utf8)) {
            throw Diagnostic(.file(error), at: pathSpan)
        }
        write("saved \(path)")
    }

    /// load "FILE": replaces the network, the loss, the normalization and the class names;
    /// a file that cannot be read leaves the session as it was.
    func load(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let (path, pathSpan) = try fileName(command.positional[0])
        let bytes = try FileAccess.readFile(path, span: pathSpan)
        let contents: ModelContents
        switch ModelFile.decode(String(decoding: bytes, as: UTF8.self)) {
        case .success(let decoded): contents = decoded
        case .failure(let error): throw Diagnostic(.dataFile(path: path, error: error), at: pathSpan)
        }
        var network = contents.network
        for index in network.layers.indices {
            network.layers[index].dropout = contents.dropout(ofLayer: index) ?? 0
        }
        workspace.startOver(keeping: [.data, .loss])
        workspace.network = network
        if let savedLoss = contents.loss { workspace.loss = savedLoss }
        workspace.normalization = contents.normalization
        workspace.loadedClassNames = contents.classNames
        workspace.layerInitializers = Array(repeating: settings.initializer, count: network.layers.count)
        let shape = ([network.inputCount] + network.layers.map(\.units)).map(String.init).joined(separator: "-")
        var summary = "loaded \(path): a \(shape) network, loss \(loss.name)"
        if let normalization { summary += ", normalize \(normalization.method.rawValue)" }
        if !contents.classNames.isEmpty { summary += ", classes " + contents.classNames.joined(separator: ", ") }
        write(summary)
    }

    /// export EXPR "FILE.npy": a value as a float64 NumPy array (a vector as one row).
    func export(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let value = try evaluate(command.positional[0])
        let (path, pathSpan) = try fileName(command.positional[1])
        let matrix: Matrix
        switch value {
        case .scalar(let number): matrix = Matrix(row: [number])
        case .vector(let elements): matrix = Matrix(row: elements)
        case .matrix(let given): matrix = given
        case .text: throw Diagnostic(.expectedValue(what: "a number, vector or matrix to export", got: "a string"), at: command.positional[0].span)
        }
        if case .failure(let error) = FileAccess.writeFile(path, NumpyFormat.encode(matrix)) {
            throw Diagnostic(.file(error), at: pathSpan)
        }
        write("saved \(path)")
    }

    /// A file name, which is written as a string.
    private func fileName(_ expression: Expression) throws(Diagnostic) -> (String, SourceSpan) {
        guard case .string(let path) = expression.kind, !path.isEmpty else {
            throw Diagnostic(.expectedValue(what: "a file name in quotes", got: expression.bareName.map { "the name '\($0)'" } ?? "an expression"), at: expression.span)
        }
        return (path, expression.span)
    }
}
