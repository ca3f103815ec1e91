import NNEngine

// The model on disk: save, load, and export of any value as .npy.

/// save "FILE": the architecture, loss, every parameter at full precision, normalization and
/// class names, written atomically so an interrupted save leaves the old file whole.
struct SaveCommand: Command {
    let spec = CommandSpec(
        "save", .session, "write the model to a file",
        positional: [ArgumentSpec("FILE", "a file name in quotes", .value)],
        details: [
            "Writes the layers, activations, loss, every parameter at full precision, the normalization and the",
            "class names, as readable text (docs/model-format.md). The old file stays whole until the new one is written.",
        ],
        examples: ["save \"iris.nnm\""])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let (path, pathSpan) = try CommandFiles.fileName(invocation.statement.positional[0])
        let workspace = invocation.workspace
        let network = try workspace.requireLayers(command: "save", span: invocation.span)
        let (contents, leftOut) = Self.contents(of: workspace, network: network)
        let poll = StopPoll(every: 1, invocation.session.interruptRequested)
        let text = ModelFile.encode(contents, poll: poll)
        if poll.isStopped { throw Diagnostic(.interruptedWhile("saving: no file was written"), at: invocation.span) }
        let bytes = Array(text.utf8)
        try Self.checkSize(bytes.count, limit: ModelFile.sizeLimit, at: invocation.span)
        try CommandFiles.write(bytes, to: path, span: pathSpan)
        invocation.write("saved \(path)" + (leftOut.isEmpty ? "" : " without " + leftOut.joined(separator: " or ") + ": they do not fit the network"))
    }

    /// What `save` writes: only what `load` accepts with this network. Class names, features
    /// or a normalization made for other data are left out (and named), not written to be refused.
    static func contents(of workspace: Workspace, network: Network) -> (ModelContents, leftOut: [String]) {
        var leftOut: [String] = []
        var classNames = workspace.classNamesForModel
        if !classNames.isEmpty, !ModelFile.classNamesFit(classNames.count, outputs: network.outputCount) {
            leftOut.append("the \(classNames.count) class names (\(network.outputCount) output\(network.outputCount == 1 ? "" : "s"))")
            classNames = []
        }
        var normalization = workspace.normalization
        if let fitted = normalization, fitted.offsets.count != network.inputCount || fitted.scales.count != network.inputCount {
            leftOut.append("the normalization of \(fitted.offsets.count) inputs")
            normalization = nil
        }
        var features = workspace.features.map { (rawInputCount: $0.rawInputCount, texts: $0.texts) }
        if let made = features, made.texts.count != network.inputCount {
            leftOut.append("the \(made.texts.count) features")
            features = nil
        }
        let contents = ModelContents(
            network: network, loss: workspace.loss, normalization: normalization, classNames: classNames,
            dropouts: network.layers.map { $0.dropout > 0 ? $0.dropout : nil }, features: features)
        return (contents, leftOut)
    }

    /// A model file over what `load` reads is refused before anything is written.
    static func checkSize(_ bytes: Int, limit: Int, at span: SourceSpan) throws(Diagnostic) {
        guard bytes <= limit else { throw Diagnostic(.modelFileTooLarge(bytes: bytes, limit: limit), at: span) }
    }
}

/// load "FILE": replaces the network, the loss, the normalization and the class names; a file
/// that cannot be read leaves the session as it was.
struct LoadCommand: Command {
    let spec = CommandSpec(
        "load", .session, "read a model written by save, or a dense network from an ONNX file",
        positional: [ArgumentSpec("FILE", "a file name in quotes", .value)],
        details: [
            "Replaces the network, loss, normalization and class names; a bad file changes nothing.",
            "A file ending in .onnx is read as ONNX (docs/onnx.md): a chain of dense layers, Gemm or MatMul + Add, each",
            "with an activation nn has (Relu, Sigmoid, Tanh, Softmax, LeakyRelu, Elu, Softplus, Sign, Identity and the",
            "forms export model writes), after an optional Flatten and nn's normalization (Sub, Div), in float32 or",
            "float64, as export model and torch.onnx.export of an nn.Sequential of Linear and activations write it.",
            "Any other operator is refused, naming the node. The class names, normalization and loss come back from",
            "the metadata export model writes.",
        ],
        examples: ["load \"iris.nnm\"", "load \"model.onnx\""])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let (path, pathSpan) = try CommandFiles.fileName(invocation.statement.positional[0])
        let bytes = try CommandFiles.read(path, span: pathSpan)
        let contents: ModelContents
        let poll = StopPoll(every: 1, invocation.session.interruptRequested)
        let decoded = path.lowercased().hasSuffix(".onnx")
            ? ONNXImport.decode(bytes, maxElements: invocation.settings.maxElements)
            : ModelFile.decode(bytes: bytes, poll: poll)
        if poll.isStopped { throw Diagnostic(.interruptedWhile("loading: the network is as it was"), at: invocation.span) }
        switch decoded {
        case .success(let decoded): contents = decoded
        case .failure(let error): throw Diagnostic(.dataFile(path: path, error: error), at: pathSpan)
        }
        var network = contents.network
        for index in network.layers.indices {
            network.layers[index].dropout = contents.dropout(ofLayer: index) ?? 0
        }
        let features = try contents.features.map { saved throws(Diagnostic) in
            try invocation.session.features(texts: saved.texts, rawInputCount: saved.rawInputCount, span: pathSpan)
        }
        // A new network: the data stays, and the loss unless the file names one.
        var workspace = invocation.workspace
        workspace.startOver(keeping: [.data, .loss])
        workspace.network = network
        if let savedLoss = contents.loss { workspace.loss = savedLoss }
        workspace.normalization = contents.normalization
        workspace.loadedClassNames = contents.classNames
        // The data's own features, when they are the model's, keep their raw inputs for pictures.
        workspace.features = features?.texts == workspace.features?.texts && features?.rawInputCount == workspace.features?.rawInputCount
            ? workspace.features : features
        workspace.layerInitializers = Array(repeating: invocation.settings.initializer, count: network.layers.count)
        invocation.workspace = workspace

