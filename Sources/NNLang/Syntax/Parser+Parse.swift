import NNEngine

/// The entry point: a whole text parsed, within the size limit, stopping on Ctrl-C.
extension Parser {
    /// The largest program nn parses, in bytes: 32 MiB. Tokens and syntax take about a hundred
    /// bytes per byte of source, so a larger one would run out of memory; data belongs in files.
    public static let maximumSourceSize = 32 << 20

    /// Parses a whole program. `shouldStop` (Ctrl-C) is asked as the text is read: when it says stop, the result is one
    /// "interrupted" diagnostic and no statements.
    public static func parse(_ text: String, shouldStop: @escaping () -> Bool = { false }) -> ParseResult {
        let size = text.utf8.count
        guard size <= maximumSourceSize else {
            let start = SourceLocation(line: 1, column: 1)
            let problem = Diagnostic(.sourceTooLarge(bytes: size, limit: maximumSourceSize), at: SourceSpan(start: start, end: start))
            return ParseResult(statements: [], diagnostics: [problem], needsMoreInput: false)
        }
        let poll = StopPoll(shouldStop)
        let lexed = Lexer.tokenize(text, poll: poll)
        var parser = Parser(lexed)
        parser.poll = poll
        let statements = poll.isStopped ? [] : parser.program()
        if poll.isStopped {
            let location = parser.peek.span.start
            let stop = Diagnostic(.interruptedWhile("reading the program: nothing ran"), at: SourceSpan(start: location, end: location))
            return ParseResult(statements: [], diagnostics: [stop], needsMoreInput: false, wasStopped: true)
        }
        let diagnostics = parser.diagnostics.sorted { ($0.span?.start ?? SourceLocation(line: 0, column: 0)) < ($1.span?.start ?? SourceLocation(line: 0, column: 0)) }
        return ParseResult(statements: statements, diagnostics: diagnostics, needsMoreInput: lexed.endsInsideBrackets)
    }
}
