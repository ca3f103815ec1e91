/// explain … to "FILE.tex" or "FILE.md": the explanation written for slides and hand-outs.
extension ExplainCommand {
    /// Where an explanation goes: the terminal, or a file whose extension names its format.
    enum Destination {
        case terminal
        case latex(path: String, span: SourceSpan)
        case markdown(path: String, span: SourceSpan)
    }

    /// The file after a bare `to` among the positional arguments after WHAT, if any.
    static func destination(_ invocation: Invocation) throws(Diagnostic) -> Destination {
        let positional = invocation.statement.positional
        guard let index = positional.indices.dropFirst().first(where: { positional[$0].bareName == "to" }) else {
            if positional.count > 2, case .string = positional[positional.count - 1].kind {
                throw Diagnostic(.expected("'to' before a file name", found: "a file name: write to \"FILE\""), at: positional[positional.count - 1].span)
            }
            return .terminal
        }
        guard index + 1 < positional.count, case .string(let path) = positional[index + 1].kind, !path.isEmpty else {
            throw Diagnostic(.missingArgument(command: "explain", what: "a file name in quotes after 'to'"), at: positional[index].span)
        }
        let span = positional[index + 1].span
        let lowered = path.lowercased()
        if lowered.hasSuffix(".tex") { return .latex(path: path, span: span) }
        if lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") { return .markdown(path: path, span: span) }
        throw Diagnostic(.expectedValue(what: "a file name ending in .tex or .md", got: "'\(path)'"), at: span)
    }

    /// Writes `explanation` where it goes: its lines at the terminal, or the whole file, which
    /// is replaced whole, and says so.
    func deliver(_ explanation: Explanation, to destination: Destination, _ invocation: Invocation) throws(Diagnostic) {
        let title = "explain " + invocation.statement.positional.prefix { $0.bareName != "to" }.map { ExpressionText.text($0) }.joined(separator: " ")
        let path: String
        let span: SourceSpan
        let text: String
        switch destination {
        case .terminal:
            explanation.textLines.forEach(invocation.write)
            return
        case .latex(let file, let fileSpan):
            (path, span, text) = (file, fileSpan, explanation.latex(title: title))
        case .markdown(let file, let fileSpan):
            (path, span, text) = (file, fileSpan, explanation.markdown(title: title))
        }
        if case .failure(let error) = FileAccess.writeFile(path, Array(text.utf8)) {
            throw Diagnostic(.file(error), at: span)
        }
        invocation.write("saved \(path)")
    }
}
