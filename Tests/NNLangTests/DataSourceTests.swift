import NNEngine
import Testing
@testable import NNLang

/// Everything a failed command must leave alone: the model, the data and what was trained.
struct SessionState: Equatable {
    var network: Network?
    var loss: Loss
    var dataSet: DataSet?
    var split: DataSplit?
    var normalization: Normalization?
    var classNames: [String]
    var history: [EpochRecord]

    init(_ session: Session) {
        network = session.workspace.network
        loss = session.workspace.loss
        dataSet = session.workspace.dataSet
        split = session.workspace.split
        normalization = session.workspace.normalization
        classNames = session.workspace.classNamesForModel
        history = session.workspace.trainingHistory
    }
}

/// Where `data` gets its samples: generators, bundled sets, CSV, FANN and .npy files.
@Suite("Data sources")
struct DataSourceTests {
    /// A session after `setup`, which must succeed.
    static func session(after setup: String) throws -> (Session, Transcript) {
        try SessionTests.session(after: setup)
    }

    /// A session with data, a split, a normalization and a trained network: plenty for a
    /// failed command to disturb.
    static let busySession = "set seed 4\ndata circles n=20 seed=2\nsplit test=0.25 seed=1\nnormalize\ninput 2\nlayer 3 tanh\nlayer 1 sigmoid\ntrain epochs=2 quiet=true"

    // MARK: - Generated and bundled data

    @Test(arguments: [
        ("xor", [0.0, 1, 1, 0]),
        ("and", [0.0, 0, 0, 1]),
        ("or", [0.0, 1, 1, 1]),
    ])
    func truthTables(_ name: String, _ targets: [Double]) throws {
        let (session, _) = try Self.session(after: "data \(name)")
        let data = try #require(session.workspace.dataSet)
        #expect(data.inputs == Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]))
        #expect(data.targets == Matrix(rows: 4, columns: 1, storage: targets))
        #expect(data.classNames == ["0", "1"])
        #expect(data.name == name)
    }

    @Test func generatedDataFollowsItsOptions() throws {
        let (session, transcript) = try Self.session(after: "data circles n=10 noise=0.3 seed=3\nshow data")
        let data = try #require(session.workspace.dataSet)
        #expect(data == DataGenerator.circles(samples: 10, noise: 0.3, seed: 3))
        #expect(transcript.lines[0] == "data: circles (n=10, noise=0.3), 10 samples, 2 inputs, 1 target")
        // The same seed gives the same data, another seed or noise other data.
        let (again, _) = try Self.session(after: "set seed 99\ndata circles n=10 noise=0.3 seed=3")
        #expect(again.workspace.dataSet == data)
        _ = again.run(source: "data circles n=10 noise=0.3 seed=4")
        #expect(again.workspace.dataSet != data)
        _ = again.run(source: "data circles n=10 noise=0.1 seed=3")
        #expect(again.workspace.dataSet != data)
        // Without seed=, the session's generator decides: reproducible with set seed.
        let (first, _) = try Self.session(after: "set seed 7\ndata moons n=10")
        let (second, _) = try Self.session(after: "set seed 7\ndata moons n=10")
        #expect(first.workspace.dataSet == second.workspace.dataSet)
        _ = second.run(source: "data moons n=10")
        #expect(first.workspace.dataSet != second.workspace.dataSet)
    }

    @Test func samplesIsAnotherNameForN() throws {
        let (session, _) = try Self.session(after: "data spirals samples=12 seed=1")
        #expect(session.workspace.dataSet == DataGenerator.spirals(samples: 12, noise: DataGenerator.defaultNoise, seed: 1))
    }

    @Test func blobsWithFourClassesAreOneHot() throws {
        let (session, transcript) = try Self.session(after: "data blobs classes=4 n=40 seed=1\nshow data")
        let data = try #require(session.workspace.dataSet)
        #expect(data.sampleCount == 40)
        #expect(data.targets.columns == 4)
        #expect(data.classNames == ["0", "1", "2", "3"])
        #expect((0..<40).allSatisfy { data.targets.row($0).sorted() == [0, 0, 0, 1] })
        #expect(transcript.lines[1] == "classes: 0 (10), 1 (10), 2 (10), 3 (10)")
    }

