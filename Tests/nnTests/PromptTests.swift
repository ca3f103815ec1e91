import Foundation
import Testing

/// The interactive prompt, run on a pseudo-terminal as a person at a terminal runs it.
///
/// util-linux `script` (Debian's essential bsdutils) gives nn a terminal for its standard input
/// and output, and forwards what the test types; the screen it records includes the terminal's
/// echo of that typing.
@Suite struct PromptTests {
    static let script = "/usr/bin/script"

    static func session(typing keystrokes: String) throws -> (screen: String, status: Int32) {
        let command = NNBinary.executable.path
        let run = try NNBinary.run(
            ["-qec", command, "/dev/null"], input: Data(keystrokes.utf8), executable: URL(fileURLWithPath: script))
        return (run.standardOutput.replacingOccurrences(of: "\r\n", with: "\n"), run.status)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script)))
    func promptAnswersAndKeepsStateAfterAnError() throws {
        let (screen, status) = try Self.session(typing: "rate = 0.5\nprint rat\nprint rate * 2\nquit\n")
        #expect(screen.contains("nn> "))
        #expect(screen.contains("<repl>:1:7: error: unknown name 'rat'\n    1 | print rat\n      |       ^~~ did you mean 'rate'?\n"))
        #expect(screen.contains("nn> 1\n"))
        #expect(status == 0)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script)))
    func anOpenBracketAsksForMore() throws {
        let (screen, status) = try Self.session(typing: "print [1,\n2]\n")
        #expect(screen.contains("nn> ...> [1, 2]\n"))
        #expect(status == 0)
    }
}
