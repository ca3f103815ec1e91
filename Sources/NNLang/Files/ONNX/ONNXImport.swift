import NNEngine

/// Reads a dense feed-forward network from an ONNX model, as nn's own export and
/// `torch.onnx.export` of an `nn.Sequential` of `Linear` and activation modules write it:
///
///     [Flatten] [Sub(x, offsets), Div(·, scales)] { (Gemm | MatMul [Add]) [activation] }
///
/// An activation is one operator (Relu, Sigmoid, Tanh, Softmax, LeakyRelu, Elu, Softplus, Sign,
/// Identity) or one of the multi-operator forms `ONNXExport` writes (docs/onnx.md). Anything
/// else is an error naming the node; the metadata nn writes gives back the class names, the
/// normalization method and the loss.
public enum ONNXImport {
    /// The network, normalization, class names and loss in `bytes`, no tensor over `maxElements` numbers.
    public static func decode(_ bytes: [UInt8], maxElements: Int) -> Result<ModelContents, DataFileError> {
        do throws(DataFileError) {
            let graph = try ONNXGraph(bytes, maxElements: maxElements)
            return .success(try contents(of: graph))
        } catch {
            return .failure(error)
        }
    }

    private static func contents(of graph: ONNXGraph) throws(DataFileError) -> ModelContents {
        guard let input = graph.inputs.first(where: { graph.initializers[$0] == nil }) else {
            throw .onnxModel("the graph has no input")
        }
        guard graph.outputs.count == 1, let output = graph.outputs.first else {
            throw .onnxModel("the graph has \(graph.outputs.count) outputs; nn reads a graph with one")
        }
        let method = graph.metadata["normalization"].flatMap(Normalization.Method.init(rawValue:)) ?? .standard
        var chain = ONNXChain(graph: graph)
        let (network, normalization) = try chain.read(input: input, output: output, normalizationMethod: method)

        var classNames: [String] = []
        if let text = graph.metadata["class_names"] {
            guard let names = jsonStrings(text) else { throw .onnxModel("the metadata's class_names is not a list of strings") }
            classNames = names
        }
        if !classNames.isEmpty, let last = network.layers.last,
           !(classNames.count == last.units || (classNames.count == 2 && last.units == 1)) {
            throw .onnxModel("\(classNames.count) class names for \(last.units) output\(last.units == 1 ? "" : "s")")
        }
        return ModelContents(network: network, loss: graph.metadata["loss"].flatMap { Loss(name: $0) },
                             normalization: normalization, classNames: classNames)
    }

    /// The strings of a JSON array of strings, as `ONNXExport.jsonArray` writes it; nil if it is not one.
    static func jsonStrings(_ text: String) -> [String]? {
        var scalars = Array(text.unicodeScalars)[...]
        func skipSpace() { while let first = scalars.first, first == " " || first == "\n" || first == "\t" || first == "\r" { scalars.removeFirst() } }
        skipSpace()
        guard scalars.popFirst() == "[" else { return nil }
        var strings: [String] = []
        skipSpace()
        if scalars.first == "]" { scalars.removeFirst(); skipSpace(); return scalars.isEmpty ? [] : nil }
        while true {
            skipSpace()
            guard scalars.popFirst() == "\"" else { return nil }
            var string = String.UnicodeScalarView()
            while true {
                guard let scalar = scalars.popFirst() else { return nil }
                if scalar == "\"" { break }
                guard scalar == "\\" else { string.append(scalar); continue }
                switch scalars.popFirst() {
                case "\"": string.append("\"")
                case "\\": string.append("\\")
                case "/": string.append("/")
                case "n": string.append("\n")
                case "t": string.append("\t")
                case "r": string.append("\r")
                case "b": string.append("\u{8}")
                case "f": string.append("\u{C}")
                case "u":
                    guard scalars.count >= 4, let code = UInt32(String(String.UnicodeScalarView(scalars.prefix(4))), radix: 16),
                          let decoded = Unicode.Scalar(code) else { return nil }
                    scalars.removeFirst(4)
                    string.append(decoded)
                default: return nil
                }
            }
            strings.append(String(string))
            skipSpace()
            switch scalars.popFirst() {
            case ",": continue
            case "]":
                skipSpace()
                return scalars.isEmpty ? strings : nil
            default: return nil
            }
        }
    }
}

