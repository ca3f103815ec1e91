import Testing
import NNEngine
@testable import NNLang

/// The file side of the data commands: .npz members, CSV dialects, classes=true, and CSV
/// written by export and predict, read back.
@Suite("File commands")
struct FileCommandTests {
    static func session(after setup: String) throws -> (Session, Transcript) {
        try SessionTests.session(after: setup)
    }

    /// The message of the first diagnostic `source` fails with, or nil if it runs.
    static func failure(_ source: String, in session: Session) -> String? {
        guard case .failed(let diagnostic) = session.run(source: source) else { return nil }
        return diagnostic.message
    }

    @Test(arguments: ["d.npz", "d_compressed.npz"])
    func npzMembersWithClassLabels(file: String) throws {
        let path = DataTestSupport.fixture(file)
        let (session, _) = try Self.session(after: "data x=\"\(path):x\" y=\"\(path):y.npy\" classes=true")
        let data = try #require(session.workspace.dataSet)
        #expect(data.inputs == NumpyArchiveTests.x)
        #expect(data.classNames == ["0", "1", "2"])
        #expect(data.targets == Matrix([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1], [1, 0, 0]]))
        #expect(data.name == "x and y from NumPy files")
    }

    @Test func classLabelsFollowTheNetwork() throws {
        // Two classes: one 0/1 column for a single output, one-hot for two.
        let (single, _) = try Self.session(after: "input 1\nlayer 1 sigmoid\ndata x=[[1], [2]] y=[[0], [1]] classes=true")
        #expect(single.workspace.trainingSet?.targets == Matrix([[0], [1]]))
        let (several, _) = try Self.session(after: "input 1\nlayer 2 softmax\ndata x=[[1], [2]] y=[[0], [1]] classes=true")
        #expect(several.workspace.trainingSet?.targets == Matrix([[1, 0], [0, 1]]))
        #expect(several.workspace.dataSet?.classNames == ["0", "1"])
    }

    static let mistakes: [(String, String)] = [
        ("data x=\"FIXTURES/d.npz:x\" y=\"FIXTURES/d.npz:labels\"", "in 'FIXTURES/d.npz': no array 'labels' in the archive (arrays: x, y, w)"),
        ("data x=\"FIXTURES/d.npz\" y=\"FIXTURES/d.npz:y\"", "in 'FIXTURES/d.npz': name the array to read, as \"FILE.npz:NAME\" (arrays: x, y, w)"),
        ("data x=\"FIXTURES/d_truncated.npz:x\" y=[[1]]", "in 'FIXTURES/d_truncated.npz': damaged .npz archive: no end of central directory record"),
        ("data x=\"FIXTURES/d_bad_crc.npz:x\" y=[[1]]",
         "in 'FIXTURES/d_bad_crc.npz': cannot read 'x.npy': its CRC-32 does not match (the file is damaged)"),
        ("data x=\"FIXTURES/complex.npy\" y=[[1]]",
         "in 'FIXTURES/complex.npy': unsupported .npy dtype '<c16' (numbers and booleans only: float, int, uint, bool)"),
        ("data \"FIXTURES/d.npz\"",
         "a .npy file holds one array: give the inputs and the targets as data x=\"x.npy\" y=\"y.npy\" (or x=\"d.npz:x\" y=\"d.npz:y\")"),
        ("data x=[[1], [2]] y=[[0, 1], [1, 0]] classes=true",
         "expected one class label per sample for classes=true (a vector or one column), got 2×2 targets"),
        ("data x=[[1], [2]] y=[[0], [0.5]] classes=true", "expected whole numbers as class labels for classes=true, got 0.5"),
        ("data blobs classes=true", "expected a number of classes for blobs, got 'true'"),
        ("data \"FIXTURES/make_npy_fixtures.py\" sep=\"ab\"", "expected one character for sep, such as \";\", \"|\" or tab, got \"ab\""),
        ("data \"FIXTURES/make_npy_fixtures.py\" sep=\"1\"", "expected one character for sep, such as \";\", \"|\" or tab, got \"1\""),
    ]

    @Test(arguments: mistakes)
    func mistakesAreNamed(source: String, message: String) throws {
        let folder = DataTestSupport.fixture("")
        let fixtures = String(folder.dropLast())
        let (session, _) = try Self.session(after: "")
        #expect(Self.failure(source.replacing("FIXTURES", with: fixtures), in: session) == message.replacing("FIXTURES", with: fixtures))
    }

    @Test func csvDialectsThroughTheDataCommand() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        try FileAccess.writeFile(folder + "/semi.csv", Array("a;b;kind\n1.5;2;x\n3;4;y\n".utf8)).get()
        try FileAccess.writeFile(folder + "/tabs.tsv", Array("1\t2\t0\n3\t4\t1\n".utf8)).get()
        try FileAccess.writeFile(folder + "/first.csv", Array("1,2,3\n0,5,6\n".utf8)).get()
        try FileAccess.writeFile(folder + "/gaps.csv", Array("a,b,y\n1,2,0\n3,NA,1\n".utf8)).get()

