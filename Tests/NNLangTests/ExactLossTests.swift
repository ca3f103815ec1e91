import Foundation
import NNEngine
import Testing
@testable import NNLang

/// The exact cross-entropies wherever nn shows a loss: `loss`, `loss` in expressions,
/// `evaluate`, `explain loss`, `gradcheck` and `train`, on networks sure of a wrong answer.
@Suite("Exact cross-entropy in the language")
struct ExactLossTests {
    /// The issue's case: z = [20, −20] for target [0, 1], so E = −log p₂ = 40 + log(1 + e⁻⁴⁰),
    /// where clamping p at 1e-15 gave 34.54.
    static let softmaxSetup = """
        input 1
        layer 2 softmax
        W1 = [[20], [-20]]
        b1 = 0
        data x=[[1]] y=[[0, 1]]
        loss cross_entropy
        set precision 17
        """

    /// z = 40 for target 0: E = −log(1 − σ(40)) = softplus(40) = 40 + log(1 + e⁻⁴⁰).
    static let sigmoidSetup = """
        input 1
        layer 1 sigmoid
        W1 = [[40]]
        b1 = 0
        data x=[[1]] y=[[0]]
        loss binary_cross_entropy
        set precision 17
        """

    static let expected = 40 + log1p(exp(-40.0))

    @Test(arguments: [softmaxSetup, sigmoidSetup])
    func lossIsExact(_ setup: String) throws {
        let (session, _) = try SessionTests.session(after: setup)
        guard case .scalar(let value) = try SessionTests.value(of: "(loss)", in: session) else {
            Issue.record("loss is not a number")
            return
        }
        #expect(abs(value - Self.expected) <= 1e-12, "\(value)")
        #expect(try CheckTests.lines(after: setup, "loss") == ["E = 40"])
        #expect(try CheckTests.lines(after: setup, "evaluate").first?.hasPrefix("training (no split): E = 40,") == true)
    }

    @Test(arguments: [softmaxSetup, sigmoidSetup])
    func gradcheckPasses(_ setup: String) throws {
        let printed = try CheckTests.lines(after: setup, "gradcheck")
        #expect(printed.last == "PASS (tolerance 1e-5)", "\(printed)")
    }

    @Test func explainLossWritesTheNotesTermWithTheExactValue() throws {
        #expect(try CheckTests.lines(after: Self.softmaxSetup, "explain loss") == [
            "E[1] = -y[1] log a1[1] = -0 × log 1 = 0",
            "E[2] = -y[2] log a1[2] = -1 × log 4.2483542552915889e-18 = 40",
            "E    = 0 + 40 = 40",
        ])
        #expect(try CheckTests.lines(after: Self.sigmoidSetup, "explain loss") == [
            "E[1] = -[y[1] log a1[1] + (1 - y[1]) log(1 - a1[1])] = 40",
            "E    = 40",
        ])
    }

    /// Where the output rounds to 0 its log cannot be shown: the line says it comes from the net.
    @Test func explainLossOfAnOutputThatRoundsToZero() throws {
        let setup = Self.softmaxSetup.replacingOccurrences(of: "[[20], [-20]]", with: "[[400], [-400]]")
        #expect(try CheckTests.lines(after: setup, "explain loss") == [
            "E[1] = -y[1] log a1[1] = -0 × log 1 = 0",
            "E[2] = -y[2] log a1[2] = -y[2] (z1[2] - log Σ_j e^net_j) = -1 × ((-400) - 400) = 800   (from the net: a1[2] rounds to 0)",
            "E    = 0 + 800 = 800",
        ])
    }

    @Test(arguments: [softmaxSetup, sigmoidSetup])
    func trainingStaysFiniteAndLearns(_ setup: String) throws {
        let (session, _) = try SessionTests.session(after: setup + "\ntrain epochs=10 lr=0.5 quiet=true")
        let history = session.workspace.trainingHistory
        #expect(history.count == 10)
        #expect(history.allSatisfy { $0.loss.isFinite })
        #expect(abs((history.first?.loss ?? .nan) - Self.expected) <= 1e-12)
        guard case .scalar(let after) = try SessionTests.value(of: "(loss)", in: session) else { return }
        #expect(after.isFinite && after < 39)
    }

    /// Cross-entropy after an activation other than softmax keeps the guard, and help says so.
    @Test func otherActivationsKeepTheGuardAndHelpSaysSo() throws {
        let setup = Self.softmaxSetup.replacingOccurrences(of: "softmax", with: "sigmoid")
            .replacingOccurrences(of: "[[20], [-20]]", with: "[[60], [-60]]")
        #expect(try CheckTests.lines(after: setup, "loss") == ["E = 34.538776394910684"])
        let help = Help.text(for: "losses")
        #expect(help.contains("After softmax, cross_entropy is computed from the net input z"))
        #expect(help.contains("ε = 1e-15 to stay finite: there a certain wrong answer costs at most 34.54."))
    }
}

/// `explain grad` takes the output δ as backpropagation does: a − t, exact where the softmax
/// saturates (it used to go through the clamped ∂E/∂a and print -0.00425 for -1).
@Suite("Explain on saturated outputs")
struct ExplainSaturatedTests {
    @Test func theChainEndsAtBackpropagationsGradient() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "input 1\nlayer 2 softmax\nW1 = [[20], [-20]]\ndata x=[[1]] y=[[0, 1]]\nloss cross_entropy\nexplain grad W1[2,1]") == .completed)
        #expect(transcript.lines.last == "∂E/∂W1[2,1] = (-1) × 1 = -1")
        #expect(session.run(source: "print grad(W1[2,1])") == .completed)
        #expect(transcript.lines.last == "-1")
    }
}