/// Walks a graph's nodes in order, taking each as part of the chain of dense layers or
/// naming it as what nn cannot take.
struct ONNXChain {
    let graph: ONNXGraph
    private var index = 0

    /// `graph` with each `Constant` node taken as an initializer, and each `Identity` of an
    /// initializer as another name for it: torch.onnx.export writes such copies when a module's
    /// parameters are shared or renamed.
    init(graph: ONNXGraph) {
        var graph = graph
        graph.nodes.removeAll { node in
            guard node.domain.isEmpty || node.domain == "ai.onnx", let output = node.outputs.first else { return false }
            switch node.operation {
            case "Identity" where node.inputs.count == 1:
                guard let tensor = graph.initializers[node.inputs[0]] else { return false }
                graph.initializers[output] = tensor
            case "Constant" where node.inputs.isEmpty:
                if let tensor = node.attributes["value"]?.tensor {
                    graph.initializers[output] = tensor
                } else if let value = node.attributes["value_float"]?.float {
                    graph.initializers[output] = ONNXGraph.Tensor(dimensions: [], values: [Double(value)])
                } else {
                    return false
                }
            default: return false
            }
            return true
        }
        self.graph = graph
    }

    /// The operators the chain is made of: any other is named as unsupported.
    static let knownOperations: Set<String> = [
        "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Flatten", "Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", "Elu",
        "Softplus", "Sign", "Identity", "Clip", "Where", "Greater", "Exp", "Log", "Abs", "Neg", "Max",
    ]

    private var node: ONNXGraph.Node? { index < graph.nodes.count ? graph.nodes[index] : nil }

    // MARK: - The chain

    /// chain = [Flatten] [normalization] layer { layer }, from `input` to `output`.
    mutating func read(input: String, output: String, normalizationMethod: Normalization.Method)
        throws(DataFileError) -> (Network, Normalization?) {
        var current = input
        if let node, node.operation == "Flatten", node.inputs.first == current, (node.attributes["axis"]?.integer ?? 1) == 1 {
            try checkDomain(node)
            current = try result(of: node)
            index += 1
        }
        var normalization: Normalization?
        // normalization = Sub(x, offsets) Div(·, scales)
        if let sub = node, sub.operation == "Sub", sub.inputs.count == 2, sub.inputs[0] == current, graph.initializers[sub.inputs[1]] != nil,
           index + 1 < graph.nodes.count, case let div = graph.nodes[index + 1], div.operation == "Div", div.inputs.count == 2,
           div.inputs[0] == (try result(of: sub)), graph.initializers[div.inputs[1]] != nil {
            let offsets = try vector(sub.inputs[1])
            let scales = try vector(div.inputs[1])
            guard offsets.count == scales.count, scales.allSatisfy({ $0 != 0 }) else {
                throw .onnxModel("the normalization's offsets and scales do not fit (\(offsets.count) and \(scales.count) numbers, no scale 0)")
            }
            normalization = Normalization(method: normalizationMethod, offsets: offsets, scales: scales)
            current = try result(of: div)
            index += 2
        }
        var layers: [DenseLayer] = []
        while node != nil {
            let (weights, biases, net) = try denseLayer(reading: current)
            // A normalization by one offset and one scale applies them to every input.
            if layers.isEmpty, let given = normalization, given.offsets.count == 1, weights.columns > 1 {
                normalization = Normalization(method: given.method, offsets: Array(repeating: given.offsets[0], count: weights.columns),
                                              scales: Array(repeating: given.scales[0], count: weights.columns))
            }
            if let previous = layers.last?.units ?? normalization?.offsets.count, previous != weights.columns {
                throw .onnxModel("layer \(layers.count + 1) takes \(weights.columns) inputs but \(previous) come into it")
            }
            let (batchNorm, normalized) = try batchNormalization(of: net, units: weights.rows)
            let (activation, activated) = try activation(of: normalized)
            layers.append(DenseLayer(weights: weights, biases: biases, activation: activation, batchNorm: batchNorm))
            current = activated
        }
        guard let first = layers.first else { throw .onnxModel("the graph has no dense layer; " + DataFileError.onnxWhatNNReads) }
        guard current == output else {
            throw .onnxModel("the graph's output is '\(output)', but its last layer writes '\(current)'")
        }
        return (Network(inputCount: first.inputCount, layers: layers), normalization)
    }

