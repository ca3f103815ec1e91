import NNEngine

/// The parser's cursor over the tokens: the few verbs every parse function uses, as in clox
/// (peek, previous, check, advance, match), with error recording and recovery.
extension Parser {
    var peek: Token { tokens[current] }
    var previous: Token { tokens[max(0, current - 1)] }

    var atStatementEnd: Bool {
        check(.newline) || check(.semicolon) || check(.endOfInput) || check(.rightBrace)
    }

    func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[current]
        if token.kind != .endOfInput { current += 1 }
        return token
    }

    mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    /// Records a diagnostic and returns the error that abandons the statement.
    mutating func error(_ problem: Problem, at span: SourceSpan) -> StatementAbandoned {
        diagnostics.append(Diagnostic(problem, at: span))
        return StatementAbandoned()
    }

    /// Skips to the start of the next top-level statement, over whole blocks: the `}` of a
    /// block the failed statement opened is part of it, not a stray.
    mutating func synchronize() {
        var depth = 0
        while !check(.endOfInput) {
            if depth == 0, check(.newline) || check(.semicolon) { return }
            if check(.leftBrace) { depth += 1 }
            if check(.rightBrace) { depth = max(0, depth - 1) }
            advance()
        }
    }
}

extension WordList {
    var article: String { "aeiou".contains(rawValue.first ?? "x") ? "an" : "a" }
}