        let shape = ([network.inputCount] + network.layers.map(\.units)).map(String.init).joined(separator: "-")
        var summary = "loaded \(path): a \(shape) network, loss \(workspace.loss.name)"
        if let normalization = workspace.normalization { summary += ", normalize \(normalization.method.rawValue)" }
        if !contents.classNames.isEmpty { summary += ", classes " + contents.classNames.joined(separator: ", ") }
        if let features { summary += ", features " + features.texts.joined(separator: ", ") }
        invocation.write(summary)
    }
}

/// export EXPR "FILE.npy"|"FILE.csv": a value as a float64 NumPy array (a vector as one row)
/// or as CSV, by the file's extension; `export history "h.csv"` writes the last training's
/// epochs as Keras' CSVLogger does.
struct ExportCommand: Command {
    let spec = CommandSpec(
        "export", .session, "write a value as .npy or .csv, or the model as ONNX, PyTorch or .npz",
        positional: [ArgumentSpec("VALUE", "a value", .value), ArgumentSpec("FILE", "a file name in quotes", .value)],
        options: [ExportCommand.dtypeOption],
        details: [
            "The file's extension chooses the format: .npy (read it in Python with numpy.load) or .csv (columns",
            "x1…xn, numbers in full precision). A vector is written as one row. export history \"h.csv\" writes one",
            "row per epoch of the last training, with Keras' CSVLogger columns: epoch (from 1), loss, accuracy,",
            "val_loss, val_accuracy, lr, each only when the training had it.",
        ] + ExportCommand.modelDetails,
        examples: ["export W1 \"w1.npy\"", "export predict([[0, 1]]) \"out.csv\"", "export history \"history.csv\"",
                   "export model \"iris.onnx\" dtype=float32"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let valueExpression = invocation.statement.positional[0]
        let (path, pathSpan) = try CommandFiles.fileName(invocation.statement.positional[1])
        let isCSV = path.hasSuffix(".csv")
        if let word = valueExpression.bareName, let kind = ModelExportKind(rawValue: word), invocation.session.variables[word] == nil {
            try Self.exportModel(kind, invocation, path: path, pathSpan: pathSpan)
            return
        }
        if isCSV, valueExpression.bareName == "history", invocation.session.variables["history"] == nil {
            let records = invocation.workspace.trainingHistory
            guard !records.isEmpty else { throw Diagnostic(.nothingTrained, at: valueExpression.span) }
            try CommandFiles.write(Array(CSVWriter.encode(history: records).utf8), to: path, span: pathSpan)
            invocation.write("saved \(path): \(records.count) epochs")
            return
        }
        let value = try invocation.evaluate(valueExpression)
        let matrix: Matrix
        switch value {
        case .scalar(let number): matrix = Matrix(row: [number])
        case .vector(let elements): matrix = Matrix(row: elements)
        case .matrix(let given): matrix = given
        case .text: throw Diagnostic(.expectedValue(what: "a number, vector or matrix to export", got: "a string"), at: valueExpression.span)
        }
        let bytes = isCSV ? Array(CSVWriter.encode(matrix).utf8) : NumpyFormat.encode(matrix)
        try CommandFiles.write(bytes, to: path, span: pathSpan)
        invocation.write("saved \(path)")
    }
}

/// The file steps commands share, with their failures as diagnostics at the file name.
enum CommandFiles {
    /// A file name, which is written as a string.
    static func fileName(_ expression: Expression) throws(Diagnostic) -> (String, SourceSpan) {
        guard case .string(let path) = expression.kind, !path.isEmpty else {
            throw Diagnostic(.expectedValue(what: "a file name in quotes", got: expression.bareName.map { "the name '\($0)'" } ?? "an expression"), at: expression.span)
        }
        return (path, expression.span)
    }

    /// A whole file's bytes, or a diagnostic at `span` saying why not.
    static func read(_ path: String, span: SourceSpan) throws(Diagnostic) -> [UInt8] {
        switch FileAccess.readFile(path) {
        case .success(let bytes): return bytes
        case .failure(let error): throw Diagnostic(.file(error), at: span)
        }
    }

    /// Writes `bytes` as the whole file, or a diagnostic at `span` saying why not.
    static func write(_ bytes: [UInt8], to path: String, span: SourceSpan) throws(Diagnostic) {
        if case .failure(let error) = FileAccess.writeFile(path, bytes) {
            throw Diagnostic(.file(error), at: span)
        }
    }
}