    /// layer = Gemm(x, W, [C]) | MatMul(x, W) [Add(·, b)]: the weights as nn keeps them (units × inputs).
    private mutating func denseLayer(reading current: String) throws(DataFileError) -> (Matrix, [Double], String) {
        guard let node else { throw .onnxModel("the graph ends before a layer") }
        try checkDomain(node)
        switch node.operation {
        case "Gemm":
            guard (2...3).contains(node.inputs.count), node.inputs[0] == current else { throw misplaced(node, expected: current) }
            guard (node.attributes["transA"]?.integer ?? 0) == 0, (node.attributes["alpha"]?.float ?? 1) == 1,
                  (node.attributes["beta"]?.float ?? 1) == 1 else {
                throw .onnxModel("\(describe(node)) is a Gemm with transA, alpha or beta; nn reads Gemm with transA=0, alpha=1, beta=1")
            }
            let transB = node.attributes["transB"]?.integer ?? 0
            guard transB == 0 || transB == 1 else { throw .onnxModel("\(describe(node)) has transB=\(transB)") }
            let given = try matrix(node.inputs[1])
            let weights = transB == 1 ? given : given.transposed
            var biases = [Double](repeating: 0, count: weights.rows)
            if node.inputs.count == 3, !node.inputs[2].isEmpty {
                biases = try bias(node.inputs[2], units: weights.rows)
            }
            index += 1
            return (weights, biases, try result(of: node))
        case "MatMul":
            guard node.inputs.count == 2, node.inputs[0] == current else { throw misplaced(node, expected: current) }
            let weights = try matrix(node.inputs[1]).transposed
            var net = try result(of: node)
            index += 1
            var biases = [Double](repeating: 0, count: weights.rows)
            if let add = self.node, add.operation == "Add", add.inputs.count == 2, let position = add.inputs.firstIndex(of: net),
               case let constant = add.inputs[1 - position], graph.initializers[constant] != nil {
                biases = try bias(constant, units: weights.rows)
                net = try result(of: add)
                index += 1
            }
            return (weights, biases, net)
        default:
            throw Self.knownOperations.contains(node.operation) ? misplaced(node, expected: current) : unsupported(node)
        }
    }

    /// [BatchNormalization(z, γ, β, mean, var)] in inference mode, with nn's ε = 1e-5: the
    /// layer's batch normalization (no batches tracked) and what it writes, or nil and `net`.
    private mutating func batchNormalization(of net: String, units: Int) throws(DataFileError) -> (BatchNorm?, String) {
        guard let node, node.operation == "BatchNormalization" else { return (nil, net) }
        try checkDomain(node)
        guard node.inputs.count == 5, node.inputs[0] == net, node.outputs.count == 1 || node.outputs.dropFirst().allSatisfy(\.isEmpty),
              (node.attributes["training_mode"]?.integer ?? 0) == 0 else {
            throw .onnxModel("\(describe(node)) is a BatchNormalization nn cannot read: nn reads one in inference mode right after a layer")
        }
        let epsilon = Double(node.attributes["epsilon"]?.float ?? 1e-5)
        guard abs(epsilon - BatchNorm.epsilon) <= 1e-6 * BatchNorm.epsilon else {
            throw .onnxModel("\(describe(node)) has epsilon \(epsilon); nn's batch normalization has ε = 1e-5")
        }
        let values = try node.inputs[1...].map { name throws(DataFileError) in try bias(name, units: units) }
        guard values[3].allSatisfy({ $0 >= 0 }) else { throw .onnxModel("\(describe(node)) has a negative running variance") }
        index += 1
        return (BatchNorm(gamma: values[0], beta: values[1], runningMean: values[2], runningVariance: values[3], batchesTracked: 0),
                try result(of: node))
    }

    // MARK: - Activations

    /// An operand of a node in a multi-operator activation.
    private enum Operand: Equatable, Sendable {
        case net
        /// The output of the pattern's node at this position.
        case result(Int)
        case constant(Double)
        /// A scalar constant: the activation's alpha.
        case alpha
    }