        let (session, _) = try Self.session(after: "data \"\(folder)/semi.csv\" sep=\";\"")
        #expect(session.workspace.dataSet?.inputs == Matrix([[1.5, 2], [3, 4]]))
        #expect(session.workspace.dataSet?.classNames == ["x", "y"])
        for sep in ["tab", "\"\\t\""] {
            #expect(session.run(source: "data \"\(folder)/tabs.tsv\" sep=\(sep) header=false") == .completed)
            #expect(session.workspace.dataSet?.featureNames == ["x1", "x2"])
            #expect(session.workspace.dataSet?.targets == Matrix(column: [0, 1]))
        }
        #expect(session.run(source: "data \"\(folder)/first.csv\" header=false target=1 classes=true") == .completed)
        #expect(session.workspace.dataSet?.inputs == Matrix([[2, 3], [5, 6]]))
        #expect(session.workspace.dataSet?.classNames == ["0", "1"])
        #expect(Self.failure("data \"\(folder)/gaps.csv\"", in: session)
                == "in '\(folder)/gaps.csv': line 3, column 'b': missing value 'NA' (nn does not fill in missing values)")
        #expect(Self.failure("data \"\(folder)/first.csv\" header=false target=4", in: session)
                == "in '\(folder)/first.csv': target column 4 is past the last column (the file has 3 columns)")
    }

    @Test func exportWritesCSVThatReadsBack() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, transcript) = try Self.session(after: """
            export [[0, 0.5, 1], [0.1, -3, 1e-300]] "\(folder)/x.csv"
            data "\(folder)/x.csv"
            """)
        #expect(transcript.lines == ["saved \(folder)/x.csv"])
        let text = try FileAccess.readFile(folder + "/x.csv").get()
        #expect(String(decoding: text, as: UTF8.self) == "x1,x2,x3\n0,0.5,1\n0.1,-3,1e-300\n")
        #expect(session.workspace.dataSet?.inputs == Matrix([[0, 0.5], [0.1, -3]]))
        #expect(session.workspace.dataSet?.targets == Matrix(column: [1, 1e-300]))
    }

    @Test func exportHistoryWritesKerasColumns() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, transcript) = try Self.session(after: """
            data xor
            input 2
            layer 2 tanh
            layer 1 sigmoid
            train epochs=3 quiet=true validation=0.25 lr=0.5
            export history "\(folder)/h.csv"
            """)
        #expect(transcript.lines.last == "saved \(folder)/h.csv: 3 epochs")
        let read = try CSVReader.readMatrix(bytes: try FileAccess.readFile(folder + "/h.csv").get()).get()
        #expect(read.columns == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr"])
        let history = session.workspace.trainingHistory
        #expect(read.matrix.rows == 3)
        for (row, record) in history.enumerated() {
            let expected = [Double(record.epoch), record.loss, record.accuracy ?? .nan, record.validationLoss ?? .nan,
                            record.validationAccuracy ?? .nan, record.learningRate]
            #expect(read.matrix.row(row).map(\.bitPattern) == expected.map(\.bitPattern))
        }
        // Regression without validation: only the columns the training had.
        #expect(session.run(source: "clear\ndata sine n=20 seed=1\ninput 1\nlayer 1 linear\nloss mse\ntrain epochs=2 quiet=true\nexport history \"\(folder)/r.csv\"") == .completed)
        let regression = String(decoding: try FileAccess.readFile(folder + "/r.csv").get(), as: UTF8.self)
        #expect(regression.hasPrefix("epoch,loss,lr\n1,"))
        let (fresh, _) = try Self.session(after: "")
        #expect(Self.failure("export history \"\(folder)/none.csv\"", in: fresh) == "no training history yet: 'train' records one")
    }

    @Test func predictReadsAFileAndWritesClassNames() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, transcript) = try Self.session(after: """
            data iris
            normalize standard
            input 4
            layer 3 softmax
            loss cross_entropy
            train epochs=20 quiet=true lr=0.1
            """)
        // The training rows as a file with the target column: the feature columns are picked by name.
        let iris = try #require(BundledData.dataSet(named: "iris"))
        let rows = (0..<3).map { row in iris.inputs.row(row * 50).map(CSVWriter.Cell.number) + [.text(iris.classNames[row])] }
        let file = CSVWriter.encode(header: iris.featureNames + ["species"], rows: rows)
        try FileAccess.writeFile(folder + "/new.csv", Array(file.utf8)).get()
        let start = transcript.lines.count
        #expect(session.run(source: "predict \"\(folder)/new.csv\"") == .completed)
        let printed = Array(transcript.lines[start...])
        #expect(printed.count == 4)
        #expect(printed[0].hasSuffix("class"))

        #expect(session.run(source: "predict \"\(folder)/new.csv\" to \"\(folder)/p.csv\"") == .completed)
        #expect(transcript.lines.last == "saved \(folder)/p.csv: 3 predictions")
        let written = String(decoding: try FileAccess.readFile(folder + "/p.csv").get(), as: UTF8.self).split(separator: "\n")
        #expect(written.first == "p(setosa),p(versicolor),p(virginica),class")
        let expected = try #require(session.prediction(for: .matrix(Matrix(rows: 3, columns: 4, storage: (0..<3).flatMap { iris.inputs.row($0 * 50) })),
                                                       span: SourceSpan(start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: 1))).asSampleMatrix)
        let names = Metrics.predictedClasses(outputs: expected).map { iris.classNames[$0] }
        for (index, line) in written.dropFirst().enumerated() {
            let cells = line.split(separator: ",").map(String.init)
            #expect(cells.dropLast().map { Double($0)! }.map(\.bitPattern) == expected.row(index).map(\.bitPattern))
            #expect(cells.last == names[index])
            #expect(printed[index + 1].hasSuffix(names[index]))
        }
        #expect(Self.failure("predict \"\(folder)/new.csv\" to \"\(folder)/p.npy\"", in: session) == "expected a .csv file name after 'to', got '\(folder)/p.npy'")
    }
}
