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
        case .model:
            throw Diagnostic(.cannotExport(format: "a model", reason: "'export model' writes .onnx files"), at: pathSpan)
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
