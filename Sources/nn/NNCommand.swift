import ArgumentParser
import NNLang
import NNEngine

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

            Exit status: 0 on success, 1 on a syntax or runtime error in the program or a failed \
            expect or gradcheck, 2 on bad usage (an unknown flag, a file that cannot be read), \
            130 when Ctrl-C or SIGINT stopped a program, 143 for SIGTERM, 129 for SIGHUP.

            Environment: NN_HISTORY (the prompt's history file, else ~/.nn_history), NO_COLOR, \
            COLUMNS (plot width), OPENBLAS_NUM_THREADS (threads for matrix products, as \
            'set threads'), NN_KERNELS=off (matrix products by OpenBLAS alone, without nn's \
            AVX-512 kernels).
            """,
        version: "nn 0.1.0"
    )

    @Argument(help: ArgumentHelp("Scripts to run, in order, in one session.", valueName: "file"))
    var files: [String] = []

    @Option(name: .customShort("e"), help: ArgumentHelp("Run CODE (may be repeated).", valueName: "code"))
    var code: [String] = []

    @Flag(name: .customShort("i"), help: "Stay at an interactive prompt after running the files or code.")
    var interactive = false

    @Flag(name: .customShort("q"), help: "No welcome line at the prompt.")
    var quiet = false

    @Option(name: .customLong("color"), help: ArgumentHelp("Colour: auto (a terminal, and NO_COLOR unset), always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    @Flag(name: .customLong("ascii"), help: "Draw plots with ASCII characters only (also when the locale is not UTF-8).")
    var ascii = false

    @Flag(name: .customLong("serve"), help: "Serve one session over standard input and output, in JSON lines, for a notebook kernel (docs/serve-protocol.md).")
    var serve = false

    /// For packaging and editors (`NNCommand+Generated.swift`): not in `--help`.
    @Flag(name: .customLong("list-words"), help: .hidden)
    var listWords = false

    @Flag(name: .customLong("generate-man-page"), help: .hidden)
    var generateManPage = false

    /// Parses the flags and runs, mapping every way out to nn's exit codes: ArgumentParser's own
    /// usage errors exit 2 rather than its default 64, as the README promises.
    static func main() {
        signal(SIGPIPE, SIG_IGN)  // a closed pipe becomes a failed write, not a kill
        StandardStreams.guardClosedDescriptors()
        var status: Int32
        do {
            var command = try parseAsRoot()
            guard let nn = command as? NNCommand else {
                try command.run()
                return
            }
            BLAS.stopIdleThreads()  // no second core spinning for a script that multiplies nothing
            status = LargeStack.run { nn.runProgram() }
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
        // Output that could not be written fails the run, said on standard error; a reader
        // that went away (`nn … | head -1`) only ends it, quietly.
        if let reason = StandardStreams.output.failureReason {
            if StandardStreams.output.readerWentAway {
                status = 0
            } else {
                StandardStreams.error.write("nn: cannot write to standard output: \(reason)\n")
                status = 1
            }
        }
        Glibc.exit(status)
    }

    private func runProgram() -> Int32 {
        if let text = generatedText {
            StandardStreams.output.write(text)
            return 0
        }
        if serve {
            guard files.isEmpty, code.isEmpty, !interactive else {
                StandardStreams.error.write("nn: --serve takes no files, -e or -i: the session's code comes in execute requests\n")
                return 2
            }
            return ServeMode.run(version: NNCommand.configuration.version)
        }
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

        let driver = Driver(outputPalette: palette(for: 1), errorPalette: palette(for: 2))
        // Ctrl-C, or SIGINT from outside, stops a long statement at a clean point (the end of a
        // batch, between loop iterations), and then the program: nothing is left half-updated.
        // SIGTERM and SIGHUP stop it the same way, for good; output that cannot be written
        // stops it too.
        Interrupts.install()
        Interrupts.installStops()
        driver.session.interruptRequested = { Interrupts.pending || StandardStreams.output.failure != nil }
        configurePictures(driver.session)
        let standardInputIsTerminal = isatty(0) == 1
        if sources.isEmpty, !interactive, !standardInputIsTerminal {
            guard let text = StandardStreams.readStandardInput() else {
                StandardStreams.error.write("nn: cannot read standard input: it holds more than nn runs (\(Parser.maximumSourceSize) bytes)\n")
                return 2
            }
            return driver.runScripts([SourceFile(name: "<stdin>", text: text)])
        }
        let status = driver.runScripts(sources)
        if status == Driver.quitStatus { return 0 }
        guard sources.isEmpty || interactive else { return status }
        return prompt(driver)
    }

    /// The prompt: libedit when a person is at a terminal on both ends, plain lines otherwise
    /// (no prompt, no escape sequences: the output of a pipe matches that of a file).
    private func prompt(_ driver: Driver) -> Int32 {
        let atTerminal = isatty(0) == 1 && isatty(1) == 1
        var reader: any LineReader = PlainLineReader()
        var prompt = ""
        var continuation = ""
        if atTerminal {
            reader = EditLineReader(
                completer: Completer(session: driver.session, listDirectory: StandardStreams.listDirectory),
                history: History(path: History.defaultPath(environment: environment)),
                warn: driver.warn)
            driver.session.confirmsExpectations = true
            let palette = driver.session.palette
            // \u{1}…\u{2} tell libedit the colour codes take no room on the line.
            func paint(_ text: String) -> String {
                palette.isEnabled ? "\u{1}\(Palette.start(of: .prompt))\u{2}\(text)\u{1}\u{1B}[0m\u{2}" : text
            }
            prompt = paint("nn> ")
            continuation = paint("...> ")
            if !quiet {
                StandardStreams.output.write("\(NNCommand.configuration.version) · 'help' lists the commands · Ctrl-D leaves\n")
            }
        }
        return driver.runInteractive(reader: &reader, prompt: prompt, continuationPrompt: continuation)
    }

    private var environment: [String: String] {
        var values: [String: String] = [:]
        for name in ["NN_HISTORY", "HOME", "NO_COLOR"] {
            if let value = getenv(name) { values[name] = String(cString: value) }
        }
        return values
    }

    // MARK: - Pictures

    /// How `plot` draws: as wide as the terminal (`COLUMNS`, else the terminal's own width,
    /// else 80), and in ASCII with `--ascii` or when the locale does not say UTF-8.
    private func configurePictures(_ session: Session) {
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 0 {
            session.settings.plotWidth = min(max(columns, 20), 1000)
        } else if isatty(1) == 1 {
            var size = winsize()
            if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
                session.settings.plotWidth = min(max(Int(size.ws_col), 20), 1000)
            }
        }
        if ascii || !NNCommand.localeIsUTF8 { session.settings.charset = .ascii }
    }

    /// Whether the locale's character set is UTF-8: the first of LC_ALL, LC_CTYPE and LANG
    /// that is set decides, as the C library does. With none set the locale is "C", which is not.
    static var localeIsUTF8: Bool {
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            guard let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty else { continue }
            let lowered = value.lowercased()
            return lowered.contains("utf-8") || lowered.contains("utf8")
        }
        return false
    }

    /// Colour for a stream: `always`, `never`, or (auto) when it is a terminal and `NO_COLOR`
    /// is unset or empty (no-color.org).
    private func palette(for descriptor: Int32) -> Palette {
        switch color {
        case .always: return .ansi
        case .never: return .plain
        case .auto:
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return isatty(descriptor) == 1 && !noColor ? .ansi : .plain
        }
    }
}
