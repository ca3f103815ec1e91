import Foundation
import NNEngine
import Testing
@testable import NNLang

/// `set convention rows`: the notes that write Z = A W see every weight matrix as inputs ×
/// units; the network, its numbered weights and its model files stay the same.
@Suite("Weight convention")
struct ConventionTests {
    /// A 2-3-1 network whose W1 is typed units × inputs (the network's own layout).
    static let setup = """
        input 2
        layer 3 tanh
        layer 1 sigmoid
        loss sse
        W1 = [[1, 2], [3, 4], [5, 6]]
        W2 = [[0.1, 0.2, 0.3]]
        data x=[[0.5, -1], [1, 2]] y=[[0], [1]]
        """

    private func session(_ source: String) throws -> (Session, Transcript) {
        let (session, transcript) = makeSession()
        #expect(session.run(source: source) == .completed, "\(source)")
        return (session, transcript)
    }

    private func lines(_ session: Session, _ transcript: Transcript, _ source: String) -> [String] {
        let start = transcript.lines.count
        #expect(session.run(source: source) == .completed, "\(source)")
        return Array(transcript.lines[start...])
    }

    @Test func rowsShowsEveryWeightMatrixTransposed() throws {
        let (session, transcript) = try session(Self.setup + "\nset convention rows")
        #expect(lines(session, transcript, "print W1") == ["[[1, 3, 5], [2, 4, 6]]"])
        #expect(lines(session, transcript, "print W1[2,3], W1[1,2]") == ["6 3"])  // input i to unit j
        #expect(lines(session, transcript, "print w2, w3") == ["2 3"])            // numbered as before
        #expect(lines(session, transcript, "print W2") == ["[[0.1], [0.2], [0.3]]"])
        // The network itself did not change.
        #expect(session.workspace.network?.layers[0].weights == Matrix([[1, 2], [3, 4], [5, 6]]))
        #expect(lines(session, transcript, "set convention columns\nprint W1") == ["[[1, 2], [3, 4], [5, 6]]"])
    }

    @Test func assignmentTakesTheConventionsShape() throws {
        let (session, _) = try session(Self.setup + "\nset convention rows\nW1 = [[1, 3, 5], [2, 4, 6]]\nW1[1,3] = 7\nW2 = [[0.4], [0.5], [0.6]]")
        #expect(session.workspace.network?.layers[0].weights == Matrix([[1, 2], [3, 4], [7, 6]]))
        #expect(session.workspace.network?.layers[1].weights == Matrix([[0.4, 0.5, 0.6]]))
        // A one-unit layer's weights as a vector, in either convention.
        #expect(session.run(source: "W2 = [0.7, 0.8, 0.9]") == .completed)
        #expect(session.workspace.network?.layers[1].weights == Matrix([[0.7, 0.8, 0.9]]))
    }

    @Test(arguments: [
        ("", "W1 = [[1, 3, 5], [2, 4, 6]]",
         "cannot assign a 2×3 matrix to W1, which is a 3×2 matrix: did you mean transpose(…)? (set convention rows takes W as inputs × units)"),
        ("set convention rows\n", "W1 = [[1, 2], [3, 4], [5, 6]]",
         "cannot assign a 3×2 matrix to W1, which is a 2×3 matrix: did you mean transpose(…)? (set convention columns takes W as units × inputs)"),
        ("", "W1 = [[1, 2, 3, 4]]", "cannot assign a 1×4 matrix to W1, which is a 3×2 matrix"),
        ("set convention rows\n", "W1[3,1] = 0", "index [3,1] is out of range for W1, a 2×3 matrix"),
        ("", "set convention diagonal", "expected rows or columns for convention, got 'diagonal'"),
    ])
    func mistakesSayWhatWouldFit(_ testCase: (before: String, statement: String, message: String)) throws {
        let (session, _) = try session(Self.setup + "\n" + testCase.before)
        guard case .failed(let diagnostic) = session.run(source: testCase.statement) else {
            Issue.record("\(testCase.statement) should fail")
            return
        }
        #expect(diagnostic.problem.message == testCase.message)
    }

