import ArgumentParser
import NNLang

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `nn` command line: which programs to run, and whether to stay at a prompt after.
@main
struct NNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract: "Build, train and inspect neural networks: a small language and REPL.",
        discussion: """
            With no files and no -e, nn reads a program from standard input when it is not a \
            terminal (echo 'print sigmoid(0)' | nn), and starts an interactive prompt when it is. \
            Type 'help' at the prompt for the language.

            Exit status: 0 on success, 1 on a syntax or runtime error in the program, 2 on bad \
            usage (an unknown flag, a file that cannot be read).
            """,
        version: "nn 0.1.0"
    )

    @Argument(help: ArgumentHelp("Scripts to run, in order, in one session.", valueName: "file"))
    var files: [String] = []

    @Option(name: .customShort("e"), help: ArgumentHelp("Run CODE (may be repeated).", valueName: "code"))
    var code: [String] = []

    @Flag(name: .customShort("i"), help: "Stay at an interactive prompt after running the files or code.")
    var interactive = false

    /// Parses the flags and runs, mapping every way out to nn's exit codes: ArgumentParser's own
    /// usage errors exit 2 rather than its default 64, as the README promises.
    static func main() {
        signal(SIGPIPE, SIG_IGN)  // a closed pipe becomes a failed write, not a kill
        let status: Int32
        do {
            var command = try parseAsRoot()
            guard let nn = command as? NNCommand else {
                try command.run()
                return
            }
            status = nn.runProgram()
        } catch {
            let exitCode = exitCode(for: error)
            if exitCode == .success {
                StandardStreams.output.write(fullMessage(for: error) + "\n")
                status = 0
            } else {
                StandardStreams.error.write(fullMessage(for: error) + "\n")
                status = 2
            }
        }
        StandardStreams.output.flush()
        Glibc.exit(status)
    }

    private func runProgram() -> Int32 {
        var sources: [SourceFile] = []
        for path in files {
            switch StandardStreams.readFile(at: path) {
            case .success(let text):
                sources.append(SourceFile(name: path, text: text))
            case .failure(let failure):
                StandardStreams.error.write("nn: cannot read '\(path)': \(failure.reason)\n")
                return 2
            }
        }
        sources += code.map { SourceFile(name: "<-e>", text: $0) }

        let driver = Driver()
        let standardInputIsTerminal = isatty(0) == 1
        if sources.isEmpty, !interactive {
            if standardInputIsTerminal { return driver.runInteractive() }
            return driver.runScripts([SourceFile(name: "<stdin>", text: StandardStreams.readStandardInput())])
        }
        let status = driver.runScripts(sources)
        guard interactive, status != Driver.quitStatus else { return status == Driver.quitStatus ? 0 : status }
        return driver.runInteractive()
    }
}
