#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNLang

/// Runs programs in one session and prints what comes back: values to standard output,
/// diagnostics to standard error. This is the only layer that prints.
final class Driver {
    /// The status `runScripts` returns when a program said `quit`: stop, successfully.
    static let quitStatus: Int32 = -1
    /// Syntax errors shown for one run; the rest are counted, so binary garbage stays readable.
    static let diagnosticLimit = 20

    let session: Session
    private let renderer = DiagnosticRenderer()

    init() {
        session = Session { text in StandardStreams.output.write(text) }
    }

    /// Parses every source first (nothing runs if any has a syntax error), then runs them in order.
    /// Returns 0, 1 on an error, or `quitStatus`.
    func runScripts(_ sources: [SourceFile]) -> Int32 {
        let parsed = sources.map { Parser.parse($0.text) }
        let errors = zip(sources, parsed).flatMap { source, result in result.diagnostics.map { (source, $0) } }
        if !errors.isEmpty {
            report(errors)
            return 1
        }
        for (source, result) in zip(sources, parsed) {
            switch session.run(result.statements) {
            case .completed, .syntaxErrors: continue
            case .quit: return Driver.quitStatus
            case .failed(let diagnostic):
                report([(source, diagnostic)])
                return 1
            }
        }
        return 0
    }

    /// The prompt: reads statements until end of input or `quit`, reporting errors and going on.
    func runInteractive() -> Int32 {
        var reader: any LineReader = PlainLineReader(showsPrompt: isatty(0) == 1 && isatty(1) == 1)
        var pending = ""
        while true {
            StandardStreams.output.flush()
            guard let line = reader.readLine(prompt: pending.isEmpty ? "nn> " : "...> ") else {
                if !pending.isEmpty { _ = runEntry(pending) }
                return 0
            }
            pending += pending.isEmpty ? line : "\n" + line
            let parsed = Parser.parse(pending)
            if parsed.needsMoreInput { continue }
            let entry = pending
            pending = ""
            if runEntry(entry, parsed: parsed) == .quit { return 0 }
        }
    }

    private func runEntry(_ text: String, parsed: ParseResult? = nil) -> Session.Flow {
        let source = SourceFile(name: "<repl>", text: text)
        let result = parsed ?? Parser.parse(text)
        if !result.diagnostics.isEmpty {
            report(result.diagnostics.map { (source, $0) })
            return .next
        }
        switch session.run(result.statements) {
        case .quit: return .quit
        case .failed(let diagnostic): report([(source, diagnostic)])
        case .completed, .syntaxErrors: break
        }
        return .next
    }

    private func report(_ diagnostics: [(SourceFile, Diagnostic)]) {
        StandardStreams.output.flush()  // keep what was printed before the error in order
        for (source, diagnostic) in diagnostics.prefix(Driver.diagnosticLimit) {
            StandardStreams.error.write(renderer.render(diagnostic, in: source) + "\n")
        }
        if diagnostics.count > Driver.diagnosticLimit {
            StandardStreams.error.write("nn: \(diagnostics.count - Driver.diagnosticLimit) more errors not shown\n")
        }
    }
}