    private struct Pattern: Sendable {
        let nodes: [(operation: String, inputs: [Operand])]
        let activation: @Sendable (Double) -> Activation
    }

    /// The forms `ONNXExport.activation` writes with more than one operator, longest first.
    private static let patterns: [Pattern] = [
        // softplus: Add(Max(z, 0), Log(Add(Exp(Neg(Abs(z))), 1)))
        Pattern(nodes: [("Max", [.net, .constant(0)]), ("Abs", [.net]), ("Neg", [.result(1)]), ("Exp", [.result(2)]),
                        ("Add", [.result(3), .constant(1)]), ("Log", [.result(4)]), ("Add", [.result(0), .result(5)])],
                activation: { _ in .softplus }),
        // elu: Where(Greater(z, 0), z, Mul(Sub(Exp(z), 1), alpha))
        Pattern(nodes: [("Greater", [.net, .constant(0)]), ("Exp", [.net]), ("Sub", [.result(1), .constant(1)]),
                        ("Mul", [.result(2), .alpha]), ("Where", [.result(0), .net, .result(3)])],
                activation: { .elu(alpha: $0) }),
        // leaky_relu: Where(Greater(z, 0), z, Mul(z, alpha))
        Pattern(nodes: [("Greater", [.net, .constant(0)]), ("Mul", [.net, .alpha]), ("Where", [.result(0), .net, .result(1)])],
                activation: { .leakyRelu(alpha: $0) }),
        // step: Mul(Add(Sign(z), 1), ½)
        Pattern(nodes: [("Sign", [.net]), ("Add", [.result(0), .constant(1)]), ("Mul", [.result(1), .constant(0.5)])],
                activation: { _ in .step }),
        // piecewise_linear: Clip(Add(z, ½), 0, 1)
        Pattern(nodes: [("Add", [.net, .constant(0.5)]), ("Clip", [.result(0), .constant(0), .constant(1)])],
                activation: { _ in .piecewiseLinear }),
    ]

    /// activation = one of the operators nn has, or one of nn's own multi-operator forms, or
    /// nothing (linear) when the next layer or the end follows.
    private mutating func activation(of net: String) throws(DataFileError) -> (Activation, String) {
        guard let node, node.operation != "Gemm", node.operation != "MatMul" else { return (.linear, net) }
        try checkDomain(node)
        for pattern in Self.patterns {
            if let found = try match(pattern, net: net) { return found }
        }
        guard node.inputs.count == 1, node.inputs[0] == net else {
            throw Self.knownOperations.contains(node.operation) ? misplaced(node, expected: net) : unsupported(node)
        }
        let activation: Activation
        switch node.operation {
        case "Relu": activation = .relu
        case "Sigmoid": activation = .sigmoid
        case "Tanh": activation = .tanh
        case "Identity": activation = .linear
        case "Sign": activation = .sign
        case "Softplus": activation = .softplus
        case "LeakyRelu": activation = .leakyRelu(alpha: try alpha(of: node, default: Activation.defaultLeakyReluAlpha))
        case "Elu": activation = .elu(alpha: try alpha(of: node, default: Activation.defaultEluAlpha))
        case "Softmax":
            let axis = node.attributes["axis"]?.integer ?? -1
            guard axis == -1 || axis == 1 else {
                throw .onnxModel("\(describe(node)) is a Softmax over axis \(axis); nn's softmax is over each row (axis -1 or 1)")
            }
            activation = .softmax
        default:
            throw Self.knownOperations.contains(node.operation) ? misplaced(node, expected: net) : unsupported(node)
        }
        index += 1
        return (activation, try result(of: node))
    }

