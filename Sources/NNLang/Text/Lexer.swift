import NNEngine

/// Turns source text into tokens.
///
/// The cursor verbs are those of Crafting Interpreters' scanner: `advance`, `peek`, `match`,
/// `isAtEnd`. Newlines inside brackets or parentheses are not statement ends, so a matrix may be
/// written over several lines; the lexer tracks the depth to know. Bad text becomes one `invalid`
/// token plus a diagnostic, and scanning goes on.
public struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private var bracketDepth = 0
    private var braceDepth = 0
    private var sawSpace = false
    private var sawSummary = false
    private var tokens: [Token] = []
    private var diagnostics: [Diagnostic] = []
    /// Asked between tokens: a huge script stops lexing on Ctrl-C.
    private var poll = StopPoll.never

    /// A byte order mark at the very start, which some editors write, is skipped: columns count
    /// from the character after it. Anywhere else it is an unexpected character.
    public init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { index = 1 }
    }

    /// Every token of the text, ending with `endOfInput`, and the problems found on the way.
    /// `poll` is asked as it goes: when it says stop, the only token is an end where it stopped.
    public static func tokenize(_ text: String, poll: StopPoll = .never) -> LexedText {
        var lexer = Lexer(text)
        lexer.poll = poll
        lexer.scanAll()
        return LexedText(tokens: lexer.tokens, diagnostics: lexer.diagnostics, endsInsideBrackets: lexer.bracketDepth > 0 || lexer.braceDepth > 0)
    }

    /// The longest line read; longer ones are reported once and skipped, so that a file of one
    /// enormous line (a minified dump, binary data) cannot make a quoted line or a token unbounded.
    public static let maximumLineLength = 1_000_000

    private mutating func scanAll() {
        while true {
            if poll.shouldStop() {  // nothing will run: keep only where it stopped
                tokens = [Token(kind: .endOfInput, text: "", span: SourceSpan(start: location, end: location))]
                return
            }
            skipSpaceAndComments()
            if column > Lexer.maximumLineLength, !isAtEnd, peek() != "\n" {
                skipLongLine()
                continue
            }
            let start = location
            let startIndex = index
            guard !isAtEnd else {
                tokens.append(Token(kind: .endOfInput, text: "", span: SourceSpan(start: start, end: start)))
                return
            }
            let (tokenCount, diagnosticCount) = (tokens.count, diagnostics.count)
            scanToken(start: start, startIndex: startIndex)
            // A token that runs past the limit (a numeral of 2 MB) is the long line's one
            // diagnostic, not a token whose text a message would quote in full.
            if line == start.line, column > Lexer.maximumLineLength + 1 {
                tokens.removeSubrange(tokenCount...)
                diagnostics.removeSubrange(diagnosticCount...)
                skipLongLine()
            }
        }
    }

    /// Reports the current line as too long and skips the rest of it.
    private mutating func skipLongLine() {
        let start = SourceLocation(line: line, column: Lexer.maximumLineLength)
        diagnostics.append(Diagnostic(.lineTooLong(line: line, limit: Lexer.maximumLineLength), at: SourceSpan(start: start, end: SourceLocation(line: line, column: start.column + 1))))
        tokens.append(Token(kind: .invalid, text: "", span: SourceSpan(start: start, end: start), followsSpace: takeSpace()))
        while !isAtEnd, peek() != "\n" { advance() }
    }

    private mutating func scanToken(start: SourceLocation, startIndex: Int) {
        let character = advance()
        switch character {
        case "\n":
            if bracketDepth == 0 { add(.newline, from: start, startIndex) } else { sawSpace = true }
        case ";": add(.semicolon, from: start, startIndex)
        case ",": add(.comma, from: start, startIndex)
        case "=": add(match("=") ? .equalEqual : .equals, from: start, startIndex)
        case "<": add(match("=") ? .lessEqual : .less, from: start, startIndex)
        case ">": add(match("=") ? .greaterEqual : .greater, from: start, startIndex)
        case "!":
            if match("=") { add(.notEqual, from: start, startIndex) } else { foreign("'!' for not", nnWrites: "not, as in not (x > 1)", from: start, startIndex) }
        case "+", "-", "*", "/":
            operatorToken(character, start: start, startIndex: startIndex)
        case "&", "|":
            if peek() == character {
                advance()
                foreign("'\(Character(character))\(Character(character))'", nnWrites: character == "&" ? "and" : "or", from: start, startIndex)
            } else {
                report(.unexpectedCharacter(character), from: start)
            }
        case "'":
            prime(start: start, startIndex: startIndex)
        case ":":
            colon(start: start, startIndex: startIndex)
        case "@": add(.at, from: start, startIndex)
        case "^": add(.caret, from: start, startIndex)
        case "{":
            braceDepth += 1
            add(.leftBrace, from: start, startIndex)
        case "}":
            braceDepth = max(0, braceDepth - 1)
            add(.rightBrace, from: start, startIndex)
        case "[", "(":
            bracketDepth += 1
            add(character == "[" ? .leftBracket : .leftParen, from: start, startIndex)
        case "]", ")":
            bracketDepth = max(0, bracketDepth - 1)
            add(character == "]" ? .rightBracket : .rightParen, from: start, startIndex)
        case "\"":
            scanString(start: start, startIndex: startIndex)
        case ".":
            if isDigit(peek()) { scanNumber(start: start, startIndex: startIndex) } else {
                dot(start: start, startIndex: startIndex)
            }
        default:
            if isDigit(character) {
                scanNumber(start: start, startIndex: startIndex)
            } else if isIdentifierStart(character) {
                while isIdentifierPart(peek()) { advance() }
                add(.identifier, from: start, startIndex)
            } else if character == "…" {
                // A printed summary pasted back in: one message for all its ellipses.
                if !sawSummary { diagnostics.append(Diagnostic(.summarizedValue, at: span(from: start))) }
                sawSummary = true
                tokens.append(Token(kind: .invalid, text: "…", span: span(from: start), followsSpace: takeSpace()))
            } else {
                report(.unexpectedCharacter(character), from: start)
            }
        }
    }

    // MARK: - Numbers and strings

    /// NUMBER = digits [ "." [ digits ] ] [ exponent ]
    ///        | "." digits [ exponent ] ;
    /// A numeral running into letters (`10x`, `1e`, `1.x`) is one bad token, as in Lua.
    private mutating func scanNumber(start: SourceLocation, startIndex: Int) {
        while isDigit(peek()) { advance() }
        // The fraction's digits are optional, so `1.` and `1.e5` are numbers, as in C and Python.
        if peek() == ".", scalars[startIndex] != "." {  // `.5` has had its point
            advance()
            while isDigit(peek()) { advance() }
        }
        if peek() == "e" || peek() == "E" {
            let signOffset = (peek(1) == "+" || peek(1) == "-") ? 2 : 1
            if isDigit(peek(signOffset)) {
                for _ in 0..<signOffset { advance() }
                while isDigit(peek()) { advance() }
            }
        }
        // Anything identifier-like or another '.' glued on makes the whole run malformed.
        if isIdentifierPart(peek()) || peek() == "." {
            while isIdentifierPart(peek()) || peek() == "." { advance() }
            let text = self.text(from: startIndex)
            diagnostics.append(Diagnostic(.malformedNumber(text), at: span(from: start)))
            tokens.append(Token(kind: .invalid, text: text, span: span(from: start), followsSpace: takeSpace()))
            return
        }
        let text = self.text(from: startIndex)
        // The scanned text is digits, one '.', and an exponent: Double always accepts it,
        // though a huge exponent reads as infinity, which is no number a user meant.
        guard let value = Double(text), value.isFinite else {
            diagnostics.append(Diagnostic(.numberOutOfRange(text), at: span(from: start)))
            tokens.append(Token(kind: .invalid, text: text, span: span(from: start), followsSpace: takeSpace()))
            return
        }
        tokens.append(Token(kind: .number, text: text, span: span(from: start), number: value, followsSpace: takeSpace()))
    }

    /// STRING = '"' { character - ( '"' | "\" | NEWLINE ) | escape } '"' ;
    /// escape = "\" ( '"' | "\" | "n" | "t" ) ;
    private mutating func scanString(start: SourceLocation, startIndex: Int) {
        var contents = String.UnicodeScalarView()
        var sawInvalidText = false
        while !isAtEnd, peek() != "\n", peek() != "\"" {
            if peek() == "\u{FFFD}", !sawInvalidText {
                reportInvalidText(inside: "string")
                sawInvalidText = true
            }
            let character = advance()
            guard character == "\\" else {
                contents.append(character)
                continue
            }
            let escapeStart = location
            switch isAtEnd ? "\n" : peek() {
            case "\"": advance(); contents.append("\"")
            case "\\": advance(); contents.append("\\")
            case "n": advance(); contents.append("\n")
            case "t": advance(); contents.append("\t")
            case "\n": break
            default:
                let escaped = advance()
                diagnostics.append(Diagnostic(
                    .unknownEscape(escaped),
                    at: SourceSpan(start: SourceLocation(line: escapeStart.line, column: escapeStart.column - 1), end: location)))
            }
        }
        guard !isAtEnd, peek() == "\"" else {
            diagnostics.append(Diagnostic(.unterminatedString, at: SourceSpan(start: start, end: SourceLocation(line: start.line, column: start.column + 1))))
            tokens.append(Token(kind: .invalid, text: text(from: startIndex), span: span(from: start), followsSpace: takeSpace()))
            return
        }
        advance()
        tokens.append(Token(
            kind: .string, text: text(from: startIndex), span: span(from: start),
            string: String(contents), followsSpace: takeSpace()))
    }

    /// `+ - * /`, or another language's `+=`, `**` or `//` as one bad token.
    private mutating func operatorToken(_ character: Unicode.Scalar, start: SourceLocation, startIndex: Int) {
        let symbol = Character(character)
        if match("=") {
            let previous = tokens.last.flatMap { $0.kind == .identifier && $0.span.end.line == line ? $0.text : nil }
            let name = previous ?? "x"
            foreign("'\(symbol)='", nnWrites: "\(name) = \(name) \(symbol) …", from: start, startIndex)
        } else if character == "*", match("*") {
            foreign("'**' for powers", nnWrites: "^, as in x^2", from: start, startIndex)
        } else if character == "/", match("/") {
            foreign("'//'", nnWrites: "# before a comment, and / for division", from: start, startIndex)
        } else {
            let kinds: [Unicode.Scalar: TokenKind] = ["+": .plus, "-": .minus, "*": .star, "/": .slash]
            add(kinds[character] ?? .invalid, from: start, startIndex)
        }
    }

    // MARK: - Other languages' spellings

    /// The names whose `.` prefixes another language's library: `np.exp(x)`.
    private static let libraryPrefixes: Set<String> = ["np", "numpy", "math", "torch", "F", "tf", "jnp", "scipy"]

    /// The name the current character touches on its left (`W1` in `W1.T`), if any.
    private var touchingName: String? {
        guard !sawSpace, let last = tokens.last, last.kind == .identifier, last.span.end.line == line else { return nil }
        return last.text
    }

    /// Whether the current character touches a value on its left: a name, `)` or `]`.
    private var touchesValue: Bool {
        guard !sawSpace, let last = tokens.last, last.span.end.line == line else { return false }
        return [.identifier, .rightParen, .rightBracket].contains(last.kind)
    }

    /// `.` not starting a number: `W1.T` (transpose) or `np.exp` (a library prefix) get a
    /// pointer to nn's spelling; anything else is an unexpected character.
    private mutating func dot(start: SourceLocation, startIndex: Int) {
        guard touchesValue, isIdentifierStart(peek()) else {
            report(.unexpectedCharacter("."), from: start)
            return
        }
        let name = touchingName
        var length = 0
        while isIdentifierPart(peek(length)) { length += 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[index..<index + length])
        let member = String(view)
        if let name, Lexer.libraryPrefixes.contains(name) {
            for _ in 0..<length { advance() }
            let call = peek() == "(" ? "\(member)(…)" : member
            foreign("'\(name).' prefix", nnWrites: "\(call): its functions need no prefix", from: start, startIndex, absorbingName: true)
        } else if member == "T" {
            advance()
            foreign("'.T' for the transpose", nnWrites: "transpose(\(name ?? "…"))", from: start, startIndex, absorbingName: name != nil)
        } else {
            report(.unexpectedCharacter("."), from: start)
        }
    }

    /// `'`: a prime after a name (`W1'` transposes in MATLAB, `sigmoid'(0)` differentiates in
    /// the notes), or a string in single quotes.
    private mutating func prime(start: SourceLocation, startIndex: Int) {
        guard touchesValue else {
            while !isAtEnd, peek() != "\n", peek() != "'" { advance() }
            _ = match("'")
            foreign("strings in single quotes", nnWrites: "\"text\" in double quotes", from: start, startIndex)
            return
        }
        let name = touchingName
        guard peek() == "(" else {
            foreign("prime (') for the transpose", nnWrites: "transpose(\(name ?? "…"))", from: start, startIndex, absorbingName: name != nil)
            return
        }
        // f'(x): the argument's text, up to the ')' that closes it on this line.
        advance()
        let argumentStart = index
        var depth = 1
        while !isAtEnd, peek() != "\n" {
            if peek() == "(" { depth += 1 }
            if peek() == ")" { depth -= 1 }
            if depth == 0 { break }
            advance()
        }
        let argument = String(String(text(from: argumentStart).drop { $0 == " " }.reversed()).drop { $0 == " " }.reversed())
        _ = match(")")
        let function = name ?? "f"
        let point = argument.isEmpty ? "x" : argument
        foreign("prime (') for the derivative", nnWrites: "deriv(\(function), \(point)), or grad(EXPR, x) for an expression", from: start, startIndex, absorbingName: name != nil)
    }

    /// `:` inside brackets: a slice (`X[2:5, :]`). After `def f(x)` or opening a block
    /// (`if x > 0:`), Python's spelling; elsewhere a colon the parser reports.
    private mutating func colon(start: SourceLocation, startIndex: Int) {
        if bracketDepth > 0 {
            add(.colon, from: start, startIndex)
            return
        }
        let lineStart = tokens.lastIndex { $0.kind == .newline || $0.kind == .semicolon }.map { $0 + 1 } ?? 0
        let first = lineStart < tokens.count ? tokens[lineStart].text : ""
        switch first {
        case "def":
            foreign("':' in a definition", nnWrites: "def f(x) = EXPR", from: start, startIndex)
        case "if", "for", "else", "while", "repeat":
            foreign("':' to start a block", nnWrites: "{ … } around the block, as in if x > 0 { print x }", from: start, startIndex)
        default:
            add(.colon, from: start, startIndex)
        }
    }

    /// Reports another language's spelling as one bad token from `start`; with `absorbingName`
    /// the name before it is part of that token (`W1.T`), so the statement is skipped whole.
    private mutating func foreign(_ what: String, nnWrites: String, from start: SourceLocation, _ startIndex: Int, absorbingName: Bool = false) {
        var tokenStart = start
        var tokenText = text(from: startIndex)
        var followsSpace = takeSpace()
        if absorbingName, let name = tokens.last {
            tokens.removeLast()
            tokenStart = name.span.start
            tokenText = name.text + tokenText
            followsSpace = name.followsSpace
        }
        diagnostics.append(Diagnostic(.foreignSpelling(what: what, nnWrites: nnWrites), at: span(from: tokenStart)))
        tokens.append(Token(kind: .invalid, text: tokenText, span: span(from: tokenStart), followsSpace: followsSpace))
    }

    // MARK: - Whitespace and comments

    /// Stops at the line-length limit, so that a comment or a run of spaces past it is reported
    /// as a long line like any other text.
    private mutating func skipSpaceAndComments() {
        while !isAtEnd, column <= Lexer.maximumLineLength {
            switch peek() {
            case " ", "\t", "\r":
                advance()
                sawSpace = true
            case "#":
                var sawInvalidText = false
                while !isAtEnd, peek() != "\n", column <= Lexer.maximumLineLength {
                    if peek() == "\u{FFFD}", !sawInvalidText {
                        reportInvalidText(inside: "comment")
                        sawInvalidText = true
                    }
                    advance()
                }
                sawSpace = true
            default:
                return
            }
        }
    }

    /// Bytes that are not UTF-8 reach the lexer as U+FFFD, one per bad sequence (the executable
    /// decodes files and input that way): inside a string or a comment they are reported once,
    /// at the first, rather than silently kept as replacement characters.
    private mutating func reportInvalidText(inside container: String) {
        diagnostics.append(Diagnostic(
            .invalidText(inside: container),
            at: SourceSpan(start: location, end: SourceLocation(line: line, column: column + 1))))
    }

    // MARK: - Cursor verbs

    private var isAtEnd: Bool { index >= scalars.count }

    private var location: SourceLocation { SourceLocation(line: line, column: column) }

    /// The scalar `offset` places ahead, or NUL past the end (NUL in the text is reported anyway).
    private func peek(_ offset: Int = 0) -> Unicode.Scalar {
        index + offset < scalars.count ? scalars[index + offset] : "\u{0}"
    }

    @discardableResult
    private mutating func advance() -> Unicode.Scalar {
        let character = scalars[index]
        index += 1
        if character == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return character
    }

    /// Consumes the next character if it is `expected`.
    private mutating func match(_ expected: Unicode.Scalar) -> Bool {
        guard !isAtEnd, peek() == expected else { return false }
        advance()
        return true
    }

    private func isDigit(_ character: Unicode.Scalar) -> Bool { ("0"..."9").contains(character) }

    private func isIdentifierStart(_ character: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(character) || ("A"..."Z").contains(character) || character == "_"
    }

    private func isIdentifierPart(_ character: Unicode.Scalar) -> Bool {
        isIdentifierStart(character) || isDigit(character)
    }

    private func text(from startIndex: Int) -> String {
        guard startIndex < index else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[startIndex..<index])
        return String(view)
    }

    /// The span from `start` to the cursor, kept on one line for newline tokens.
    private func span(from start: SourceLocation) -> SourceSpan {
        let end = location.line == start.line ? location : SourceLocation(line: start.line, column: start.column + 1)
        return SourceSpan(start: start, end: end)
    }

    private mutating func takeSpace() -> Bool {
        defer { sawSpace = false }
        return sawSpace
    }

    private mutating func add(_ kind: TokenKind, from start: SourceLocation, _ startIndex: Int) {
        tokens.append(Token(kind: kind, text: kind == .newline ? "\n" : text(from: startIndex), span: span(from: start), followsSpace: takeSpace()))
    }

    /// Reports a character no token can start with. A run of such characters (binary garbage)
    /// is one diagnostic, not one per byte.
    private mutating func report(_ problem: Problem, from start: SourceLocation) {
        let startIndex = index - 1
        while !isAtEnd, isStray(peek()) { advance() }
        diagnostics.append(Diagnostic(problem, at: span(from: start)))
        tokens.append(Token(kind: .invalid, text: text(from: startIndex), span: span(from: start), followsSpace: takeSpace()))
    }

    /// Non-ASCII and control characters, which never start a token.
    private func isStray(_ character: Unicode.Scalar) -> Bool {
        let value = character.value
        return value >= 0x7F || (value < 0x20 && character != "\n" && character != "\t" && character != "\r")
    }
}

/// What the lexer makes of a text.
public struct LexedText: Sendable {
    public var tokens: [Token]
    public var diagnostics: [Diagnostic]
    /// Whether the text ends inside an open bracket, parenthesis or block, so a prompt should
    /// read more.
    public var endsInsideBrackets: Bool
}
