import Foundation
import Testing

/// Output that cannot be written, and the signals that end a run from outside: a full device
/// and a closed standard output fail loudly, a reader that goes away stops the program at
/// once, and SIGTERM and SIGHUP stop it cleanly with what it printed flushed.
extension FaultTests {
    /// Runs `nn ARGUMENTS REDIRECTION` through bash; the status is nn's own.
    private static func shell(_ arguments: String, _ redirection: String) throws -> NNBinary.Run {
        let command = "'\(NNBinary.executable.path)' \(arguments) \(redirection)"
        return try NNBinary.run(["-c", command], executable: URL(fileURLWithPath: "/bin/bash"))
    }

    @Test(arguments: [(">/dev/full", "no space left on device"), (">&-", "bad file descriptor")])
    func outputThatCannotBeWrittenIsAnErrorOnStandardError(_ redirection: String, _ reason: String) throws {
        let run = try Self.shell("-e 'print 1'", redirection)
        #expect(run.standardError == "nn: cannot write to standard output: \(reason)\n", "\(run)")
        #expect(run.status == 1)
    }

    /// `nn … | head -1` on a program that would print for ever stops as soon as `head` has gone.
    @Test func aClosedPipeStopsTheProgramPromptly() throws {
        let start = Date()
        let run = try Self.shell("-e 'repeat 1000000000 { print 1 }'", "2>&1 | head -1; echo ${PIPESTATUS[0]}")
        #expect(run.standardOutput == "1\n0\n", "\(run)")
        #expect(Date().timeIntervalSince(start) < 20)
    }

    /// SIGTERM (a `timeout`, a batch scheduler) and SIGHUP (a closed terminal) stop a long run
    /// as SIGINT does: what was printed is in the file, the exit status is 128 + the signal.
    @Test(arguments: [(SIGTERM, Int32(143), "nn: terminated\n"), (SIGHUP, Int32(129), "nn: hung up\n")])
    func terminationStopsCleanlyWithTheOutputFlushed(_ signal: Int32, _ status: Int32, _ message: String) throws {
        let run = try Self.run("print 7; data blobs n=200; input 2; layer 8 tanh; layer 3 softmax; loss cross_entropy; train epochs=100000000",
                               signalledWith: signal)
        #expect(run.reason == .exit)
        #expect(run.status == status)
        #expect(run.standardOutput.hasPrefix("7\n"), "\(run.standardOutput.prefix(300))")
        #expect(run.standardOutput.contains("interrupted at epoch "), "\(run.standardOutput.suffix(300))")
        #expect(run.standardError == message)
    }

    /// At a prompt reading a pipe, SIGTERM ends the session (Ctrl-C only clears the line).
    @Test func terminationEndsAWaitingPrompt() throws {
        let process = Process()
        process.executableURL = NNBinary.executable
        process.arguments = ["-i"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 143)
    }

    /// Standard input without end (`yes | nn`, `cat /dev/zero | nn`) is read only up to the
    /// size limit: a script is refused there, and at the prompt a line that long is one error
    /// and the lines after it run.
    @Test func endlessStandardInputIsReadOnlyToTheLimit() throws {
        let script = try Self.shell("", "< <(head -c 41943040 /dev/zero)")
        #expect(script.standardError == "nn: cannot read standard input: it holds more than nn runs (33554432 bytes)\n", "\(script)")
        #expect(script.status == 2)
        let prompt = try Self.shell("-i", "< <(printf 'print 1\\n'; head -c 41943040 /dev/zero; printf '\\nprint 2\\n')")
        #expect(prompt.standardOutput == "1\n2\n", "\(prompt.standardOutput.prefix(200))")
        #expect(prompt.standardError.hasPrefix("<repl>:1:1: error: the program is 33554433 bytes, more than nn runs (33554432 bytes)"))
        #expect(prompt.status == 0)
    }

    /// Ctrl-C while nn waits for a script on a pipe that sends nothing stops it: nothing ran.
    @Test func ctrlCWhileAScriptIsReadFromAQuietPipe() throws {
        let process = Process()
        process.executableURL = NNBinary.executable
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data("print 1\n".utf8))
        Thread.sleep(forTimeInterval: 1.5)
        process.interrupt()
        process.waitUntilExit()
        try input.fileHandleForWriting.close()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(text.hasPrefix("<stdin>:1:1: error: interrupted while reading the program: nothing ran"), "\(text)")
    }

    /// A script over the size limit is refused before it is read, let alone lexed.
    @Test func aScriptOverTheSizeLimitIsNotRead() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("huge.nn").path
        #expect(truncate(script, 0) == -1)  // not there yet
        _ = FileManager.default.createFile(atPath: script, contents: nil)
        #expect(truncate(script, 40 << 20) == 0)  // sparse: no disk used
        let run = try NNBinary.run([script])
        #expect(run.standardError == "nn: cannot read '\(script)': it is 41943040 bytes, more than nn runs (33554432 bytes)\n", "\(run)")
        #expect(run.status == 2)
    }
}