    /// `pattern` at the current node, reading `net`: the activation and its output, or nil.
    private mutating func match(_ pattern: Pattern, net: String) throws(DataFileError) -> (Activation, String)? {
        guard index + pattern.nodes.count <= graph.nodes.count else { return nil }
        var alpha = 0.0
        for (offset, expected) in pattern.nodes.enumerated() {
            let node = graph.nodes[index + offset]
            guard node.operation == expected.operation, node.domain.isEmpty || node.domain == "ai.onnx",
                  node.inputs.count == expected.inputs.count, !node.outputs.isEmpty else { return nil }
            for (name, operand) in zip(node.inputs, expected.inputs) {
                switch operand {
                case .net: guard name == net else { return nil }
                case .result(let position): guard name == graph.nodes[index + position].outputs[0] else { return nil }
                case .constant(let value): guard scalar(name) == value else { return nil }
                case .alpha:
                    guard let value = scalar(name), value.isFinite else { return nil }
                    alpha = value
                }
            }
        }
        let output = graph.nodes[index + pattern.nodes.count - 1].outputs[0]
        index += pattern.nodes.count
        return (pattern.activation(alpha), output)
    }

    /// A float attribute `alpha` as the decimal it was written as: 0.2 rather than float32's 0.200000003.
    private func alpha(of node: ONNXGraph.Node, default defaultValue: Double) throws(DataFileError) -> Double {
        guard let alpha = node.attributes["alpha"]?.float else { return defaultValue }
        guard alpha.isFinite, let decimal = Double("\(alpha)") else { throw .onnxModel("\(describe(node)) has alpha \(alpha)") }
        return decimal
    }

    // MARK: - Constants

    private func constant(_ name: String) throws(DataFileError) -> ONNXGraph.Tensor {
        guard let tensor = graph.initializers[name] else {
            throw .onnxModel("'\(name)' is not an initializer; nn reads weights, biases and constants stored in the file")
        }
        if let problem = tensor.problem { throw .onnxModel("initializer '\(name)' \(problem)") }
        guard tensor.values.allSatisfy(\.isFinite) else { throw .onnxModel("initializer '\(name)' holds NaN or infinity") }
        return tensor
    }

    /// A one-element constant's value, or nil if `name` is not one.
    private func scalar(_ name: String) -> Double? {
        guard let tensor = graph.initializers[name], tensor.problem == nil, tensor.values.count == 1 else { return nil }
        return tensor.values[0]
    }

    private func matrix(_ name: String) throws(DataFileError) -> Matrix {
        let tensor = try constant(name)
        guard tensor.dimensions.count == 2, tensor.dimensions[0] > 0, tensor.dimensions[1] > 0 else {
            throw .onnxModel("weights '\(name)' have shape \(tensor.dimensions); nn reads a matrix")
        }
        return Matrix(rows: tensor.dimensions[0], columns: tensor.dimensions[1], storage: tensor.values)
    }

    private func vector(_ name: String) throws(DataFileError) -> [Double] {
        let tensor = try constant(name)
        guard tensor.dimensions.filter({ $0 != 1 }).count <= 1, !tensor.values.isEmpty else {
            throw .onnxModel("'\(name)' has shape \(tensor.dimensions); nn reads a vector")
        }
        return tensor.values
    }

    private func bias(_ name: String, units: Int) throws(DataFileError) -> [Double] {
        let values = try vector(name)
        guard values.count == units else { throw .onnxModel("biases '\(name)' have \(values.count) numbers for \(units) units") }
        return values
    }

    // MARK: - Nodes

    private func result(of node: ONNXGraph.Node) throws(DataFileError) -> String {
        guard let output = node.outputs.first, !output.isEmpty else { throw .onnxModel("\(describe(node)) has no output") }
        return output
    }

    private func checkDomain(_ node: ONNXGraph.Node) throws(DataFileError) {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw .onnxUnsupportedNode(node: describe(node), operator: "\(node.domain).\(node.operation)")
        }
    }

    /// "node 'conv1'", or "node 3" for a node without a name.
    private func describe(_ node: ONNXGraph.Node) -> String {
        node.name.isEmpty ? "node \(node.position)" : "node '\(node.name)'"
    }

    private func unsupported(_ node: ONNXGraph.Node) -> DataFileError {
        .onnxUnsupportedNode(node: describe(node), operator: node.operation.isEmpty ? "node without an operator" : node.operation)
    }

    private func misplaced(_ node: ONNXGraph.Node, expected: String) -> DataFileError {
        .onnxModel("\(describe(node)) (\(node.operation)) reads \(node.inputs.first.map { "'\($0)'" } ?? "nothing") where nn expects "
            + "a layer or activation reading '\(expected)'; " + DataFileError.onnxWhatNNReads)
    }
}
