import NNEngine

/// What `export model` and `export params` write.
enum ModelExportKind: String {
    /// `export model "m.onnx"` or `"m.py"`: the whole predictor.
    case model
    /// `export params "m.npz"`: every parameter, named as the PyTorch script's state_dict.
    case params
}

/// `export model "m.onnx"|"m.py"` and `export params "m.npz"`: the model for other tools.
extension ExportCommand {
    static let dtypeOption = OptionSpec(
        "dtype", "TYPE", "export model: the element type of the ONNX model or PyTorch script", .word(Precision.allCases.map(\.rawValue)),
        default: .described("the session's (set dtype), float64 until set"),
        appliesWhen: Applicability("export model") { $0.argument(0)?.bareName == ModelExportKind.model.rawValue })

    static let modelDetails = [
        "export model \"m.onnx\" writes the whole predictor as ONNX (opset 13): the normalization as Sub and Div, each",
        "layer as Gemm with transB=1, each activation in standard operators; input 'input', output 'output', the class",
        "names as metadata (docs/onnx.md). dtype=float32|float64 chooses the element type.",
        "export model \"m.py\" writes a PyTorch script: the layers as nn.Sequential, the weights (in m.npz beside it past",
        "10,000 parameters), the normalization, predict, and a training loop with nn's loss and the session's optimizer",
        "that also runs under torchrun with DistributedDataParallel (docs/pytorch.md).",
        "export params \"m.npz\" writes every weight and bias as a float64 array named as the PyTorch script's",
        "state_dict names it ('0.weight', '0.bias', '2.weight', …), so model.load_state_dict takes it.",
    ]

    static func exportModel(_ kind: ModelExportKind, _ invocation: Invocation, path: String, pathSpan: SourceSpan) throws(Diagnostic) {
        let workspace = invocation.workspace
        let network = try workspace.requireLayers(command: "export \(kind.rawValue)", span: invocation.span)
        let precision = try invocation.givenWord("dtype").flatMap(Precision.init(rawValue:)) ?? invocation.settings.dtype
        let bytes: [UInt8]
        switch kind {
        case .model where path.hasSuffix(".onnx"):
            try refuseFeatures(workspace, format: "ONNX", span: invocation.span)
            bytes = ONNXExport.encode(network: network, normalization: workspace.normalization,
                                      classNames: workspace.classNamesForModel, loss: workspace.loss, precision: precision)
        case .model where path.hasSuffix(".py"):
            try refuseFeatures(workspace, format: "PyTorch", span: invocation.span)
            let inputs = workspace.unnormalizedTrainingSet?.inputs
            let model = PyTorchScript.Model(
                network: network, normalization: workspace.normalization, classNames: workspace.classNamesForModel,
                loss: workspace.loss, optimizer: invocation.settings.optimizer, learningRate: invocation.settings.learningRate,
                precision: precision, firstRows: inputs.map { $0.rows(0..<min($0.rows, 5)) }, training: workspace.lastTraining,
                frozenLayers: workspace.frozenLayers.filter { $0 < network.layers.count })
            var archiveName: String?
            if network.parameterCount > PyTorchScript.inlineParameterLimit {
                let archivePath = String(path.dropLast(3)) + ".npz"
                archiveName = archivePath.split(separator: "/").last.map(String.init)
                try CommandFiles.write(PyTorchParameters.archive(network), to: archivePath, span: pathSpan)
            }
            bytes = Array(PyTorchScript.encode(model, archiveName: archiveName).utf8)
        case .model:
            throw Diagnostic(.cannotExport(format: "a model", reason: "'export model' writes .onnx or .py files"), at: pathSpan)
        case .params where path.hasSuffix(".npz"):
            bytes = PyTorchParameters.archive(network)
        case .params:
            throw Diagnostic(.cannotExport(format: "parameters", reason: "'export params' writes .npz files"), at: pathSpan)
        }
        try CommandFiles.write(bytes, to: path, span: pathSpan)
        invocation.write("saved \(path)")
    }

    /// Engineered features are expressions nn evaluates; the exports take the network's inputs
    /// as the data's columns, so a model with features is refused, naming the first.
    private static func refuseFeatures(_ workspace: Workspace, format: String, span: SourceSpan) throws(Diagnostic) {
        guard let feature = workspace.features?.texts.first else { return }
        throw Diagnostic(.cannotExport(
            format: format,
            reason: "the network's inputs are engineered features ('\(feature)', …), which only nn computes; export a network trained on the data's own columns"),
            at: span)
    }
}
