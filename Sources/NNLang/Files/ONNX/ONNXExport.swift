import NNEngine

/// The whole predictor as an ONNX model (opset 13): the input normalization as `Sub` and `Div`,
/// each dense layer as `Gemm` with `transB=1` (which takes nn's units × inputs `W` as it is),
/// batch normalization as `BatchNormalization` in inference mode (γ, β and the running estimates),
/// each activation as one to four standard operators. docs/onnx.md lists them.
///
/// The graph reads `input` [batch, inputs] and writes `output` [batch, outputs], in float64
/// or float32. Parameters are initializers named as nn names them (`W1`, `b1`, …); the class
/// names, the normalization method and the loss are metadata.
enum ONNXExport {
    static let opsetVersion = 13
    /// The IR version that goes with opset 13.
    static let irVersion = 7

    /// The bytes of an `.onnx` file computing what `predict` computes, from normalized inputs on.
    static func encode(network: Network, normalization: Normalization?, classNames: [String], loss: Loss?,
                       precision: Precision) -> [UInt8] {
        var graph = ONNXGraphBuilder(precision: precision)
        var current = "input"
        if let normalization {
            graph.initializer("offsets", normalization.offsets, dimensions: [normalization.offsets.count])
            graph.initializer("scales", normalization.scales, dimensions: [normalization.scales.count])
            graph.node("Sub", ["input", "offsets"], "centered")
            graph.node("Div", ["centered", "scales"], "normalized")
            current = "normalized"
        }
        for (index, layer) in network.layers.enumerated() {
            let number = index + 1
            graph.initializer("W\(number)", layer.weights.storage, dimensions: [layer.units, layer.inputCount])
            graph.initializer("b\(number)", layer.biases, dimensions: [layer.units])
            var net = "z\(number)"
            graph.node("Gemm", [current, "W\(number)", "b\(number)"], net, attributes: [("transB", .int(1))])
            if let batchNorm = layer.batchNorm {
                // Inference mode: y = γ (z − μ_run)/√(σ²_run + ε) + β, as 'predict' computes it.
                let names = ["gamma", "beta", "running_mean", "running_var"].map { "\($0)\(number)" }
                for (name, values) in zip(names, [batchNorm.gamma, batchNorm.beta, batchNorm.runningMean, batchNorm.runningVariance]) {
                    graph.initializer(name, values, dimensions: [batchNorm.units])
                }
                graph.node("BatchNormalization", [net] + names, "y\(number)",
                           attributes: [("epsilon", .float(Float(BatchNorm.epsilon))), ("momentum", .float(Float(1 - BatchNorm.momentum)))])
                net = "y\(number)"
            }
            let output = number == network.layers.count ? "output" : "a\(number)"
            graph.activation(layer.activation, net, output, layer: number)
            current = output
        }

        var metadata: [(String, String)] = [("class_names", jsonArray(classNames))]
        if let normalization { metadata.append(("normalization", normalization.method.rawValue)) }
        if let loss { metadata.append(("loss", loss.name)) }

        var model = ProtobufWriter()
        model.varint(1, irVersion)
        model.string(2, "nn")
        model.message(7) { graph.encode(into: &$0, inputs: network.inputCount, outputs: network.outputCount) }
        model.message(8) { opset in
            opset.string(1, "")
            opset.varint(2, opsetVersion)
        }
        for (key, value) in metadata {
            model.message(14) { entry in
                entry.string(1, key)
                entry.string(2, value)
            }
        }
        return model.bytes
    }

    /// `["a","b"]`, with `"` and `\` and control characters escaped.
    static func jsonArray(_ texts: [String]) -> String {
        "[" + texts.map { text in
            var quoted = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case _ where scalar.value < 0x20: quoted += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                default: quoted.unicodeScalars.append(scalar)
                }
            }
            return quoted + "\""
        }.joined(separator: ",") + "]"
    }
}

/// The nodes and initializers of a graph as they are added, in order.
struct ONNXGraphBuilder {
    enum Attribute {
        case int(Int)
        case float(Float)
    }

    let precision: Precision
    private var nodes: [[UInt8]] = []
    private var initializers: [[UInt8]] = []
    private var initializerNames: Set<String> = []

    init(precision: Precision) {
        self.precision = precision
    }

    /// TensorProto.DataType: FLOAT = 1, DOUBLE = 11.
    var elementType: Int { precision == .float32 ? 1 : 11 }

    /// A constant tensor, its values row-major, as raw little-endian bytes of the element type.
    mutating func initializer(_ name: String, _ values: [Double], dimensions: [Int]) {
        guard initializerNames.insert(name).inserted else { return }
        var raw: [UInt8] = []
        raw.reserveCapacity(values.count * (precision == .float32 ? 4 : 8))
        for value in values {
            switch precision {
            case .float64: withUnsafeBytes(of: value.bitPattern.littleEndian) { raw.append(contentsOf: $0) }
            case .float32: withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { raw.append(contentsOf: $0) }
            }
        }
        var tensor = ProtobufWriter()
        for dimension in dimensions { tensor.varint(1, dimension) }
        tensor.varint(2, elementType)
        tensor.string(8, name)
        tensor.bytes(9, raw)
        initializers.append(tensor.bytes)
    }

