import Foundation
import NNEngine
import Testing
@testable import NNLang

/// Class labels meet the output layer: every source of classes is encoded for the network's
/// width, every command sees the same targets, and a width no encoding fits says what would.
@Suite("Class targets")
struct ClassTargetsTests {
    static func session(after setup: String) throws -> (Session, Transcript) {
        try SessionTests.session(after: setup)
    }

    /// The message of the diagnostic `source` fails with after `setup`, or nil if it runs.
    static func failure(of source: String, after setup: String) throws -> Diagnostic? {
        let (session, _) = try Self.session(after: setup)
        guard case .failed(let diagnostic) = session.run(source: source) else { return nil }
        return diagnostic
    }

    // MARK: - Training on encoded targets

    @Test func moonsTrainWithTwoSoftmaxUnitsAndCrossEntropy() throws {
        let (session, transcript) = try Self.session(after: """
            set seed 1
            data moons seed=1
            input 2
            layer 8 tanh
            layer 2 softmax
            loss cross_entropy
            train epochs=200 optimizer=adam lr=0.05 quiet=true
            evaluate
            """)
        let line = try #require(transcript.lines.last)
        #expect(line.hasPrefix("training (no split): E = "))
        let training = try #require(session.workspace.trainingSet)
        #expect(training.targets.columns == 2)
        let network = try #require(session.workspace.network)
        #expect(Metrics.accuracy(outputs: network.predict(training.inputs), targets: training.targets) >= 0.95)
        // The stored data keeps its one 0/1 column.
        #expect(session.workspace.dataSet?.targets.columns == 1)
    }

    @Test func irisTrainsWithThreeSoftmaxUnits() throws {
        let (session, transcript) = try Self.session(after: """
            set seed 1
            data iris
            split test=0.2 seed=1
            normalize
            input 4
            layer 3 softmax
            loss cross_entropy
            train epochs=100 optimizer=adam lr=0.1 quiet=true
            evaluate
            """)
        let line = try #require(transcript.lines.last)
        let network = try #require(session.workspace.network)
        let test = try #require(session.workspace.testSet)
        let correct = Metrics.correctCount(outputs: network.predict(test.inputs), targets: test.targets)
        #expect(correct >= 27, "\(line)")
        #expect(line.hasSuffix("(\(correct) of 30)"))
    }

    /// After a split both parts are encoded, the test part for `evaluate` and `confusion` too.
    @Test func bothPartsOfASplitAreEncoded() throws {
        let (session, transcript) = try Self.session(after: """
            data moons n=20 seed=1
            split test=0.25 seed=1
            input 2
            layer 2 softmax
            confusion
            """)
        #expect(session.workspace.trainingSet?.targets.columns == 2)
        #expect(session.workspace.testSet?.targets.columns == 2)
        #expect(transcript.lines.contains("confusion on the test data:"))
        #expect(transcript.lines.contains { $0.hasPrefix("true \\ predicted  0  1") })
    }

