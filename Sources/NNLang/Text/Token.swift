/// The kinds of token the lexer produces.
public enum TokenKind: Equatable, Sendable {
    case number
    case identifier
    case string
    case leftBracket, rightBracket  // [ ]
    case leftParen, rightParen  // ( )
    case leftBrace, rightBrace  // { }
    case caret  // ^
    case comma, equals, semicolon, colon
    case plus, minus, star, slash, at
    case equalEqual, notEqual, less, lessEqual, greater, greaterEqual  // == != < <= > >=
    case newline
    /// Text the lexer could not make sense of; it has already reported why.
    case invalid
    case endOfInput
}

/// One token: its kind, its exact text, where it is, and its value for numbers and strings.
public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var text: String
    public var span: SourceSpan
    /// The value of a number token; 0 for others.
    public var number: Double
    /// The contents of a string token with escapes resolved; the text for others.
    public var string: String
    /// Whether whitespace (or a comment) separates this token from the previous one.
    /// `W2[1,2]` indexes W2, while `print x [1, 2]` prints two values.
    public var followsSpace: Bool

    public init(
        kind: TokenKind, text: String, span: SourceSpan, number: Double = 0, string: String? = nil,
        followsSpace: Bool = false
    ) {
        self.kind = kind
        self.text = text
        self.span = span
        self.number = number
        self.string = string ?? text
        self.followsSpace = followsSpace
    }

    /// How the token reads in a message: `'['`, `'sigmoid'`, `end of line`.
    public var quoted: String {
        switch kind {
        case .newline: return "end of line"
        case .endOfInput: return "end of input"
        case .string: return "string \(text)"
        case .number: return "number '\(text)'"
        default: return "'\(text)'"
        }
    }
}