    /// A scalar constant, named by its value so that layers share it.
    mutating func scalar(_ name: String, _ value: Double) -> String {
        initializer(name, [value], dimensions: [])
        return name
    }

    mutating func node(_ operation: String, _ inputs: [String], _ output: String, attributes: [(String, Attribute)] = []) {
        var node = ProtobufWriter()
        for input in inputs { node.string(1, input) }
        node.string(2, output)
        node.string(3, operation + "_" + output)
        node.string(4, operation)
        for (name, value) in attributes {
            node.message(5) { attribute in
                attribute.string(1, name)
                switch value {
                case .float(let number):
                    attribute.float(2, number)
                    attribute.varint(20, 1)  // AttributeType FLOAT
                case .int(let number):
                    attribute.varint(3, number)
                    attribute.varint(20, 2)  // AttributeType INT
                }
            }
        }
        nodes.append(node.bytes)
    }

    /// `output = φ(net)` for the activation of layer `layer`.
    ///
    /// onnxruntime has float64 kernels for Sigmoid, Tanh, Relu, Sign and Softmax but not for
    /// LeakyRelu, Elu and Softplus, so in float64 those three are written out in operators it has.
    mutating func activation(_ activation: Activation, _ net: String, _ output: String, layer: Int) {
        let step = "\(net)_"  // intermediate names: z1_sign, z1_shifted, …
        switch activation {
        case .linear: node("Identity", [net], output)
        case .sigmoid: node("Sigmoid", [net], output)
        case .tanh: node("Tanh", [net], output)
        case .relu: node("Relu", [net], output)
        case .softmax: node("Softmax", [net], output, attributes: [("axis", .int(-1))])
        case .sign: node("Sign", [net], output)
        case .step:  // (sign(z) + 1) / 2: 0, ½ at 0, 1
            node("Sign", [net], step + "sign")
            node("Add", [step + "sign", scalar("one", 1)], step + "sign_plus_one")
            node("Mul", [step + "sign_plus_one", scalar("half", 0.5)], output)
        case .piecewiseLinear:  // clip(z + ½, 0, 1)
            node("Add", [net, scalar("half", 0.5)], step + "shifted")
            node("Clip", [step + "shifted", scalar("zero", 0), scalar("one", 1)], output)
        case .leakyRelu(let alpha) where precision == .float32:
            node("LeakyRelu", [net], output, attributes: [("alpha", .float(Float(alpha)))])
        case .elu(let alpha) where precision == .float32:
            node("Elu", [net], output, attributes: [("alpha", .float(Float(alpha)))])
        case .softplus where precision == .float32:
            node("Softplus", [net], output)
        case .leakyRelu(let alpha):  // z > 0 ? z : alpha·z
            let alphaName = scalar("alpha\(layer)", alpha)
            node("Greater", [net, scalar("zero", 0)], step + "positive")
            node("Mul", [net, alphaName], step + "scaled")
            node("Where", [step + "positive", net, step + "scaled"], output)
        case .elu(let alpha):  // z > 0 ? z : alpha·(eᶻ − 1)
            let alphaName = scalar("alpha\(layer)", alpha)
            node("Greater", [net, scalar("zero", 0)], step + "positive")
            node("Exp", [net], step + "exp")
            node("Sub", [step + "exp", scalar("one", 1)], step + "exp_minus_one")
            node("Mul", [step + "exp_minus_one", alphaName], step + "scaled")
            node("Where", [step + "positive", net, step + "scaled"], output)
        case .softplus:  // max(z, 0) + log(1 + e^−|z|), which never overflows
            node("Max", [net, scalar("zero", 0)], step + "positive_part")
            node("Abs", [net], step + "abs")
            node("Neg", [step + "abs"], step + "minus_abs")
            node("Exp", [step + "minus_abs"], step + "exp")
            node("Add", [step + "exp", scalar("one", 1)], step + "one_plus_exp")
            node("Log", [step + "one_plus_exp"], step + "log")
            node("Add", [step + "positive_part", step + "log"], output)
        }
    }

    /// GraphProto: nodes, name, initializers, and the input and output with their shapes.
    func encode(into graph: inout ProtobufWriter, inputs: Int, outputs: Int) {
        for node in nodes { graph.bytes(1, node) }
        graph.string(2, "nn")
        for tensor in initializers { graph.bytes(5, tensor) }
        graph.message(11) { valueInfo(&$0, name: "input", width: inputs) }
        graph.message(12) { valueInfo(&$0, name: "output", width: outputs) }
    }

    /// ValueInfoProto of a [batch, width] tensor, the batch left free.
    private func valueInfo(_ info: inout ProtobufWriter, name: String, width: Int) {
        info.string(1, name)
        info.message(2) { type in
            type.message(1) { tensor in
                tensor.varint(1, elementType)
                tensor.message(2) { shape in
                    shape.message(1) { $0.string(2, "batch") }
                    shape.message(1) { $0.varint(1, width) }
                }
            }
        }
    }
}