    /// A CSV file with two text classes (stored one-hot) trains a single sigmoid unit on 0/1.
    @Test func twoTextClassesFitOneSigmoidUnit() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        try "a,b,kind\n0,0,cat\n0,1,dog\n1,0,dog\n1,1,cat\n".write(toFile: folder + "/pets.csv", atomically: true, encoding: .utf8)
        let (session, transcript) = try Self.session(after: """
            data "\(folder)/pets.csv"
            input 2
            layer 1 sigmoid
            loss binary_cross_entropy
            show data
            confusion
            """)
        #expect(session.workspace.dataSet?.targets.columns == 2)
        #expect(session.workspace.trainingSet?.targets == Matrix(column: [0, 1, 1, 0]))
        #expect(transcript.lines[1] == "classes: cat (2), dog (2)")
        #expect(transcript.lines[2] == "the network's output sees a 0/1 target: 1 is dog")
        #expect(transcript.lines.contains("true \\ predicted  cat  dog"))
    }

    /// `loss`, `grad`, `evaluate` and the engine agree on the encoded targets.
    @Test func lossGradAndEvaluateSeeTheSameTargets() throws {
        let (session, transcript) = try Self.session(after: """
            set seed 2
            data moons n=20 seed=3
            input 2
            layer 2 softmax
            loss cross_entropy
            loss
            evaluate
            """)
        let network = try #require(session.workspace.network)
        let data = try #require(session.workspace.dataSet)
        let oneHot = ClassEncoding.oneHot(Metrics.trueClasses(targets: data.targets), classCount: 2)
        let expected = network.loss(input: data.inputs, target: oneHot, loss: .crossEntropy)
        let formatted = session.settings.formatter.format(expected)
        #expect(transcript.lines.count == 2)
        #expect(transcript.lines.first == "E = \(formatted)")
        #expect(transcript.lines.last?.hasPrefix("training (no split): E = \(formatted), accuracy = ") == true)
        let gradient = network.gradients(input: data.inputs, target: oneHot, loss: .crossEntropy)
        #expect(session.run(source: "g = grad(W1)") == .completed)
        #expect(session.variables["g"] == .matrix(gradient.weights[0]))
    }

    // MARK: - Labels given by hand

    @Test(arguments: [
        ("data x=[[0], [1], [2], [3]] y=[0, 2, 1, 2] classes=true", Matrix([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]]), ["0", "1", "2"]),
        ("data x=[[0], [1], [2], [3]] y=[[5], [7], [5], [5]] classes=true", Matrix([[1, 0], [0, 1], [1, 0], [1, 0]]), ["5", "7"]),
        ("data x=[[0], [1]] y=[[-1], [1]] classes=1", Matrix([[1, 0], [0, 1]]), ["-1", "1"]),
    ])
    func labelsMarkedAsClassesAreOneHotByValue(_ source: String, _ targets: Matrix, _ names: [String]) throws {
        let (session, _) = try Self.session(after: source)
        let data = try #require(session.workspace.dataSet)
        #expect(data.targets == targets)
        #expect(data.classNames == names)
        #expect(data.hasClassLabels)
    }

    @Test func labelsFitTheNetworkTheyMeet() throws {
        let (session, _) = try Self.session(after: "input 1\nlayer 1 sigmoid\ndata x=[[0], [1], [2]] y=[1, 0, 1] classes=true")
        #expect(session.workspace.trainingSet?.targets == Matrix(column: [1, 0, 1]))
        // Without classes=true typed targets are used as given.
        let (typed, _) = try Self.session(after: "input 1\nlayer 1 sigmoid\ndata x=[[0], [1], [2]] y=[[1], [0], [1]]")
        #expect(typed.workspace.dataSet?.hasClassLabels == false)
        #expect(typed.workspace.dataSet?.isClassification == true)
    }

    @Test func aNumericCSVColumnMarkedAsClasses() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        try "a,label\n0.5,2\n0.1,0\n0.7,1\n0.2,2\n".write(toFile: folder + "/l.csv", atomically: true, encoding: .utf8)
        let (session, _) = try Self.session(after: "data \"\(folder)/l.csv\" classes=true")
        #expect(session.workspace.dataSet?.classNames == ["0", "1", "2"])
        #expect(session.workspace.dataSet?.targets == Matrix([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]))
        let (regression, _) = try Self.session(after: "data \"\(folder)/l.csv\"")
        #expect(regression.workspace.dataSet?.isClassification == false)
    }

    // MARK: - What does not fit

    @Test(arguments: [
        ("data iris\ninput 4\nlayer 2 softmax", "train",
         "the data has 3 classes but the network has 2 outputs: use layer 3 softmax (one-hot targets)"),
        ("data iris\ninput 4\nlayer 1 sigmoid", "loss",
         "the data has 3 classes but the network has 1 output: use layer 3 softmax (one-hot targets)"),
        ("data moons seed=1\ninput 2\nlayer 3 softmax", "evaluate",
         "the data has 2 classes but the network has 3 outputs: use layer 1 sigmoid (0/1 targets) or layer 2 softmax (one-hot targets)"),
        ("input 2\nlayer 4 softmax", "data blobs classes=3 seed=1",
         "the data has 3 classes but the network has 4 outputs: use layer 3 softmax (one-hot targets)"),
        ("input 1\nlayer 2 softmax", "data x=[[0], [1], [2]] y=[0, 1, 2] classes=true",
         "the data has 3 classes but the network has 2 outputs: use layer 3 softmax (one-hot targets)"),
        ("", "data x=[[0], [1]] y=[[0.5], [1]] classes=true",
         "expected whole numbers as class labels for classes=true, got 0.5"),
        ("", "data x=[[0], [1]] y=[[0, 1], [1, 0]] classes=true",
         "expected one class label per sample for classes=true (a vector or one column), got 2×2 targets"),
        ("", "data x=[[0], [1]] y=[0, 1] classes=3", "expected true or false for classes, got 3"),
        ("", "data blobs classes=true", "expected a number of classes for blobs, got 'true'"),
        ("set max_elements 1000", "data x=transpose(range(0, 100)) y=range(0, 100) classes=true", "10000 numbers are too many (the limit is 1000)"),
        ("", "data moons classes=true", "'moons' takes only n=, noise=, seed="),
    ])
    func aClassCountThatCannotFitSaysWhatWould(_ setup: String, _ source: String, _ message: String) throws {
        let diagnostic = try #require(try Self.failure(of: source, after: setup))
        #expect(diagnostic.message == message)
    }

    // MARK: - onehot

    @Test(arguments: [
        ("onehot([0, 2, 1], 3)", Value.matrix(Matrix([[1, 0, 0], [0, 0, 1], [0, 1, 0]]))),
        ("onehot(1, 2)", .vector([0, 1])),
        ("onehot([[1], [0]], 2)", .matrix(Matrix([[0, 1], [1, 0]]))),
        ("onehot([0], 1)", .matrix(Matrix([[1]]))),
    ])
    func onehotCountsLabelsFromZero(_ source: String, _ expected: Value) throws {
        let (session, _) = try Self.session(after: "v = " + source)
        #expect(session.variables["v"] == expected)
    }

    @Test(arguments: [
        ("onehot([1, 2, 3], 3)", "expected class labels from 0 to 2 for onehot(y, 3), got 3"),
        ("onehot([0, 0.5], 2)", "expected class labels from 0 to 1 for onehot(y, 2), got 0.5"),
        ("onehot(-1, 2)", "expected class labels from 0 to 1 for onehot(y, 2), got -1"),
        ("onehot([[0, 1]], 2)", "expected class labels for onehot (a number, a vector or one column), got a 1×2 matrix"),
        ("onehot(\"a\", 2)", "expected class labels for onehot (a number, a vector or one column), got a string"),
        ("onehot([0, 1], 0)", "expected a whole number ≥ 1 for onehot's K, got 0"),
        ("onehot([0, 1], 1.5)", "expected a whole number ≥ 1 for onehot's K, got 1.5"),
        ("onehot([0, 1])", "onehot(y, K) takes 2 arguments, got 1"),
    ])
    func onehotRefusesWhatIsNotALabel(_ source: String, _ message: String) throws {
        let diagnostic = try #require(try Self.failure(of: source, after: ""))
        #expect(diagnostic.message == message)
    }

    @Test func helpSaysHowLabelsCountAndHowClassesMeetTheOutputLayer() {
        let functions = Help.text(for: "functions")
        #expect(functions.contains("onehot(y, K)"))
        #expect(functions.contains("labels count from 0"))
        let data = Help.text(for: "data")
        #expect(data.contains("one sigmoid unit sees 0/1 targets, K softmax units see one-hot rows"))
        #expect(data.contains("classes=true"))
    }
}
