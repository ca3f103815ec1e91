import NNEngine
import Testing
@testable import NNLang

/// `explain` on a data set too large to write out: every topic stays a summary of about a
/// screen (a few samples, neurons or parameters, wide matrices summarized), honours `limit=`,
/// and ends at the reference's numbers, `print grad(…)`'s and `print loss`'s.
@Suite("Explain on large data")
struct ExplainLargeDataTests {
    static let setup = """
        data random n=3000 inputs=100 classes=10 seed=1
        input 100
        layer 32 sigmoid
        layer 10 softmax
        loss cross_entropy
        set precision 12
        """

    /// About two screens of text, whatever the data's size: explain must summarise beyond it.
    static let screenful = 120 * 100

    static let topics = ["explain grad W1", "explain grad b1", "explain grad W2", "explain grad W1[3,5]", "explain grad b2[4]",
                         "explain forward", "explain forward sample=3000", "explain loss", "explain step lr=0.1"]

    @Test(arguments: topics)
    func everyTopicIsASummary(_ source: String) throws {
        let printed = try ExplainTests.lines(after: Self.setup, source)
        let characters = printed.reduce(0) { $0 + $1.count + 1 }
        #expect(characters <= Self.screenful, "\(source): \(printed.count) lines, \(characters) characters")
        #expect(printed.count <= 120, "\(source): \(printed.count) lines")
        // Ten times fewer samples write as many lines: the size does not follow the data's.
        let fewer = try ExplainTests.lines(after: Self.setup.replacingOccurrences(of: "n=3000", with: "n=300"),
                                           source.replacingOccurrences(of: "sample=3000", with: "sample=300"))
        #expect(fewer.count == printed.count, "\(source): \(fewer.count) lines for 300 samples, \(printed.count) for 3000")
        // limit= is honoured: fewer samples, neurons or parameters written, never more text.
        let limited = try ExplainTests.lines(after: Self.setup, source + " limit=2")
        #expect(limited.count < printed.count, "\(source) limit=2: \(limited.count) lines, without \(printed.count)")
        #expect(limited.contains { $0.hasSuffix("(limit=N shows more)") }, "\(source) limit=2")
    }

    @Test(arguments: ["W1[3,5]", "b2[4]", "W2[7,1]"])
    func oneParametersGradientEndsAtBackpropagations(_ name: String) throws {
        let printed = try ExplainTests.lines(after: Self.setup, "explain grad \(name)\nprint grad(\(name))")
        let gradient = try #require(printed.last)
        #expect(printed[printed.count - 2].hasSuffix(" / 3000 = " + gradient), "\(printed.suffix(2))")
        #expect(printed.contains("  … 2992 more samples (limit=N shows more)"))
    }

    @Test func theLossEndsAtTheLossOfEverySample() throws {
        let printed = try ExplainTests.lines(after: Self.setup, "explain loss\nprint loss")
        let loss = try #require(printed.last)
        #expect(printed[printed.count - 2].hasPrefix("E = mean over the 3000 samples = (sum "))
        #expect(printed[printed.count - 2].hasSuffix(" / 3000 = " + loss), "\(printed.suffix(2))")
    }

    /// The matrix form writes 8 samples' rows by default, each summarized as print summarizes a
    /// wide matrix, and its gradient is backpropagation's.
    @Test func theMatrixFormWritesAFewSamples() throws {
        let printed = try ExplainTests.lines(after: Self.setup, "explain grad W1\nprint grad(W1)")
        #expect(printed.filter { $0 == "    … 2992 more samples (limit=N shows more)" }.count == 2, "\(printed.joined(separator: "\n"))")
        #expect(printed.contains { $0.contains("…") && $0.hasPrefix("  δ1 = ") }, "the δ rows are summarized")
        let gradient = try ExplainTests.lines(after: Self.setup, "print grad(W1)")
        let start = try #require(printed.lastIndex { $0.hasPrefix("∂E/∂W1 = ") })
        #expect(printed[start] == "∂E/∂W1 = " + gradient[0], "\(printed[start]) and \(gradient[0])")
    }
}
