import Foundation
import Testing

/// Ctrl-C at `nn -i` reading a pipe behaves as at the terminal's prompt: at an idle prompt it
/// drops nothing but the partial line and reading goes on; after it stops a statement, the
/// next statements run normally.
extension FaultTests {
    /// Starts `nn -i` on a pipe; the caller writes to `input` and closes it.
    static func promptOnAPipe() throws -> (process: Process, input: FileHandle, output: Pipe, errors: Pipe) {
        let process = Process()
        process.executableURL = NNBinary.executable
        process.arguments = ["-i"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, input.fileHandleForWriting, output, errors)
    }

    /// The CPU time the process has used, in clock ticks (user + system), from /proc.
    static func cpuTicks(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)  // utime and stime, fields 14 and 15
    }

    @Test func ctrlCAtAnIdlePlainPromptDoesNotSpin() throws {
        let (process, input, output, errors) = try Self.promptOnAPipe()
        input.write(Data("print 1\n".utf8))
        Thread.sleep(forTimeInterval: 0.5)
        process.interrupt()
        Thread.sleep(forTimeInterval: 0.3)
        let before = Self.cpuTicks(process.processIdentifier)
        Thread.sleep(forTimeInterval: 1)
        let spent = Self.cpuTicks(process.processIdentifier) - before
        #expect(spent < 20, "\(spent) ticks of CPU in a second at an idle prompt")
        input.write(Data("print 2\n".utf8))
        try input.close()
        process.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "1\n2\n")
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "")
        #expect(process.terminationStatus == 0)
    }

    @Test func afterCtrlCStopsAStatementThePlainPromptGoesOn() throws {
        let (process, input, output, errors) = try Self.promptOnAPipe()
        input.write(Data("x = 0\nrepeat 1000000000 { x = x + 1 }\n".utf8))
        Thread.sleep(forTimeInterval: 1)
        process.interrupt()
        Thread.sleep(forTimeInterval: 0.3)
        input.write(Data("print 2\nprint 3\n".utf8))
        try input.close()
        process.waitUntilExit()
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "2\n3\n")
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(errorText.hasPrefix("<repl>:1:1: error: interrupted at iteration "), "\(errorText)")
        #expect(errorText.components(separatedBy: "interrupted").count == 2, "\(errorText)")
        #expect(process.terminationStatus == 0)
    }
}
