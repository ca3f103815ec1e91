import NNEngine
import Testing
@testable import NNLang

/// `data`, `split`, `normalize` and `show data`.
@Suite("Data commands")
struct DataCommandTests {
    static let tenSamples = "data x=[[1, 10], [2, 20], [3, 30], [4, 40], [5, 50], [6, 60], [7, 70], [8, 80], [9, 90], [10, 100]] y=[[0], [1], [0], [1], [0], [1], [0], [1], [0], [1]]"

    @Test func splitHoldsOutAShareAndTheTrainingPartIsWhatTrainingSees() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: Self.tenSamples + "\nsplit test=0.3 seed=5") == .completed)
        #expect(transcript.lines.last == "split: 7 training, 3 test samples")
        let split = try #require(session.workspace.split)
        #expect(Set(split.training).isDisjoint(with: split.test))
        #expect((split.training + split.test).sorted() == Array(0..<10))
        #expect(session.workspace.trainingSet?.sampleCount == 7)
        #expect(session.workspace.testSet?.sampleCount == 3)
        // The same seed gives the same split; another seed another one.
        let (again, _) = makeSession()
        _ = again.run(source: Self.tenSamples + "\nsplit test=0.3 seed=5")
        #expect(again.workspace.split == split)
        _ = again.run(source: "split test=0.3 seed=6")
        #expect(again.workspace.split != split)
    }

    /// Class data splits stratified by default: iris at 0.2 holds out 10 of each species;
    /// stratify=false draws the test part regardless of class, as before.
    @Test(arguments: [("split test=0.2 seed=1", [10, 10, 10]), ("split test=0.2 seed=1 stratify=false", [9, 11, 10])])
    func splitKeepsEachClassShareUnlessToldNot(_ example: (statement: String, testCounts: [Int])) throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "data iris\n" + example.statement) == .completed)
        #expect(transcript.lines.last == "split: 120 training, 30 test samples")
        let test = try #require(session.workspace.testSet)
        #expect(ShowCommand.classCounts(test) == example.testCounts)
        let split = try #require(session.workspace.split)
        #expect((split.training + split.test).sorted() == Array(0..<150))
    }

    @Test func normalizationUsesTheTrainingPartOnlyAndAppliesToPredict() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: Self.tenSamples + "\nsplit test=0.3 seed=5\nnormalize standard") == .completed)
        let normalization = try #require(session.workspace.normalization)
        let training = try #require(session.workspace.split?.training).map { Double($0 + 1) }
        let mean = training.reduce(0, +) / Double(training.count)
        #expect(abs(normalization.offsets[0] - mean) < 1e-12)
        #expect(abs(normalization.offsets[1] - 10 * mean) < 1e-12)
        // Standardized training inputs have mean 0 and standard deviation 1.
        let inputs = try #require(session.workspace.trainingSet?.inputs)
        let column = (0..<inputs.rows).map { inputs[$0, 1] }
        #expect(abs(column.reduce(0, +)) < 1e-9)
        #expect(abs(column.reduce(0) { $0 + $1 * $1 } / Double(column.count) - 1) < 1e-9)
        // predict scales its inputs the same way: a linear layer W = [1, 0], b = 0 shows them.
        #expect(session.run(source: "input 2\nlayer 1\nW1 = [[1, 0]]\nb1 = 0\nset precision 12\npredict [\(mean), 0]") == .completed)
        #expect(transcript.lines.last == "[0]")
        #expect(session.run(source: "normalize none\npredict [3, 0]") == .completed)
        #expect(transcript.lines.last == "[3]")
    }

    @Test func minmaxScalesTheTrainingPartIntoTheUnitInterval() throws {
        let (session, _) = makeSession()
        #expect(session.run(source: Self.tenSamples + "\nnormalize minmax") == .completed)
        let inputs = try #require(session.workspace.trainingSet?.inputs)
        #expect(inputs.storage.min() == 0)
        #expect(inputs.storage.max() == 1)
    }

    /// A constant input gets scale 1, as with standard, so it becomes 0 and never NaN; the
    /// largest finite range still scales into the unit interval.
    @Test(arguments: ["data x=[[5, 1], [5, 2], [5, 3]] y=[[0], [1], [0]]", "data x=[[-1e307, 1], [1e308, 2]] y=[[0], [1]]"])
    func minmaxKeepsEveryInputFinite(_ data: String) throws {
        let (session, _) = makeSession()
        #expect(session.run(source: data + "\nnormalize minmax") == .completed)
        let inputs = try #require(session.workspace.trainingSet?.inputs)
        #expect(inputs.storage.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    }

    @Test func showDataDescribesShapeClassesAndRows() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: Self.tenSamples + "\nshow data") == .completed)
        #expect(transcript.lines[0] == "data: x and y, 10 samples, 2 inputs, 1 target")
        #expect(transcript.lines[1] == "classes: 0 (5), 1 (5)")
        #expect(transcript.lines[2] == "x1  x2  class")
        #expect(transcript.lines[3] == " 1  10  0")
        #expect(transcript.lines.last == "… 5 more")
    }

    @Test(arguments: [
        ("[[0], [1]]", ["0", "1"]),
        ("[[1, 0, 0], [0, 0, 1]]", ["0", "1", "2"]),
        ("[[0.5], [1]]", []),
        ("[[1, 1], [0, 1]]", []),
    ])
    func handTypedTargetsAreClassesWhenTheyLookLikeClasses(_ targets: String, _ classes: [String]) throws {
        let (session, _) = makeSession()
        let rows = targets.filter { $0 == "[" }.count - 1
        let inputs = "[" + Array(repeating: "[0]", count: rows).joined(separator: ", ") + "]"
        #expect(session.run(source: "data x=\(inputs) y=\(targets)") == .completed)
        #expect(session.workspace.dataSet?.classNames == classes)
    }

    @Test(arguments: [
        ("split", "'split' needs data: give it with 'data x=MATRIX y=MATRIX'"),
        (tenSamples + "\nsplit test=1.5", "test must be between 0 and 1, got 1.5"),
        ("data x=[[1], [2]] y=[[1], [2]]\nsplit test=0.1", "test must be a share leaving at least one sample on each side of 2, got 0.1"),
        ("data sine n=20 seed=1\nsplit stratify=true", "option 'stratify' applies to class data only"),
        ("normalize", "'normalize' needs data: give it with 'data x=MATRIX y=MATRIX'"),
        ("data x=[[-1e308, 1], [1e308, 2]] y=[[0], [1]]\nnormalize minmax",
         "cannot normalize minmax: input 1 has values so large that its range (max − min) overflows to infinity; scale the data down first"),
        ("data x=[[1, 1e200], [2, 3e200]] y=[[0], [1]]\nnormalize standard",
         "cannot normalize standard: input 2 has values so large that its mean or spread overflows to infinity; scale the data down first"),
        ("show data", "'show' needs data: give it with 'data x=MATRIX y=MATRIX'"),
    ])
    func mistakes(_ source: String, _ message: String) {
        let (session, _) = makeSession()
        guard case .failed(let diagnostic) = session.run(source: source) else {
            Issue.record("\(source) did not fail")
            return
        }
        #expect(diagnostic.message == message)
    }
}
