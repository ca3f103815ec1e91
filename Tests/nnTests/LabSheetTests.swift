import Foundation
import Testing

/// Lab sheets through the real binary: `expect` and `gradcheck` decide the exit status.
@Suite struct LabSheetTests {
    /// Writes `program` to a file in a fresh folder and runs nn on it.
    static func run(program: String) throws -> (run: NNBinary.Run, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nn-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("lab.nn")
        try program.write(to: file, atomically: true, encoding: .utf8)
        return (try NNBinary.run([file.path]), file.path)
    }

    @Test func aFailingExpectationExitsOneAfterTheWholeProgram() throws {
        let (run, path) = try Self.run(program: """
            example mazur
            print "before"
            expect grad(w5) == 0.08 tol=1e-3
            expect loss < 1
            print "after"
            """)
        #expect(run.status == 1)
        #expect(run.standardOutput.hasSuffix("before\nafter\n"), "\(run)")
        #expect(run.standardError == """
            \(path):3:8: error: expectation failed: expected == 0.08 (tolerance 0.001), got 0.08216704056
                3 | expect grad(w5) == 0.08 tol=1e-3
                  |        ^~~~~~~~~~~~~~~~

            """)
    }

    @Test func aFailingGradientCheckExitsOne() throws {
        let (run, path) = try Self.run(program: """
            input 1
            layer 1 relu
            layer 1 linear
            W1 = 1
            b1 = 0
            W2 = 1
            data x=[[0]] y=[[1]]
            gradcheck
            print "after"
            """)
        #expect(run.status == 1)
        #expect(run.standardOutput.hasSuffix("FAIL (tolerance 1e-5)\nafter\n"), "\(run)")
        #expect(run.standardError.hasPrefix("\(path):8:1: error: gradient check failed: backpropagation and central differences disagree at b1[1] (relative error 1)\n"))
    }

    @Test(arguments: ["scripts/lab-backprop.nn", "scripts/lab-activations.nn"])
    func aPassingLabExitsZero(_ path: String) throws {
        let run = try NNBinary.run([path])
        #expect(run.status == 0)
        #expect(run.standardError == "")
        #expect(run.standardOutput.contains("PASS (tolerance 1e-5)") || !run.standardOutput.contains("gradcheck"))
    }

    @Test func passingExpectationsPrintNothingOutsideThePrompt() throws {
        let run = try NNBinary.run(["-e", "example mazur\nexpect loss == 0.2983711088 tol=1e-10\nexpect [w1, w2] < 1"])
        #expect(run.status == 0)
        #expect(run.standardError == "")
        #expect(!run.standardOutput.contains("✓"))
    }

    /// A failed expectation, then a runtime error: the runtime error stops the program, and
    /// both are reported.
    @Test func aFailedExpectationThenARuntimeError() throws {
        let run = try NNBinary.run(["-e", "expect 1 > 2\nprint 1 / 0\nprint \"not reached\""])
        #expect(run.status == 1)
        #expect(run.standardOutput == "")
        #expect(run.standardError.contains("<-e>:1:8: error: expectation failed: expected > 2, got 1\n"))
        #expect(run.standardError.contains("<-e>:2:7: error: division by zero\n"))
    }
}
