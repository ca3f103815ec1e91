import Foundation
import Testing
@testable import NNLang

/// `explain … to "F.tex"` and `to "F.md"`: the files against golden copies in
/// `Fixtures/explain/` (set `NN_UPDATE_GOLDEN=1` to rewrite them from what nn writes now, then
/// read the diff), the same numbers as the text explanation, and, where pdflatex is installed,
/// the .tex compiled.
@Suite("Explanations as files")
struct ExplainFileTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/explain")
    static let updating = ProcessInfo.processInfo.environment["NN_UPDATE_GOLDEN"] == "1"

    /// The golden files: a file name and the program that writes it (as `{file}`).
    static let cases: [(file: String, program: String)] = [
        ("mazur-w1.tex", mazurProgram + "\nexplain grad w1 to \"{file}\""),
        ("mazur-w1.md", mazurProgram + "\nexplain grad w1 to \"{file}\""),
        ("mazur-forward.tex", mazurProgram + "\nexplain forward to \"{file}\""),
        ("mazur-step.md", mazurProgram + "\nexplain step lr=0.5 to \"{file}\""),
        ("xor-loss.md", xorProgram + "\nexplain loss to \"{file}\""),
        ("xor-w5.tex", xorProgram + "\nexplain grad w5 to \"{file}\""),
        ("xor-W1.tex", xorProgram + "\nexplain grad W1 to \"{file}\""),
        ("xor-W1-rows.md", xorProgram + "\nset convention rows\nexplain grad W1 limit=2 to \"{file}\""),
        ("softmax-w5.tex", softmaxProgram + "\nexplain grad w5 to \"{file}\""),
        ("softmax-forward.md", softmaxProgram + "\nexplain forward to \"{file}\""),
        ("graph.tex", "w = [[1, 2], [3, 4]]\nv = [0.5, -1]\nexplain grad(sum(tanh(w @ v)) + v[1]^2, v) to \"{file}\""),
        ("graph.md", "x = 0.5\ny = 2\nexplain grad(sigmoid(x * y), x) to \"{file}\""),
    ]

    /// Four samples, so that the gradient is a table and the loss a mean.
    static let xorProgram = """
        data xor
        input 2
        layer 2 tanh
        layer 1 sigmoid
        loss binary_cross_entropy
        W1 = [[0.5, -0.4], [0.3, 0.8]]
        b1 = [0.1, -0.2]
        W2 = [[0.7, -0.6]]
        b2 = 0.05
        """

    /// One sample through a softmax output: the Jacobian step of the gradient, the exponents of the forward pass.
    static let softmaxProgram = """
        input 2
        layer 2 sigmoid
        layer 3 softmax
        loss cross_entropy
        W1 = [[0.1, 0.2], [0.3, -0.4]]
        W2 = [[0.5, -0.6], [0.7, 0.8], [-0.9, 0.1]]
        data x=[[0.5, -1]] y=[[0, 1, 0]]
        """

    /// Runs `program` with `{file}` in a fresh folder and returns the file it wrote and what it printed.
    static func written(_ file: String, by program: String) throws -> (text: String, lines: [String]) {
        let scratch = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(scratch) }
        let path = scratch + "/" + file
        let (session, transcript) = try SessionTests.session(after: program.replacingOccurrences(of: "{file}", with: path))
        _ = session
        return (try String(contentsOfFile: path, encoding: .utf8), transcript.lines)
    }

    @Test(arguments: cases)
    func matchesTheGoldenFile(_ testCase: (file: String, program: String)) throws {
        let (text, lines) = try Self.written(testCase.file, by: testCase.program)
        #expect(lines.last?.hasPrefix("saved ") == true)
        let golden = Self.folder.appendingPathComponent(testCase.file)
        if Self.updating { try text.write(to: golden, atomically: true, encoding: .utf8) }
        #expect(text == (try String(contentsOf: golden, encoding: .utf8)))
    }

    /// Every number of the text explanation is in the files, in the same order.
    @Test func theSameNumbersAsTheText() throws {
        for topic in ["grad w1", "grad w5", "grad W2", "grad b1", "forward", "loss", "step lr=0.5"] {
            let (session, transcript) = try SessionTests.session(after: mazurProgram)
            transcript.lines = []
            #expect(session.run(source: "explain \(topic)") == .completed)
            let numbers = Self.numbers(in: transcript.lines.joined(separator: "\n"))
            #expect(numbers.count > 3, "\(topic)")
            for file in ["e.tex", "e.md"] {
                let (text, _) = try Self.written(file, by: mazurProgram + "\nexplain \(topic) to \"{file}\"")
                #expect(Self.numbers(in: text).filter { numbers.contains($0) } == numbers, "\(topic) \(file)")
            }
        }
    }

    /// The decimal numbers in a text, in order (indices and exponents aside).
    static func numbers(in text: String) -> [String] {
        let pattern = try? NSRegularExpression(pattern: #"-?\d+\.\d+"#)
        let range = NSRange(text.startIndex..., in: text)
        return (pattern?.matches(in: text, range: range) ?? []).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    @Test func errors() throws {
        #expect(try PlotTests.failure(of: "explain forward to \"e.pdf\"", after: mazurProgram) == "expected a file name ending in .tex or .md, got 'e.pdf'")
        #expect(try PlotTests.failure(of: "explain forward to", after: mazurProgram) == "'explain' needs a file name in quotes after 'to'")
        #expect(try PlotTests.failure(of: "explain grad w5 \"e.tex\"", after: mazurProgram)
            == "expected 'to' before a file name, found a file name: write to \"FILE\"")
    }

    /// Where to find pdflatex, if it is installed.
    static let pdflatex: String? = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex", "/Library/TeX/texbin/pdflatex"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Each golden .tex compiles. CI does not install TeX, so there this test is skipped.
    @Test(.enabled(if: pdflatex != nil, "pdflatex is not installed: the .tex files were not compiled"),
          arguments: cases.filter { $0.file.hasSuffix(".tex") })
    func compilesWithPdflatex(_ testCase: (file: String, program: String)) throws {
        let scratch = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(scratch) }
        let source = Self.folder.appendingPathComponent(testCase.file)
        try FileManager.default.copyItem(atPath: source.path, toPath: scratch + "/e.tex")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.pdflatex))
        process.arguments = ["-interaction=nonstopmode", "-halt-on-error", "e.tex"]
        process.currentDirectoryURL = URL(fileURLWithPath: scratch)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "pdflatex failed on \(testCase.file)")
        #expect(FileManager.default.fileExists(atPath: scratch + "/e.pdf"))
    }
}
