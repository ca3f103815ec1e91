import Foundation
import Testing

/// The real binary, run as a user runs it: files, `-e`, standard input, flags and exit codes.
@Suite struct CommandLineTests {
    @Test func codeFromDashE() throws {
        let run = try NNBinary.run(["-e", "print sigmoid(0)"])
        #expect(run.standardOutput == "0.5\n")
        #expect(run.standardError == "")
        #expect(run.status == 0)
    }

    @Test func programFromAPipe() throws {
        let run = try NNBinary.run([], input: "print sigmoid(0)\nprint softmax([0, 0])\n")
        #expect(run.standardOutput == "0.5\n[0.5, 0.5]\n")
        #expect(run.status == 0)
    }

    @Test func filesAndCodeShareOneSession() throws {
        let run = try NNBinary.run(["scripts/mazur.nn", "-e", "set precision 4", "-e", "print w5"])
        #expect(run.standardOutput.hasSuffix("0.3589\n"))
        #expect(run.status == 0)
    }

    /// A program gives byte-identical output and the same status as a file, through a pipe,
    /// through `-e`, and through `-i` reading a pipe; never an escape sequence.
    @Test(arguments: ["scripts/mazur.nn", "scripts/calculator.nn", "Tests/nnTests/Golden/runtime-error-after-output.nn"])
    func everyWayInGivesTheSameOutput(_ path: String) throws {
        let program = try String(contentsOf: NNBinary.packageRoot.appendingPathComponent(path), encoding: .utf8)
        let file = try NNBinary.run([path])
        let piped = try NNBinary.run([], input: program)
        let dashE = try NNBinary.run(["-e", program])
        let always = try NNBinary.run([path], environment: ["NO_COLOR": ""])
        for other in [piped, dashE, always] {
            #expect(other.standardOutput == file.standardOutput)
            #expect(other.status == file.status)
        }
        for run in [file, piped, dashE, always] {
            #expect(!run.standardOutput.contains("\u{1B}"))
            #expect(!run.standardError.contains("\u{1B}"))
        }
        // At a prompt an error does not stop the session, so only programs that succeed compare.
        guard file.status == 0 else { return }
        let interactive = try NNBinary.run(["-i"], input: program)
        #expect(interactive.standardOutput == file.standardOutput)
        #expect(!interactive.standardOutput.contains("nn>"))
    }

    @Test func colourOnlyWhenAskedFor() throws {
        let always = try NNBinary.run(["--color=always", "-e", "summary"])
        #expect(always.standardError.contains("\u{1B}[1;31merror:\u{1B}[0m"))
        let never = try NNBinary.run(["--color=never", "-e", "summary"])
        #expect(!never.standardError.contains("\u{1B}"))
        let bad = try NNBinary.run(["--color=sometimes", "-e", "print 1"])
        #expect(bad.status == 2)
    }

    @Test func diagnosticsNameTheirSource() throws {
        let dashE = try NNBinary.run(["-e", "layer 2 sigmod"])
        #expect(dashE.standardError.hasPrefix("<-e>:1:9: error: unknown activation 'sigmod'\n"))
        #expect(dashE.status == 1)
        let piped = try NNBinary.run([], input: "print 1\nprint 1/0\n")
        #expect(piped.standardOutput == "1\n")
        #expect(piped.standardError.hasPrefix("<stdin>:2:7: error: division by zero\n"))
        #expect(piped.status == 1)
    }

    @Test func aSyntaxErrorAnywhereMeansNothingRuns() throws {
        let run = try NNBinary.run(["-e", "print 1", "-e", "print (2"])
        #expect(run.standardOutput == "")
        #expect(run.standardError.contains("<-e>:1:9: error: expected ')' to close '(' at 1:7"))
        #expect(run.status == 1)
    }

    @Test func quitEndsTheProgramSuccessfully() throws {
        let run = try NNBinary.run(["-e", "print 1; quit; print 2"])
        #expect(run.standardOutput == "1\n")
        #expect(run.status == 0)
    }

    @Test func badUsageExitsTwo() throws {
        let missing = try NNBinary.run(["no-such-file.nn"])
        #expect(missing.standardError == "nn: cannot read 'no-such-file.nn': no such file or directory\n")
        #expect(missing.status == 2)
        let folder = try NNBinary.run(["scripts"])
        #expect(folder.standardError == "nn: cannot read 'scripts': it is a directory\n")
        #expect(folder.status == 2)
        let flag = try NNBinary.run(["--bogus"])
        #expect(flag.standardError.contains("Unknown option '--bogus'"))
        #expect(flag.status == 2)
    }

