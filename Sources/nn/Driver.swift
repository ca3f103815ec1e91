#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNLang

/// Runs programs in one session and prints what comes back: values to standard output,
/// diagnostics and warnings to standard error. This is the only layer that prints.
final class Driver {
    /// The status `runScripts` returns when a program said `quit`: stop, successfully.
    static let quitStatus: Int32 = -1
    /// Syntax errors shown for one run; the rest are counted, so binary garbage stays readable.
    static let diagnosticLimit = 20

    /// What the first `...>` of a session says once.
    static let continuationHint = "(the statement goes on until its brackets close; Ctrl-C drops it)"

    let session: Session
    private let renderer: DiagnosticRenderer
    private let warningPalette: Palette

    /// - Parameters:
    ///   - outputPalette: colours for standard output (headings, the prompt).
    ///   - errorPalette: colours for standard error (diagnostics, warnings).
    init(outputPalette: Palette = .plain, errorPalette: Palette = .plain) {
        session = Session { text in StandardStreams.output.write(text) }
        session.palette = outputPalette
        session.progressStyle = isatty(1) == 1 ? .live : .lines
        renderer = DiagnosticRenderer(palette: errorPalette)
        warningPalette = errorPalette
    }

    /// Parses every source first (nothing runs if any has a syntax error), then runs them in order.
    /// Returns 0, 1 on an error, `quitStatus`, or 128 + the signal whenever SIGINT (SIGTERM, SIGHUP) stopped
    /// anything: a statement between others, a loop, or a `train` that was the last statement.
    func runScripts(_ sources: [SourceFile]) -> Int32 {
        let parsed = sources.map { Parser.parse($0.text, shouldStop: session.interruptRequested) }
        let errors = zip(sources, parsed).flatMap { source, result in result.diagnostics.map { (source, $0) } }
        if !errors.isEmpty {
            report(errors)
            return session.interruptRequested() ? stopped(reported: true) : 1  // "interrupted while reading the program"
        }
        for (source, result) in zip(sources, parsed) {
            session.report = { [unowned self] diagnostic in self.report([(source, diagnostic)]) }
            switch session.run(result.statements) {
            case .completed, .syntaxErrors: continue
            case .quit: return session.failedExpectations > 0 ? 1 : Driver.quitStatus
            case .interrupted:
                return stopped()
            case .failed(let diagnostic):
                report([(source, diagnostic)])
                return session.interruptRequested() ? stopped(reported: true) : 1  // "interrupted at iteration 3"
            }
        }
        // `train` stops at the end of a batch and returns normally: the last statement may have been.
        if session.interruptRequested() { return stopped() }
        // A failed expect or gradcheck was reported where it happened; the run still fails.
        return session.failedExpectations > 0 ? 1 : 0
    }

    /// The status of a program that a signal stopped (130, 143, 129), said on standard error.
    /// Output that failed stops a program too; the caller reports that.
    private func stopped(reported: Bool = false) -> Int32 {
        if StandardStreams.output.failure != nil { return 1 }
        if !reported { StandardStreams.error.write(Interrupts.stoppedMessage) }
        return Interrupts.stoppedStatus
    }

    /// The prompt: reads statements until end of input or `quit`, reporting errors and going on.
    /// A statement runs once the parser says it is complete; until then the continuation
    /// prompt asks for more.
    func runInteractive(reader: inout any LineReader, prompt: String, continuationPrompt: String) -> Int32 {
        var pending: [String] = []
        // The first continuation of a session says how to get out of it; a pipe has no prompt to explain.
        var explainedContinuation = continuationPrompt.isEmpty
        while true {
            if !pending.isEmpty, !explainedContinuation {
                StandardStreams.output.write(Driver.continuationHint + "\n")
                explainedContinuation = true
            }
            StandardStreams.output.flush()
            // SIGTERM or SIGHUP, or output nobody can read, ends the session.
            if Interrupts.stopSignal != nil || StandardStreams.output.failure != nil { return stopped() }
            switch reader.readLine(prompt: pending.isEmpty ? prompt : continuationPrompt) {
            case .endOfInput:
                // Ctrl-D leaves the cursor after the prompt: the shell's prompt goes on a line of its own.
                if !prompt.isEmpty { StandardStreams.output.write("\n") }
                if !pending.isEmpty { _ = runEntry(pending.joined(separator: "\n")) }
                return 0
            case .interrupted:
                // libedit leaves the cursor after the prompt; a pipe has no prompt to end.
                if !prompt.isEmpty { StandardStreams.output.write("\n") }
                pending = []
            case .line(let line):
                reader.remember(line)
                pending.append(line)
                let text = pending.joined(separator: "\n")
                let parsed = Parser.parse(text)
                if parsed.needsMoreInput { continue }
                pending = []
                if runEntry(text, parsed: parsed) == .quit { return 0 }
            }
        }
    }

    private func runEntry(_ text: String, parsed: ParseResult? = nil) -> Session.Flow {
        let source = SourceFile(name: "<repl>", text: text)
        let result = parsed ?? Parser.parse(text)
        if !result.diagnostics.isEmpty {
            report(result.diagnostics.map { (source, $0) })
            return .next
        }
        session.report = { [unowned self] diagnostic in self.report([(source, diagnostic)]) }
        switch session.run(result.statements) {
        case .quit: return .quit
        case .failed(let diagnostic): report([(source, diagnostic)])
        case .interrupted: StandardStreams.output.write("interrupted\n")
        case .completed, .syntaxErrors: break
        }
        return .next
    }

    func warn(_ message: String) {
        StandardStreams.output.flush()
        StandardStreams.error.write("nn: \(warningPalette.paint("warning:", as: .warning)) \(message)\n")
    }

    private func report(_ diagnostics: [(SourceFile, Diagnostic)]) {
        StandardStreams.output.flush()  // keep what was printed before the error in order
        // Once output fails, what stops the program is that, which `main` reports.
        guard StandardStreams.output.failure == nil else { return }
        for (source, diagnostic) in diagnostics.prefix(Driver.diagnosticLimit) {
            StandardStreams.error.write(renderer.render(diagnostic, in: source) + "\n")
        }
        if diagnostics.count > Driver.diagnosticLimit {
            StandardStreams.error.write("nn: \(diagnostics.count - Driver.diagnosticLimit) more errors not shown\n")
        }
    }
}
