#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine
import Testing
@testable import NNLang

/// `save`, `load` and `export` as a user runs them: round trips through real files, damaged
/// files, failed writes.
@Suite("Model file commands")
struct ModelFileCommandTests {
    /// Iris, split and normalized, through a 4-5-3 network with dropout, trained a little.
    static let irisModel = """
        set seed 3
        data iris
        split test=0.2 seed=1
        normalize standard
        input 4
        layer 5 tanh dropout=0.2
        layer 3 softmax
        loss cross_entropy
        train epochs=5 lr=0.1 quiet=true
        """

    /// Raw flower measurements, not normalized: predict must scale them as training did.
    static let flowers = "[[5.1, 3.5, 1.4, 0.2], [6.4, 3.2, 4.5, 1.5], [6.3, 3.3, 6, 2.5], [1e-3, 100, -5, 0]]"

    static func session(after setup: String) throws -> (Session, Transcript) {
        try SessionTests.session(after: setup)
    }

    @Test func saveThenLoadPredictsBitForBit() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/iris.nnm"
        let (trained, trainedTranscript) = try Self.session(after: Self.irisModel + "\nsave \"\(path)\"\nset precision 17\npredict \(Self.flowers)")
        #expect(trainedTranscript.lines.count == 3)
        #expect(trainedTranscript.lines[1] == "saved \(path)")