    @Test func helpAndVersion() throws {
        let version = try NNBinary.run(["--version"])
        #expect(version.standardOutput == "nn 0.1.0\n")
        #expect(version.status == 0)
        let help = try NNBinary.run(["--help"])
        #expect(help.standardOutput.contains("USAGE: nn"))
        #expect(help.standardOutput.contains("Exit status: 0 on success"))
        #expect(help.standardOutput.contains("NN_KERNELS=off"))
        // The discussion is wrapped by ArgumentParser: no run of spaces left inside a sentence.
        let discussion = help.standardOutput.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.isEmpty }
        #expect(!discussion.contains { $0.contains("  ") }, "\(discussion)")
        #expect(help.status == 0)
    }

    /// After `-i`, lines from a pipe run one by one: an error is reported and the session goes
    /// on with its state intact, and a diverged training run keeps finite parameters.
    @Test func interactiveAfterFilesKeepsGoingAfterErrors() throws {
        let setup = "input 1; layer 1; W1 = 1; b1 = 0; data x=[[1000], [2000]] y=[[1], [2]]"
        let run = try NNBinary.run(["-i", "-e", setup], input: "train epochs=100 lr=10 quiet=true\nprint W1[1,1] $ 0\nprint sum(W1) + 0 * sum(b1)\nprint nosuch\nprint 7\n")
        #expect(run.standardError.contains("<repl>:1:1: error: training diverged at epoch"))
        #expect(run.standardError.contains("<repl>:1:15: error: unexpected character '$'"))
        #expect(run.standardError.contains("<repl>:1:7: error: unknown name 'nosuch'"))
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first.flatMap { Double($0) }.map(\.isFinite) == true)
        #expect(lines.last == "7")
        #expect(run.status == 0)
    }

    @Test func binaryGarbageOnStandardInputIsADiagnostic() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let run = try NNBinary.run([], input: Data(bytes))
        #expect(run.status == 1)
        #expect(run.standardError.contains("<stdin>:"))
        #expect(run.standardError.contains("error:"))
    }

    @Test func tenThousandNestedBracketsAreOneDiagnostic() throws {
        let program = "print " + String(repeating: "[", count: 10_000) + "1" + String(repeating: "]", count: 10_000)
        let run = try NNBinary.run([], input: program)
        #expect(run.status == 1)
        #expect(run.standardError.components(separatedBy: "error:").count == 2)
        #expect(run.standardError.contains("nested too deeply: more than 200 levels of brackets, blocks or operators"))
    }

    /// `nn … | head -1`: when the reader goes away, nn ends quietly rather than crashing.
    @Test func aClosedPipeEndsQuietly() throws {
        let process = Process()
        process.executableURL = NNBinary.executable
        process.arguments = ["-e", "input 3; layer 200 tanh; layer 200 tanh; print W1; print W2; print W1; print W2"]
        let pipe = Pipe()
        let errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try pipe.fileHandleForReading.close()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(errors.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }

    /// The examples learn what they promise, with their fixed seeds: XOR to a loss below 0.01,
    /// iris to at least 95 % and digits to at least 96 % accuracy on held-out samples.
    @Test(arguments: [("scripts/xor.nn", "trained 5000 epochs: E = ", 0.01, true), ("scripts/iris.nn", "test: E = ", 0.95, false), ("scripts/digits.nn", "test: E = ", 0.96, false)])
    func examplesLearn(_ script: String, _ prefix: String, _ bound: Double, _ isLoss: Bool) throws {
        let run = try NNBinary.run([script])
        #expect(run.status == 0)
        let line = try #require(run.standardOutput.split(separator: "\n").first { $0.hasPrefix(prefix) })
        if isLoss {
            let loss = try #require(Double(line.dropFirst(prefix.count).prefix { $0 != "," && $0 != " " }))
            #expect(loss < bound)
        } else {
            let accuracy = try #require(line.split(separator: "accuracy = ").last.flatMap { Double($0.prefix { $0 != " " }) })
            #expect(accuracy >= bound, "\(line)")
        }
    }

    /// The acceptance figures of the classic example, as published, from the binary's own output.
    @Test func mazurPublishedFigures() throws {
        let run = try NNBinary.run(["scripts/mazur.nn"])
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        func value(after label: String) -> Double? {
            lines.first { $0.hasPrefix(label) }.flatMap { Double($0.dropFirst(label.count)) }
        }
        func numbers(line: Int) -> [Double] {
            lines[line].split(separator: " ").compactMap { Double($0) }
        }
        /// Published figures are rounded; accept half a unit in their last printed digit, and never more than 1e-9 beyond it.
        func close(_ actual: Double?, _ published: String) -> Bool {
            guard let actual, let expected = Double(published) else { return false }
            let decimals = published.split(separator: ".").last?.count ?? 0
            let tolerance = max(1e-9, 0.5 * pow(10, -Double(decimals)) + 1e-12)
            return abs(actual - expected) <= tolerance
        }
        #expect(close(value(after: "E = "), "0.298371109"))
        #expect(close(value(after: "∂E/∂w5 = "), "0.082167041"))
        #expect(close(value(after: "∂E/∂w1 = "), "0.000438568"))
        let published = ["0.149780716", "0.19956143", "0.24975114", "0.29950229", "0.35891648", "0.408666186", "0.511301270", "0.561370121"]
        let weights = numbers(line: lines.count - 2) + numbers(line: lines.count - 1)
        #expect(weights.count == 8)
        for (actual, figure) in zip(weights, published) {
            #expect(close(actual, figure), "\(actual) vs \(figure)")
        }
    }
}
