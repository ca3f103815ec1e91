import Testing
import NNEngine
@testable import NNLang

/// `load "m.onnx"`: the bounded protobuf reader, nn's own export read back for every activation
/// in both element types, and the refusals. Models written by torch.onnx.export are checked in
/// Tests/nnTests/Interop.
@Suite("Model import")
struct ModelImportTests {
    static let activations: [Activation] = [
        .linear, .step, .sign, .piecewiseLinear, .sigmoid, .tanh, .relu, .leakyRelu(alpha: 0.2), .elu(alpha: 0.7), .softplus, .softmax,
    ]

    /// A 3-4-2 network with `hidden` between, weights that float32 cannot hold exactly.
    static func network(hidden: Activation, output: Activation) -> Network {
        Network(inputCount: 3, layers: [
            DenseLayer(weights: Matrix(rows: 4, columns: 3, storage: (0..<12).map { 0.1 * Double($0) - 0.55 }),
                       biases: [0.1, -0.2, 0.3, 1e-3], activation: hidden),
            DenseLayer(weights: Matrix([[0.3, -0.7, 1.1, 0.01], [-0.2, 0.4, 0.6, -1.3]]), biases: [0.05, -0.05], activation: output),
        ])
    }

    static func roundedToFloat(_ network: Network) -> Network {
        var rounded = network
        for index in rounded.layers.indices {
            rounded.layers[index].weights = Matrix(rows: network.layers[index].units, columns: network.layers[index].inputCount,
                                                   storage: network.layers[index].weights.storage.map { Double(Float($0)) })
            rounded.layers[index].biases = network.layers[index].biases.map { Double(Float($0)) }
        }
        return rounded
    }

    @Test(arguments: activations, [Precision.float64, .float32])
    func nnsOwnExportReadsBack(hidden: Activation, precision: Precision) throws {
        let output: Activation = hidden == .softmax ? .sigmoid : .softmax
        let network = Self.network(hidden: hidden, output: output)
        let normalization = Normalization(method: .minmax, offsets: [1, 2, 3], scales: [0.5, 4, 1e3])
        let bytes = ONNXExport.encode(network: network, normalization: normalization, classNames: output == .softmax ? ["a", "b"] : [],
                                      loss: .crossEntropy, precision: precision)
        let contents = try ONNXImport.decode(bytes, maxElements: 1000).get()
        let expected = precision == .float64 ? network : Self.roundedToFloat(network)
        #expect(contents.network == expected)
        #expect(contents.normalization?.method == .minmax)
        #expect(contents.normalization?.scales == [0.5, 4, 1e3])
        #expect(contents.classNames == (output == .softmax ? ["a", "b"] : []))
        #expect(contents.loss == .crossEntropy)
    }

