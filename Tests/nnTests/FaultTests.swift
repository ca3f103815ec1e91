import Foundation
import Testing

/// Faults from outside, end to end through the real binary: a kill in the middle of a save,
/// paths that cannot be written or are folders, a reader that goes away, input that ends in
/// the middle of a statement, SIGINT, and NaN or infinity in data files.
@Suite struct FaultTests {
    /// A fresh folder for one test's files; the caller removes it.
    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nn-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// What a run stopped by a signal left: its exit, and what it wrote to each stream.
    struct SignalledRun {
        var reason: Process.TerminationReason
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs `nn -e program` with its output going to files, sends `signal` after a second,
    /// and returns what it left once it ended.
    static func run(_ program: String, signalledWith signal: Int32) throws -> SignalledRun {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("stdout")
        let errors = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = NNBinary.executable
        process.arguments = ["-e", program]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        Thread.sleep(forTimeInterval: 1)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return SignalledRun(reason: process.terminationReason, status: process.terminationStatus,
                            standardOutput: String(decoding: try Data(contentsOf: output), as: UTF8.self),
                            standardError: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }

    // MARK: - Saving

    /// `kill -9` at a random moment while a large model is saved over and over leaves the
    /// previous file whole: it loads, as the old network or the new one, never as neither.
    @Test(arguments: 1...3)
    func killDuringSaveLeavesAWholeFile(_ attempt: Int) throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.nnm").path
        let old = try NNBinary.run(["-e", "input 2; layer 1; save \"\(model)\""])
        #expect(old.status == 0, "\(old)")

        let saving = Process()
        saving.executableURL = NNBinary.executable
        saving.arguments = ["-e", "input 300; layer 300 tanh; layer 300; repeat 1000000 { save \"\(model)\" }"]
        saving.standardOutput = FileHandle.nullDevice
        saving.standardError = FileHandle.nullDevice
        try saving.run()
        Thread.sleep(forTimeInterval: Double.random(in: 0.2...1.5))
        kill(saving.processIdentifier, SIGKILL)
        saving.waitUntilExit()
        #expect(saving.terminationReason == .uncaughtSignal, "attempt \(attempt): the save loop ended before the kill")

        let loaded = try NNBinary.run(["-e", "load \"\(model)\""])
        #expect(loaded.status == 0, "attempt \(attempt): \(loaded)")
        #expect(loaded.standardOutput.contains("a 2-1 network") || loaded.standardOutput.contains("a 300-300-300 network"),
                "attempt \(attempt): \(loaded)")
    }

    /// A path nothing can be written to (under a file, or in /proc, where even root cannot
    /// create files) is a clear error, and at the prompt the session goes on.
    @Test(arguments: [("/etc/passwd/x.nnm", "not a directory"), ("/proc/x.nnm", "no such file or directory")])
    func anUnwritablePathIsAnErrorAndTheSessionGoesOn(_ path: String, _ reason: String) throws {
        let run = try NNBinary.run(["-i", "-e", "input 2; layer 1"], input: "save \"\(path)\"\nprint 7\n")
        #expect(run.standardError.contains("<repl>:1:6: error: cannot write '\(path)': \(reason)"), "\(run)")
        #expect(run.standardOutput == "7\n")
        #expect(run.status == 0)

        let script = try NNBinary.run(["-e", "input 2; layer 1; save \"\(path)\"; print 7"])
        #expect(script.standardError.contains("error: cannot write '\(path)': \(reason)"), "\(script)")
        #expect(script.standardOutput == "")
        #expect(script.status == 1)
    }

    // MARK: - Reading

    /// A folder where a file is expected is named as such, for data and for models.
    @Test(arguments: ["data \"/tmp\"", "load \"/tmp\""])
    func aFolderWhereAFileIsExpected(_ statement: String) throws {
        let run = try NNBinary.run(["-e", statement])
        #expect(run.standardError.contains("<-e>:1:6: error: '/tmp' is a folder, not a file"), "\(run)")
        #expect(run.status == 1)
    }