    @Test func randomDataHasTheAskedShape() throws {
        let (session, _) = try Self.session(after: "data random n=30 inputs=5 classes=3 seed=2")
        let data = try #require(session.workspace.dataSet)
        #expect(data.inputs.rows == 30 && data.inputs.columns == 5)
        #expect(data.inputs.storage.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(data.targets.columns == 3)
        #expect((0..<30).allSatisfy { data.targets.row($0).sorted() == [0, 0, 1] })
        #expect(data == DataGenerator.random(samples: 30, inputs: 5, classes: 3, seed: 2))
    }

    @Test func bundledSets() throws {
        let (session, _) = try Self.session(after: "data iris")
        let iris = try #require(session.workspace.dataSet)
        #expect(iris.sampleCount == 150 && iris.inputs.columns == 4)
        #expect(iris.classNames == ["setosa", "versicolor", "virginica"])
        #expect(ShowCommand.classCounts(iris) == [50, 50, 50])
        #expect(iris.featureNames == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        #expect(session.run(source: "data digits") == .completed)
        let digits = try #require(session.workspace.dataSet)
        #expect(digits.sampleCount == 1797 && digits.inputs.columns == 64)
        #expect(digits.classNames == (0...9).map(String.init))
        #expect(digits.inputs.storage.allSatisfy { $0 >= 0 && $0 <= 16 && $0 == $0.rounded() })
    }

    static let dataSetMistakes: [(source: String, message: String, span: SourceSpan)] = [
        ("data xor n=5", "'xor' takes no options", span(1, 10, 11)),
        ("data iris seed=1", "'iris' takes no options", span(1, 11, 15)),
        ("data circles classes=3", "'circles' takes only n=, noise=, seed=", span(1, 14, 21)),
        ("data linear classes=2", "'linear' takes only n=, noise=, seed=, inputs=", span(1, 13, 20)),
        ("data random noise=0.1 inputs=2 classes=2", "'random' takes only n=, seed=, classes=, inputs=", span(1, 13, 18)),
        ("data blobs target=y", "'blobs' takes only n=, noise=, seed=, classes=, inputs=", span(1, 12, 18)),
        ("data random n=5", "'data random' needs inputs=…", span(1, 6, 12)),
        ("data random n=5 inputs=2", "'data random' needs classes=…", span(1, 6, 12)),
        ("data circles n=0", "expected a whole number ≥ 1 for the number of samples, got 0", span(1, 16, 17)),
        ("data circles noise=-1", "noise must be 0 or more, got -1", span(1, 20, 22)),
        ("data blobs classes=1", "expected a whole number ≥ 2 for classes, got 1", span(1, 20, 21)),
        ("data random n=100000000 inputs=2 classes=2", "400000000 numbers are too many (the limit is 100000000)", span(1, 6, 12)),
        ("data x=[[1]] y=[[1]] n=3", "option 'n' applies to data sets and files only", span(1, 22, 23)),
    ]