    @Test func loadsAnExportAndPredictsTheSame() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let setup = ModelFileCommandTests.irisModel + "\nset precision 17\n"
        let flowers = ModelFileCommandTests.flowers
        let (trained, transcript) = try SessionTests.session(after: setup + "export model \"\(folder)/m.onnx\"\npredict \(flowers)")
        let (loaded, loadedTranscript) = try SessionTests.session(after: "data iris\nload \"\(folder)/m.onnx\"\nset precision 17\npredict \(flowers)")
        #expect(loadedTranscript.lines.first == "loaded \(folder)/m.onnx: a 4-5-3 network, loss cross_entropy, normalize standard, classes setosa, versicolor, virginica")
        #expect(loadedTranscript.lines.last == transcript.lines.last)
        #expect(loaded.workspace.network?.layers.map(\.weights) == trained.workspace.network?.layers.map(\.weights))
        // The loaded network is like any other.
        #expect(loaded.run(source: "explain grad W1\ngrad\ntrain epochs=2 quiet=true\nplot network") == .completed)
    }

    /// Fixtures/torch.onnx: torch.onnx.export (opset 13, TorchScript) of Sequential(Flatten, Linear(2, 3), Tanh, Linear(3, 2), Softmax(dim=1)).
    @Test func torchExportReads() throws {
        guard case .success(let bytes) = FileAccess.readFile(DataTestSupport.fixture("torch.onnx")) else { Issue.record("no fixture"); return }
        let contents = try ONNXImport.decode(bytes, maxElements: 1000).get()
        #expect(contents.network.inputCount == 2)
        #expect(contents.network.layers.map(\.units) == [3, 2])
        #expect(contents.network.layers.map(\.activation) == [.tanh, .softmax])
        #expect(contents.normalization == nil && contents.classNames.isEmpty && contents.loss == nil)
    }

    /// Every strict prefix of a real model is refused with a message, or, cut between the
    /// metadata entries that follow the graph, read as the same network: never a crash.
    @Test func truncatedFilesAreRefused() throws {
        guard case .success(let bytes) = FileAccess.readFile(DataTestSupport.fixture("model64.onnx")) else { Issue.record("no fixture"); return }
        let whole = try ONNXImport.decode(bytes, maxElements: 1000).get()
        #expect(whole.network.layers.count == 6)
        var readable = 0
        for length in 0..<bytes.count {
            if case .success(let contents) = ONNXImport.decode(Array(bytes[..<length]), maxElements: 1000) {
                #expect(contents.network == whole.network)
                readable += 1
            }
        }
        #expect(readable <= 4)  // after the graph: the opset, class_names, normalization, loss
    }

    @Test func nestingIsBounded() throws {
        var reader = ProtobufReader([])
        for _ in 0..<ProtobufReader.maximumDepth { reader = try reader.message(0..<0) }
        #expect(throws: DataFileError.protobuf("messages nested more than 12 deep")) { try reader.message(0..<0) }
    }

    /// W as inputs × units (MatMul, Gemm without transB) and as units × inputs (Gemm with transB=1) give the same layer.
    @Test(arguments: [
        ([("MatMul", ["x", "V"], "m", "mm"), ("Add", ["c", "m"], "y", "add")], [(String, Int)]()),
        ([("Gemm", ["x", "V", "c"], "y", "fc")], []),
        ([("Gemm", ["x", "U", "c"], "y", "fc")], [("transB", 1)]),
    ])
    func layerForms(nodes: [(String, [String], String, String)], attributes: [(String, Int)]) throws {
        let constants: [(String, [Int], [Float])] = [("V", [2, 3], [1, 2, 3, 4, 5, 6]), ("U", [3, 2], [1, 4, 2, 5, 3, 6]), ("c", [1, 3], [7, 8, 9])]
        let contents = try ONNXImport.decode(Self.model(nodes, output: "y", constants: constants, attributes: attributes), maxElements: 100).get()
        #expect(contents.network == Network(inputCount: 2, layers: [
            DenseLayer(weights: Matrix([[1, 4], [2, 5], [3, 6]]), biases: [7, 8, 9], activation: .linear),
        ]))
    }

    /// A bias given by a `Constant` node rather than an initializer.
    @Test func constantNodesAreInitializers() throws {
        var model = ProtobufWriter()
        model.message(7) { graph in
            graph.message(1) { node in
                node.string(2, "c")
                node.string(4, "Constant")
                node.message(5) { attribute in
                    attribute.string(1, "value")
                    attribute.message(5) { tensor in
                        tensor.varint(1, 2)
                        tensor.varint(2, 11)
                        tensor.bytes(9, [0, 0, 0, 0, 0, 0, 20, 64] + [0, 0, 0, 0, 0, 0, 24, 64])  // 5, 6 as float64
                    }
                    attribute.varint(20, 4)
                }
            }
            graph.message(1) { node in
                for input in ["x", "W", "c"] { node.string(1, input) }
                node.string(2, "y")
                node.string(4, "Gemm")
            }
            graph.message(5) { tensor in
                tensor.varint(1, 2)
                tensor.varint(1, 2)
                tensor.varint(2, 1)
                tensor.string(8, "W")
                for value: Float in [1, 2, 3, 4] { tensor.float(4, value) }
            }
            graph.message(11) { $0.string(1, "x") }
            graph.message(12) { $0.string(1, "y") }
        }
        let contents = try ONNXImport.decode(model.bytes, maxElements: 100).get()
        #expect(contents.network.layers.first?.biases == [5, 6])
        #expect(contents.network.layers.first?.weights == Matrix([[1, 3], [2, 4]]))
    }

    /// Sub and Div by one number each: the same offset and scale for every input.
    @Test func scalarNormalizationAppliesToEveryInput() throws {
        let bytes = Self.model([("Sub", ["x", "o"], "c", "sub"), ("Div", ["c", "s"], "n", "div"), ("Gemm", ["n", "W"], "y", "fc")],
                               output: "y", constants: [("o", [], [3]), ("s", [1], [2])])
        let contents = try ONNXImport.decode(bytes, maxElements: 100).get()
        #expect(contents.normalization == Normalization(method: .standard, offsets: [3, 3], scales: [2, 2]))
    }

    // MARK: - Refusals

    /// A model of one graph with `nodes` (operator, inputs, output, name) and a 2×2 initializer `W`.
    static func model(_ nodes: [(String, [String], String, String)], output: String,
                      constants: [(String, [Int], [Float])] = [], attributes: [(String, Int)] = []) -> [UInt8] {
        var model = ProtobufWriter()
        model.varint(1, 7)
        model.message(7) { graph in
            for (operation, inputs, result, name) in nodes {
                graph.message(1) { node in
                    for input in inputs { node.string(1, input) }
                    node.string(2, result)
                    node.string(3, name)
                    node.string(4, operation)
                    for (attribute, value) in attributes where operation == "Gemm" {
                        node.message(5) {
                            $0.string(1, attribute)
                            $0.varint(3, value)
                            $0.varint(20, 2)
                        }
                    }
                }
            }
            for (name, dimensions, values) in constants {
                graph.message(5) { tensor in
                    for dimension in dimensions { tensor.varint(1, dimension) }
                    tensor.varint(2, 1)
                    tensor.string(8, name)
                    for value in values { tensor.float(4, value) }  // float_data, unpacked
                }
            }
            graph.message(5) { tensor in
                tensor.varint(1, 2)
                tensor.varint(1, 2)
                tensor.varint(2, 1)
                tensor.string(8, "W")
                tensor.bytes(9, [0, 0, 128, 63, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128, 63])
            }
            graph.message(11) { $0.string(1, "x") }
            graph.message(12) { $0.string(1, output) }
        }
        return model.bytes
    }

    static let refusals: [([UInt8], String)] = [
        (model([("Conv", ["x", "W"], "y", "conv1")], output: "y"),
         "node 'conv1' is a Conv; " + DataFileError.onnxWhatNNReads),
        (model([("Gemm", ["x", "W"], "z", "fc"), ("BatchNormalization", ["z"], "y", "")], output: "y"),
         "node 2 is a BatchNormalization nn cannot read: nn reads one in inference mode right after a layer"),
        (model([("Identity", ["W"], "W2", "copy"), ("Gemm", ["x", "W2"], "z", "fc"), ("Relu", ["z"], "a", ""), ("BatchNormalization", ["a"], "y", "")], output: "y"),
         "node 4 is a BatchNormalization; " + DataFileError.onnxWhatNNReads),
        (model([("Gemm", ["x", "W"], "z", "fc"), ("Relu", ["x"], "y", "r")], output: "y"),
         "node 'r' (Relu) reads 'x' where nn expects a layer or activation reading 'z'; " + DataFileError.onnxWhatNNReads),
        (model([("Gemm", ["x", "W"], "z", "fc")], output: "q"), "the graph's output is 'q', but its last layer writes 'z'"),
        (model([("MatMul", ["x", "V"], "z", "fc")], output: "z"),
         "'V' is not an initializer; nn reads weights, biases and constants stored in the file"),
        (model([("Gemm", ["x", "W"], "z", "a"), ("Gemm", ["z", "W"], "y", "b")], output: "y"), ""),
        (model([], output: "y"), "the graph has no dense layer; " + DataFileError.onnxWhatNNReads),
        ([], "empty file"),
        ([0x0A], "damaged ONNX file: a number is cut off by the end of the message"),
        ([0x3A, 0x05, 0x0A], "damaged ONNX file: field 7 says 5 bytes but the message has 1 left"),
        ([0x08] + Array(repeating: 0xFF, count: 10) + [0x01], "damaged ONNX file: a number is longer than 64 bits"),
        ([0x0B], "damaged ONNX file: field 1 has wire type 3, which nn does not read"),
        (Array("nn-model 1\ninputs 2\nend\n".utf8), "damaged ONNX file: field 13 has wire type 6, which nn does not read"),
        // Nesting below the fields nn reads is skipped, never followed.
        (deeplyNested(), "the graph has no input"),
    ]

    /// Graph, node, attribute, tensor… nested 20 deep in field 7 then 5.
    static func deeplyNested() -> [UInt8] {
        var bytes: [UInt8] = [0x2A, 0x00]
        for _ in 0..<20 {
            var writer = ProtobufWriter()
            writer.bytes(bytes.count % 2 == 0 ? 5 : 1, bytes)
            bytes = writer.bytes
        }
        var model = ProtobufWriter()
        model.bytes(7, bytes)
        return model.bytes
    }

    @Test(arguments: refusals)
    func refused(bytes: [UInt8], message: String) {
        let result = ONNXImport.decode(bytes, maxElements: 1000)
        if message.isEmpty {
            #expect(throws: Never.self) { try result.get() }
        } else if message.hasSuffix("… ") {
            guard case .failure(let error) = result else { Issue.record("read \(bytes)"); return }
            #expect(error.message.hasPrefix(String(message.dropLast(3))))
        } else {
            guard case .failure(let error) = result else { Issue.record("read \(bytes)"); return }
            #expect(error.message == message)
        }
    }

    @Test func tensorsLargerThanMaxElementsAreRefusedBeforeTheyAreRead() {
        var model = ProtobufWriter()
        model.message(7) { graph in
            graph.message(5) { tensor in
                tensor.varint(1, 1_000_000)
                tensor.varint(1, 1_000_000)
                tensor.varint(2, 11)
                tensor.string(8, "big")
            }
        }
        #expect(ONNXImport.decode(model.bytes, maxElements: 1000).failureMessage
                == "initializer 'big' has 1000000 numbers (the limit is 1000: set max_elements)")
    }

    @Test func aFailedLoadLeavesTheSessionAsItWas() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/conv.onnx"
        guard case .success = FileAccess.writeFile(path, Self.model([("Conv", ["x", "W"], "y", "conv1")], output: "y")) else {
            Issue.record("cannot write \(path)"); return
        }
        let (session, _) = try SessionTests.session(after: "input 2\nlayer 3 tanh\nlayer 1 sigmoid")
        let before = session.workspace.network
        #expect(FileCommandTests.failure("load \"\(path)\"", in: session)
                == "in '\(path)': node 'conv1' is a Conv; " + DataFileError.onnxWhatNNReads)
        #expect(session.workspace.network == before)
    }

    @Test func classNamesFromJSON() {
        #expect(ONNXImport.jsonStrings(#"["setosa","a \"b\"\\c","\u000a"]"#) == ["setosa", "a \"b\"\\c", "\n"])
        #expect(ONNXImport.jsonStrings(" [ ] ") == [])
        #expect(ONNXImport.jsonStrings(#"["a",]"#) == nil)
        #expect(ONNXImport.jsonStrings(#"["a"#) == nil)
        #expect(ONNXImport.jsonStrings(#"["\u00"]"#) == nil)
    }
}

extension Result where Failure == DataFileError {
    var failureMessage: String? {
        if case .failure(let error) = self { return error.message }
        return nil
    }
}