        let (loaded, loadedTranscript) = try Self.session(after: "load \"\(path)\"\nset precision 17\npredict \(Self.flowers)")
        #expect(loadedTranscript.lines == [
            "loaded \(path): a 4-5-3 network, loss cross_entropy, normalize standard, classes setosa, versicolor, virginica",
            trainedTranscript.lines[2],
        ])
        #expect(loaded.workspace.network == trained.workspace.network)
        #expect(loaded.workspace.network?.layers.map(\.dropout) == [0.2, 0])
        #expect(loaded.workspace.loss == .crossEntropy)
        #expect(loaded.workspace.normalization == trained.workspace.normalization)
        #expect(loaded.workspace.normalization != nil)
        #expect(loaded.workspace.classNamesForModel == ["setosa", "versicolor", "virginica"])
        #expect(loaded.workspace.trainingHistory.isEmpty)

        // Saved again without any data, the class names still go with the model.
        let again = folder + "/again.nnm"
        #expect(loaded.run(source: "save \"\(again)\"") == .completed)
        #expect(try FileAccess.readFile(again).get() == FileAccess.readFile(path).get())
    }

    // MARK: - What save writes, load reads

    /// Class names, a normalization or features made for other data are left out of the file
    /// (and named), so that the file loads; before, save wrote them and load refused the file.
    @Test(arguments: [
        ("data iris\ninput 4\nlayer 2 softmax", "without the 3 class names (2 outputs): they do not fit the network"),
        ("data iris\nnormalize standard\ninput 3\nlayer 3 softmax", "without the normalization of 4 inputs: they do not fit the network"),
        ("data iris\nnormalize standard\ninput 2\nlayer 4 softmax",
         "without the 3 class names (4 outputs) or the normalization of 4 inputs: they do not fit the network"),
    ])
    func whatSaveWritesLoadReads(_ setup: String, _ note: String) throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/m.nnm"
        let (_, transcript) = try Self.session(after: setup + "\nsave \"\(path)\"")
        #expect(transcript.lines.last == "saved \(path) \(note)")
        let (loaded, _) = try Self.session(after: "")
        #expect(loaded.run(source: "load \"\(path)\"") == .completed)
    }

    /// The size limit is load's, to the byte: a file of exactly the limit reads back, and save
    /// refuses one byte more before writing anything.
    @Test func saveRefusesAFileLoadWouldNotRead() throws {
        #expect(ModelFile.sizeLimit == FileAccess.defaultSizeLimit)
        try SaveCommand.checkSize(ModelFile.sizeLimit, limit: ModelFile.sizeLimit, at: span(1, 1, 5))
        #expect(throws: Diagnostic(.modelFileTooLarge(bytes: ModelFile.sizeLimit + 1, limit: ModelFile.sizeLimit), at: span(1, 1, 5))) {
            try SaveCommand.checkSize(ModelFile.sizeLimit + 1, limit: ModelFile.sizeLimit, at: span(1, 1, 5))
        }
        #expect(Problem.modelFileTooLarge(bytes: 2_147_483_649, limit: 2_147_483_648).message
            == "the model file would be 2.1 GB (2147483649 bytes), more than load reads (2147483648 bytes): nothing was written")
        // The same rule at a size a test can write: a model file of exactly the limit loads.
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/m.nnm"
        let (session, _) = try Self.session(after: "input 3\nlayer 2\nsave \"\(path)\"")
        let bytes = try FileAccess.readFile(path).get()
        #expect(try FileAccess.readFile(path, sizeLimit: bytes.count).get() == bytes)
        #expect(throws: Diagnostic.self) { try SaveCommand.checkSize(bytes.count, limit: bytes.count - 1, at: span(1, 1, 5)) }
        _ = session
    }

    @Test func aLoadedModelWithoutNormalizationDropsTheSessions() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/plain.nnm"
        _ = try Self.session(after: "input 4\nlayer 2\nsave \"\(path)\"")
        let (session, transcript) = try Self.session(after: Self.irisModel + "\nload \"\(path)\"")
        #expect(transcript.lines == ["split: 120 training, 30 test samples", "loaded \(path): a 4-2 network, loss mse"])
        #expect(session.workspace.normalization == nil)
        #expect(session.workspace.network?.layers.count == 1)
        #expect(session.workspace.loss == .mse)
    }

    /// A file cut anywhere before its `end` line is an error, and the session keeps its model.
    @Test func truncatedAndCorruptFilesChangeNothing() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let good = folder + "/good.nnm"
        let bad = folder + "/bad.nnm"
        _ = try Self.session(after: "set seed 8\ninput 3\nlayer 2 relu dropout=0.1\nlayer 1 sigmoid\nsave \"\(good)\"")
        let bytes = try FileAccess.readFile(good).get()
        try #require(bytes.suffix(4) == Array("end\n".utf8))
        let endLine = bytes.count - 4

        let (session, _) = try Self.session(after: Self.irisModel)
        let before = SessionState(session)
        var cuts = Array(stride(from: 0, to: endLine, by: 7))
        cuts.append(endLine)
        for cut in cuts {
            try FileAccess.writeFile(bad, Array(bytes.prefix(cut))).get()
            guard case .failed(let diagnostic) = session.run(source: "load \"\(bad)\"") else {
                Issue.record("a file cut at byte \(cut) loaded")
                continue
            }
            #expect(diagnostic.message.hasPrefix("in '\(bad)': "), "\(diagnostic.message)")
            #expect(diagnostic.span == span(1, 6, 8 + bad.count))
        }
        #expect(SessionState(session) == before)

        let damaged: [(text: String, message: String)] = [
            ("", "empty file"),
            ("x1,x2,y\n1,2,3\n", "not an nn model file (expected 'nn-model 1' on the first line, found 'x1,x2,y')"),
            ("nn-model 4\ninputs 1\nend\n", "this file was written by a newer nn (format 4); this nn reads format 3"),
            ("nn-model 1\ninputs 1\nlayer 1 sigmod\nweights\n  1\nbiases 0\nend\n", "line 3: unknown activation 'sigmod'"),
            ("nn-model 1\ninputs 1\nlayer 1 linear\nweights\n  x\nbiases 0\nend\n", "line 5: expected the weights of unit 1 of layer 1, found 'x'"),
        ]
        for (text, message) in damaged {
            try FileAccess.writeFile(bad, Array(text.utf8)).get()
            #expect(session.run(source: "load \"\(bad)\"") == .failed(Diagnostic(.dataFile(path: bad, error: try #require(Self.decodeError(text))), at: span(1, 6, 8 + bad.count))))
            #expect(Self.decodeError(text)?.message == message)
        }
        #expect(SessionState(session) == before)
        // The whole file still loads.
        #expect(session.run(source: "load \"\(good)\"") == .completed)
    }

    static func decodeError(_ text: String) -> DataFileError? {
        if case .failure(let error) = ModelFile.decode(text) { return error }
        return nil
    }

    @Test(arguments: [
        ("", "save \"m.nnm\"", "'save' needs a network: start with 'input N'"),
        ("input 2", "save \"m.nnm\"", "'save' needs at least one layer: add one with 'layer N ACTIVATION'"),
        ("input 2\nlayer 1", "save m", "expected a file name in quotes, got the name 'm'"),
        ("input 2\nlayer 1", "save \"\"", "expected a file name in quotes, got an expression"),
        ("", "load \"/nonexistent-nn-folder/m.nnm\"", "cannot open '/nonexistent-nn-folder/m.nnm': no such file or directory"),
        ("", "load \"/\"", "'/' is a folder, not a file"),
        ("input 2\nlayer 1", "save \"/nonexistent-nn-folder/m.nnm\"", "cannot write '/nonexistent-nn-folder/m.nnm': no such file or directory"),
        ("", "export \"a\" \"a.npy\"", "expected a number, vector or matrix to export, got a string"),
        ("", "export [1, 2] a", "expected a file name in quotes, got the name 'a'"),
    ])
    func fileCommandMistakes(_ setup: String, _ source: String, _ message: String) throws {
        let (session, _) = try Self.session(after: setup)
        guard case .failed(let diagnostic) = session.run(source: source) else {
            Issue.record("\(source) did not fail")
            return
        }
        #expect(diagnostic.message == message)
    }

    /// A save that cannot finish leaves what was there: here the path is a folder with a file
    /// in it, which no rename can replace (root can write anywhere, so permissions cannot
    /// stand in for this).
    @Test func aFailedSaveLeavesWhatWasThereAndNoTemporaryFile() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let blocked = folder + "/model.nnm"
        #expect(mkdir(blocked, 0o755) == 0)
        try FileAccess.writeFile(blocked + "/keep", [7]).get()
        let (session, transcript) = try Self.session(after: "input 2\nlayer 1")
        guard case .failed(let diagnostic) = session.run(source: "save \"\(blocked)\"") else {
            Issue.record("the save did not fail")
            return
        }
        #expect(diagnostic.message.hasPrefix("cannot write '\(blocked)': "))
        #expect(transcript.lines.isEmpty)
        #expect(DataTestSupport.listing(folder) == ["model.nnm"])
        #expect(DataTestSupport.listing(blocked) == ["keep"])
        #expect(try FileAccess.readFile(blocked + "/keep").get() == [7])
        DataTestSupport.remove(blocked)
    }

    @Test(.enabled(if: geteuid() != 0, "root writes into read-only folders"))
    func aSaveIntoAReadOnlyFolderFailsAndKeepsTheOldFile() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer {
            chmod(folder, 0o755)
            DataTestSupport.remove(folder)
        }
        let path = folder + "/model.nnm"
        let (session, _) = try Self.session(after: "input 2\nlayer 1\nW1 = [[1, 2]]\nsave \"\(path)\"\nW1 = [[3, 4]]")
        let old = try FileAccess.readFile(path).get()
        #expect(chmod(folder, 0o555) == 0)
        #expect(session.run(source: "save \"\(path)\"") == .failed(Diagnostic(.file(.cannotWrite(path: path, reason: "permission denied")), at: span(1, 6, 8 + path.count))))
        #expect(try FileAccess.readFile(path).get() == old)
        #expect(DataTestSupport.listing(folder) == ["model.nnm"])
    }

    @Test func saveReplacesTheOldFileWhole() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/model.nnm"
        let (session, _) = try Self.session(after: "input 2\nlayer 3\nlayer 1\nsave \"\(path)\"\nclear\ninput 1\nlayer 1\nW1 = 0.5\nsave \"\(path)\"")
        #expect(try FileAccess.readFile(path).get() == Array(ModelFile.encode(ModelContents(network: try #require(session.workspace.network), loss: .mse)).utf8))
        #expect(DataTestSupport.listing(folder) == ["model.nnm"])
    }

    @Test func exportWritesNumpyArrays() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, transcript) = try Self.session(after: mazurProgram)
        let cases: [(expression: String, matrix: Matrix)] = [
            ("W1", Matrix([[0.15, 0.20], [0.25, 0.30]])),
            ("b2", Matrix([[0.60, 0.60]])),
            ("w5", Matrix([[0.40]])),
            ("[[1, 2, 3], [4, 5, 6]] / 3", Matrix([[1.0 / 3, 2.0 / 3, 1], [4.0 / 3, 5.0 / 3, 2]])),
            ("predict([[0.05, 0.10]])", try #require(session.workspace.network).predict(Matrix([[0.05, 0.10]]))),
        ]
        for (index, testCase) in cases.enumerated() {
            let path = folder + "/\(index).npy"
            #expect(session.run(source: "export \(testCase.expression) \"\(path)\"") == .completed)
            #expect(transcript.lines.last == "saved \(path)")
            let decoded = try NumpyFormat.decode(FileAccess.readFile(path).get()).get()
            #expect(decoded == testCase.matrix, "\(testCase.expression)")
        }
    }
}