    @Test(arguments: dataSetMistakes)
    func optionsADataSetDoesNotTake(_ testCase: (source: String, message: String, span: SourceSpan)) throws {
        let (session, _) = try Self.session(after: Self.busySession)
        let before = SessionState(session)
        guard case .failed(let diagnostic) = session.run(source: testCase.source) else {
            Issue.record("\(testCase.source) did not fail")
            return
        }
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.span == testCase.span)
        #expect(SessionState(session) == before)
    }

    // MARK: - Files

    @Test func csvTextTargetBecomesClassesAndNumericTargetRegression() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        try FileAccess.writeFile(folder + "/pets.csv", Array("a,b,kind\n1,2,dog\n3,4,cat\n5,6,dog\n".utf8)).get()
        try FileAccess.writeFile(folder + "/sizes.csv", Array("x1,y,x2\n1,0.5,2\n3,1.5,4\n".utf8)).get()

        let (session, transcript) = try Self.session(after: "data \"\(folder)/pets.csv\"\nshow data")
        let pets = try #require(session.workspace.dataSet)
        #expect(pets.name == "pets.csv")
        #expect(pets.featureNames == ["a", "b"])
        #expect(pets.inputs == Matrix([[1, 2], [3, 4], [5, 6]]))
        // Classes sorted by name, one-hot.
        #expect(pets.classNames == ["cat", "dog"])
        #expect(pets.targets == Matrix([[0, 1], [1, 0], [0, 1]]))
        #expect(transcript.lines[1] == "classes: cat (1), dog (2)")

        // The last column is the target unless target= names another.
        #expect(session.run(source: "data \"\(folder)/sizes.csv\"") == .completed)
        #expect(session.workspace.dataSet?.featureNames == ["x1", "y"])
        #expect(session.workspace.dataSet?.targets == Matrix([[2], [4]]))
        #expect(session.workspace.dataSet?.classNames == [])
        #expect(session.run(source: "data \"\(folder)/sizes.csv\" target=y") == .completed)
        let sizes = try #require(session.workspace.dataSet)
        #expect(sizes.featureNames == ["x1", "x2"])
        #expect(sizes.inputs == Matrix([[1, 2], [3, 4]]))
        #expect(sizes.targets == Matrix([[0.5], [1.5]]))
        #expect(!sizes.isClassification)
        // target= may be quoted; every other column must then hold numbers.
        #expect(session.run(source: "data \"\(folder)/sizes.csv\" target=\"x1\"") == .completed)
        #expect(session.workspace.dataSet?.featureNames == ["y", "x2"])
        #expect(session.run(source: "data \"\(folder)/pets.csv\" target=a") == .failed(Diagnostic(
            .dataFile(path: folder + "/pets.csv", error: .notANumber(line: 2, column: "kind", text: "dog")), at: span(1, 6, 6 + folder.count + 11))))
    }

    @Test func fannDataIsReadAsValuesToFit() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        try FileAccess.writeFile(folder + "/xor.data", Array("4 2 1\n0 0\n0\n0 1\n1\n1 0\n1\n1 1\n0\n".utf8)).get()
        let (session, _) = try Self.session(after: "data \"\(folder)/xor.data\"")
        let data = try #require(session.workspace.dataSet)
        #expect(data.name == "xor.data")
        #expect(data.inputs == Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]))
        #expect(data.targets == Matrix([[0], [1], [1], [0]]))
        // FANN says nothing of classes, and nn does not guess: 0/1 targets stay numbers.
        #expect(data.classNames == [])
    }

    @Test func npyFilesWrittenByExportReadBack() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, transcript) = try Self.session(after: """
            export [[0, 0.5], [0.25, 1], [1e-300, -3]] "\(folder)/x.npy"
            export [[0], [1], [1]] "\(folder)/y.npy"
            data x="\(folder)/x.npy" y="\(folder)/y.npy"
            """)
        #expect(transcript.lines == ["saved \(folder)/x.npy", "saved \(folder)/y.npy"])
        let data = try #require(session.workspace.dataSet)
        #expect(data.inputs == Matrix([[0, 0.5], [0.25, 1], [1e-300, -3]]))
        #expect(data.targets == Matrix([[0], [1], [1]]))
        #expect(data.classNames == ["0", "1"])
        #expect(data.name == "x and y from NumPy files")
        // A file and a typed matrix mix.
        #expect(session.run(source: "data x=\"\(folder)/x.npy\" y=[[1.5], [2], [3]]") == .completed)
        #expect(session.workspace.dataSet?.classNames == [])
        #expect(session.workspace.dataSet?.name == "x and y")
    }

    /// Each file mistake: the message, with `FOLDER` for the temporary folder, and the text
    /// the diagnostic points at.
    static let fileMistakes: [(source: String, message: String, at: String)] = [
        ("data \"FOLDER/x.npy\"", "a .npy file holds one array: give the inputs and the targets as data x=\"x.npy\" y=\"y.npy\" (or x=\"d.npz:x\" y=\"d.npz:y\")", "\"FOLDER/x.npy\""),
        ("data \"FOLDER/missing.csv\"", "cannot open 'FOLDER/missing.csv': no such file or directory", "\"FOLDER/missing.csv\""),
        ("data \"FOLDER\"", "'FOLDER' is a folder, not a file", "\"FOLDER\""),
        ("data x=\"FOLDER/missing.npy\" y=\"FOLDER/y.npy\"", "cannot open 'FOLDER/missing.npy': no such file or directory", "\"FOLDER/missing.npy\""),
        ("data x=\"FOLDER/x.npy\" y=\"FOLDER/bad.csv\"", "in 'FOLDER/bad.csv': not a .npy file", "\"FOLDER/bad.csv\""),
        ("data x=\"FOLDER/x.npy\" y=\"FOLDER/y4.npy\"", "x has 3 rows but y has 4", "\"FOLDER/y4.npy\""),
        ("data \"FOLDER/bad.csv\"", "in 'FOLDER/bad.csv': line 3, column 'x2': 'abc' is not a number", "\"FOLDER/bad.csv\""),
        ("data \"FOLDER/ragged.csv\"", "in 'FOLDER/ragged.csv': line 2 has 2 fields but the header has 3", "\"FOLDER/ragged.csv\""),
        ("data \"FOLDER/bad.csv\" target=z", "in 'FOLDER/bad.csv': missing target column 'z' (columns: x1, x2, y)", "\"FOLDER/bad.csv\""),
        ("data \"FOLDER/empty.csv\"", "in 'FOLDER/empty.csv': empty file", "\"FOLDER/empty.csv\""),
        ("data \"FOLDER/bad.data\"", "in 'FOLDER/bad.data': line 3 has 2 numbers but the header says 1 outputs", "\"FOLDER/bad.data\""),
        ("data \"FOLDER/bad.csv\" n=3", "option 'n' applies to data sets, and target=, sep=, header= and classes= to CSV files only", "n=3"),
        ("data \"FOLDER/bad.data\" target=y", "option 'target' applies to data sets only", "target=y"),
    ]

    @Test(arguments: fileMistakes)
    func fileErrorsNameTheFileAndChangeNothing(_ testCase: (source: String, message: String, at: String)) throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let files = [
            "bad.csv": "x1,x2,y\n1,2,0\n3,abc,1\n",
            "ragged.csv": "x1,x2,y\n1,2\n",
            "empty.csv": "",
            "bad.data": "1 2 1\n0 0\n0 1\n",
        ]
        for (name, text) in files { try FileAccess.writeFile(folder + "/" + name, Array(text.utf8)).get() }
        try FileAccess.writeFile(folder + "/x.npy", NumpyFormat.encode(Matrix([[1, 2], [3, 4], [5, 6]]))).get()
        try FileAccess.writeFile(folder + "/y.npy", NumpyFormat.encode(Matrix([[1], [0], [1]]))).get()
        try FileAccess.writeFile(folder + "/y4.npy", NumpyFormat.encode(Matrix([[1], [0], [1], [0]]))).get()

        let (session, _) = try Self.session(after: Self.busySession)
        let before = SessionState(session)
        let source = testCase.source.replacing("FOLDER", with: folder)
        guard case .failed(let diagnostic) = session.run(source: source) else {
            Issue.record("\(source) did not fail")
            return
        }
        #expect(diagnostic.message == testCase.message.replacing("FOLDER", with: folder))
        let anchor = try #require(source.firstRange(of: testCase.at.replacing("FOLDER", with: folder)))
        #expect(diagnostic.span?.start == SourceLocation(line: 1, column: source.distance(from: source.startIndex, to: anchor.lowerBound) + 1))
        #expect(SessionState(session) == before)
        // The folder holds only what the test put there.
        #expect(DataTestSupport.listing(folder) == ["bad.csv", "bad.data", "empty.csv", "ragged.csv", "x.npy", "y.npy", "y4.npy"])
    }

    @Test func dataThatDoesNotFitTheNetworkChangesNothing() throws {
        let (session, _) = try Self.session(after: Self.busySession)
        let before = SessionState(session)
        #expect(session.run(source: "data iris") == .failed(Diagnostic(.inputWidthMismatch(what: "the data's x", columns: 4, inputs: 2), at: span(1, 6, 10))))
        #expect(session.run(source: "data blobs classes=3") == .failed(Diagnostic(.classCountMismatch(classes: 3, outputs: 1), at: span(1, 6, 11))))
        #expect(session.run(source: "data x=[[1, 2]] y=[[1, 0, 0]]") == .failed(Diagnostic(.targetWidthMismatch(columns: 3, outputs: 1), at: span(1, 19, 30))))
        #expect(SessionState(session) == before)
    }
}