    @Test func gradientsTakeTheShapeOfTheirWeights() throws {
        let (columns, columnsTranscript) = try session(Self.setup)
        let (rows, rowsTranscript) = try session(Self.setup + "\nset convention rows")
        let columnsGradient = try #require(lines(columns, columnsTranscript, "grad W1").first)
        let rowsGradient = try #require(lines(rows, rowsTranscript, "grad W1").first)
        let network = try #require(columns.workspace.network)
        let data = try #require(columns.workspace.trainingSet)
        let gradient = network.gradients(input: data.inputs, target: data.targets, loss: .sse).weights[0]
        #expect(columnsGradient == "∂E/∂W1 = " + columns.formatter.format(gradient))
        #expect(rowsGradient == "∂E/∂W1 = " + rows.formatter.format(gradient.transposed))
        // One element, by either name, is the same number.
        #expect(lines(rows, rowsTranscript, "print grad(W1[2,3]) == grad(w6)") == ["1"])
        // grad(EXPR, W1) differentiates with respect to W1 as it is shown.
        #expect(lines(rows, rowsTranscript, "print grad(sum(W1 * [[1, 2, 3], [4, 5, 6]]), W1)") == ["[[1, 2, 3], [4, 5, 6]]"])
        #expect(lines(rows, rowsTranscript, "print grad(w6 * 2, W1)") == ["[[0, 0, 0], [0, 0, 2]]"])
    }

    @Test func trainingIsTheSameInEitherConvention() throws {
        let (columns, _) = try session(Self.setup + "\ntrain epochs=20 lr=0.3 quiet=true")
        let (rows, _) = try session("set convention rows\n" + Self.setup.replacingOccurrences(
            of: "W1 = [[1, 2], [3, 4], [5, 6]]", with: "W1 = [[1, 3, 5], [2, 4, 6]]").replacingOccurrences(
            of: "W2 = [[0.1, 0.2, 0.3]]", with: "W2 = [[0.1], [0.2], [0.3]]") + "\ntrain epochs=20 lr=0.3 quiet=true")
        #expect(columns.workspace.network == rows.workspace.network)
    }

    @Test func aModelSavedUnderOneConventionLoadsUnderTheOther() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (rows, _) = try session(Self.setup + "\nset convention rows\nsave \"\(folder)/m.nnm\"\nexport W1 \"\(folder)/w1.npy\"")
        let (columns, _) = try session("load \"\(folder)/m.nnm\"")
        #expect(columns.workspace.network == rows.workspace.network)
        // export writes W as the convention shows it.
        let exported = try NumpyFormat.decode(FileAccess.readFile(folder + "/w1.npy").get()).get()
        #expect(exported == Matrix([[1, 3, 5], [2, 4, 6]]))
    }

    @Test func summaryExplainAndDrawingsWriteTheNotesForms() throws {
        let (session, transcript) = try session(Self.setup + "\nset convention rows\nset notation layered")
        let summary = lines(session, transcript, "summary")
        #expect(summary[2].contains("2×3") && summary[3].contains("3×1"), "\(summary)")
        let explained = lines(session, transcript, "explain grad W1")
        #expect(explained.first == "∂E/∂W1 = Xᵀ δ1   (2×2 · 2×3 → 2×3)")
        #expect(explained.contains("  δ1 = δ2 W2ᵀ ⊙ φ'(Z1)   (2×1 · 1×3 → 2×3, ⊙ 2×3)"))
        let forward = lines(session, transcript, "explain forward")
        #expect(forward.contains("layer 1 (tanh), Z1 = X W1 + b1, A1 = tanh(Z1):"), "\(forward)")
        #expect(forward.contains("layer 2 (sigmoid), Z2 = A1 W2 + b2, A2 = sigmoid(Z2):"), "\(forward)")
        #expect(forward.contains { $0.hasPrefix("  z1[2] = x[1]·W1[1,2] + x[2]·W1[2,2] + b1[2] = 0.5 × 3 + (-1) × 4 + 0 = -2.5") }, "\(forward)")
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        #expect(session.run(source: "draw to \"\(folder)/n.svg\"") == .completed)
        let svg = String(decoding: try FileAccess.readFile(folder + "/n.svg").get(), as: UTF8.self)
        #expect(svg.contains("<title>W1[2,3] = 6</title>") && !svg.contains("W1[3,2]"))
    }

    @Test func helpExplainsBothConventions() {
        let text = Help.text(for: "parameters")
        #expect(text.contains("Z = A W + b, W is inputs × units"))
        #expect(text.contains("z = W x + b, W is units × inputs"))
        #expect(Help.text(for: "set").contains("convention columns|rows"))
    }
}