    /// NaN (a missing value) or infinity in a CSV's inputs is an error naming the line and the column.
    @Test(arguments: [("nan", "1", "missing value 'nan'"), ("inf", "2", "'inf' is not a finite number"),
                      ("-inf", "3", "'-inf' is not a finite number"), ("1e999", "4", "'1e999' is out of range (numbers reach ±1.8e308)")])
    func nonFiniteCSVCellsAreErrors(_ cell: String, _ name: String, _ reason: String) throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("data\(name).csv")
        try "a,b,y\n1,2,0\n3,\(cell),1\n".write(to: file, atomically: true, encoding: .utf8)
        let run = try NNBinary.run(["-e", "data \"\(file.path)\""])
        #expect(run.standardError.contains("in '\(file.path)': line 3, column 'b': \(reason)"), "\(run)")
        #expect(run.status == 1)
    }

    /// NaN or infinity in a .npy array is an error naming the row and the column.
    @Test(arguments: [(Double.nan, "x"), (Double.infinity, "y")])
    func nonFiniteNpyValuesAreErrors(_ value: Double, _ which: String) throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let x = folder.appendingPathComponent("x.npy")
        let y = folder.appendingPathComponent("y.npy")
        try Self.npy(rows: 2, columns: 2, values: which == "x" ? [1, 2, 3, value] : [1, 2, 3, 4]).write(to: x)
        try Self.npy(rows: 2, columns: 2, values: which == "y" ? [1, value, 3, 4] : [1, 2, 3, 4]).write(to: y)
        let run = try NNBinary.run(["-e", "data x=\"\(x.path)\" y=\"\(y.path)\""])
        let place = which == "x" ? "row 2, column 2" : "row 1, column 2"
        #expect(run.standardError.contains("in '\(which == "x" ? x.path : y.path)': \(place) is NaN or infinite"), "\(run)")
        #expect(run.status == 1)
    }

    /// A version 1.0 .npy file of little-endian float64, as NumPy writes it.
    static func npy(rows: Int, columns: Int, values: [Double]) -> Data {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    // MARK: - Pipes and standard input

    /// `nn … | head -1`: when the reader goes away nn ends quietly, with nothing on stderr.
    @Test func headOneEndsQuietly() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let errors = folder.appendingPathComponent("stderr").path
        let command = "'\(NNBinary.executable.path)' -e 'input 3; layer 300 tanh; print W1; print W1; print W1; print W1' "
            + "2>'\(errors)' | head -1 >/dev/null; echo ${PIPESTATUS[0]}"
        let run = try NNBinary.run(["-c", command], executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(run.standardOutput == "0\n", "\(run)")
        #expect(try String(contentsOfFile: errors, encoding: .utf8) == "")
    }

    /// Standard input that ends inside a bracket is a diagnostic naming the bracket, and exit 1.
    @Test func inputEndingInsideABracketIsADiagnostic() throws {
        let run = try NNBinary.run([], input: "print 1\nprint [1, 2")
        #expect(run.standardError.contains("<stdin>:2:12: error: expected ']' to close '[' at 2:7, found end of input"), "\(run)")
        #expect(run.standardOutput == "")
        #expect(run.status == 1)
    }

    // MARK: - Signals

    /// SIGINT to a long script stops training at a clean point: exit 130, the epoch it
    /// stopped at on standard output, and "nn: interrupted" on standard error.
    @Test func sigintStopsALongScript() throws {
        let run = try Self.run("data blobs n=200; input 2; layer 8 tanh; layer 3 softmax; loss cross_entropy; train epochs=100000000; print 1",
                               signalledWith: SIGINT)
        #expect(run.status == 130)
        #expect(run.standardOutput.contains("interrupted at epoch "), "\(run.standardOutput.suffix(300))")
        #expect(!run.standardOutput.hasSuffix("1\n"))
        #expect(run.standardError == "nn: interrupted\n")
    }

    /// Programs that SIGINT stops in other places: a `train` that is the last statement (it
    /// returns normally at the end of a batch), a loop between iterations, a `train` in a loop.
    /// Each exits 130, as `nn --help` says.
    static let interruptedPrograms: [(program: String, standardError: String)] = [
        ("data blobs n=200; input 2; layer 8 tanh; layer 3 softmax; loss cross_entropy; train epochs=100000000", "nn: interrupted\n"),
        ("x = 0\nrepeat 1000000000 { x = x + 1 }", "<-e>:2:1: error: interrupted at iteration"),
        ("x = 0\nfor i in range(0, 10000000) { x = x + i }", "<-e>:2:1: error: interrupted at iteration"),
        ("data blobs n=200; input 2; layer 8 tanh; layer 3 softmax; loss cross_entropy\nrepeat 3 { train epochs=100000000 }", "<-e>:2:1: error: interrupted at iteration 2"),
    ]

    @Test(arguments: interruptedPrograms)
    func sigintAnywhereExits130(_ testCase: (program: String, standardError: String)) throws {
        let run = try Self.run(testCase.program, signalledWith: SIGINT)
        #expect(run.status == 130)
        #expect(run.standardError.hasPrefix(testCase.standardError))
    }

    /// Long single statements stop on SIGINT at their next poll, with the usual message
    /// at the statement and exit 130: a 5000² product (tile by tile), a data set of 33 million
    /// samples, functions that fan out to 2⁴⁰ calls.
    static let longStatements: [(program: String, standardError: String)] = [
        ("c = transpose(range(0, 5000)); r = transpose(c); a = c @ r\nb = a @ a\nprint 1",
         "<-e>:2:5: error: interrupted after "),
        ("data xor\ndata circles n=33000000\nprint 1", "<-e>:2:6: error: interrupted while making the data set: the data is as it was"),
        ("def f0(x) = x\n" + (1...40).map { "def f\($0)(x) = f\($0 - 1)(x) + f\($0 - 1)(x)" }.joined(separator: "\n") + "\nprint f40(1)",
         "<-e>:"),
    ]

    @Test(arguments: longStatements)
    func sigintStopsALongStatement(_ testCase: (program: String, standardError: String)) throws {
        let run = try Self.run(testCase.program, signalledWith: SIGINT)
        #expect(run.status == 130)
        #expect(run.standardError.hasPrefix(testCase.standardError), "\(run.standardError)")
        #expect(run.standardError.contains(": error: interrupted "), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }

    /// The Ctrl-C flag is one variable for the whole program. It once had a copy per object
    /// file, and a release build cleared one copy while the handler set another, so the
    /// statement after an interrupted `train` at the prompt was reported as interrupted too.
    /// The symbol table shows it: one global (weak) `nn_interrupted`, not a file-local one.
    @Test func theInterruptFlagIsOneVariable() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["nm", NNBinary.executable.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let symbols = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "nm could not read \(NNBinary.executable.path)")
        let flags = symbols.split(separator: "\n").filter { $0.hasSuffix(" nn_interrupted") }
        #expect(flags.count == 1, "\(flags)")
        // nm's type letter: lowercase means local to one object file; V and W are weak globals.
        #expect(flags.allSatisfy { line in line.split(separator: " ").dropLast().last.map { "VW".contains($0) } == true },
                "\(flags)")
    }
}
