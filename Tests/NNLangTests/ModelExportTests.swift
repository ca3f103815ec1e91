import Testing
import NNEngine
@testable import NNLang

/// `export model` and `export params` in Swift: the protobuf encoding and the refusals. What the
/// files mean is checked by their real consumers in Tests/nnTests/Interop.
@Suite("Model export")
struct ModelExportTests {
    @Test func varintsAndFieldKeysAreProtobufs() {
        var writer = ProtobufWriter()
        writer.varint(1, 300)  // key 0x08, then 300 = 0b10_0101100 → AC 02
        writer.varint(2, -1)   // int64 −1: ten bytes
        writer.string(8, "W1")
        writer.float(2, 1)
        #expect(writer.bytes == [0x08, 0xAC, 0x02, 0x10] + Array(repeating: 0xFF, count: 9) + [0x01]
            + [0x42, 0x02, 0x57, 0x31] + [0x15, 0x00, 0x00, 0x80, 0x3F])
    }

    @Test func classNamesAreAJSONArray() {
        #expect(ONNXExport.jsonArray(["setosa", "a \"b\"\\c", "\n"]) == #"["setosa","a \"b\"\\c","\u000a"]"#)
        #expect(ONNXExport.jsonArray([]) == "[]")
    }

    @Test func paramsArchiveReadsBackAsStateDictNames() throws {
        let network = Network(inputCount: 2, layers: [
            DenseLayer(weights: Matrix([[1, 2], [3, 4], [5, 6]]), biases: [0.5, -0.5, 0.25], activation: .tanh),
            DenseLayer(weights: Matrix([[7, 8, 9]]), biases: [1e-300], activation: .sigmoid),
        ])
        let bytes = PyTorchParameters.archive(network)
        let archive = try ZipArchive(bytes)
        #expect(archive.entries.map(\.name) == ["0.weight.npy", "0.bias.npy", "2.weight.npy", "2.bias.npy"])
        #expect(try NumpyArchive.decode(bytes, member: "2.weight").get() == Matrix([[7, 8, 9]]))
        #expect(try NumpyArchive.decode(bytes, member: "0.weight").get() == Matrix([[1, 2], [3, 4], [5, 6]]))
        // A 1-D array reads back as one column: n samples of one feature.
        #expect(try NumpyArchive.decode(bytes, member: "0.bias").get() == Matrix([[0.5], [-0.5], [0.25]]))
    }

    static let refusals: [(String, String)] = [
        ("data x=[[1, 2], [3, -1]] y=[[0], [1]] features=[x1 * x2, x1^2]\ninput 2\nlayer 1 sigmoid\nexport model \"FOLDER/m.onnx\"",
         "cannot export as ONNX: the network's inputs are engineered features ('x1 * x2', …), which only nn computes; export a network trained on the data's own columns"),
        ("input 2\nlayer 1 sigmoid\nexport model \"FOLDER/m.txt\"", "cannot export as a model: 'export model' writes .onnx or .py files"),
        ("input 2\nexport model \"FOLDER/m.onnx\"", "'export model' needs at least one layer: add one with 'layer N ACTIVATION'"),
        ("input 2\nlayer 1 sigmoid\nexport W1 \"FOLDER/w.npy\" dtype=float32", "option 'dtype' applies to export model only"),
    ]

    @Test(arguments: refusals)
    func refusedWithAMessage(source: String, message: String) throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let session = Session(output: { _ in })
        #expect(FileCommandTests.failure(source.replacingOccurrences(of: "FOLDER", with: folder), in: session) == message)
    }
}
