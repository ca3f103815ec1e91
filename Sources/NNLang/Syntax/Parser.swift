import NNEngine

/// A recursive-descent parser: one function per rule of `grammar/nn.ebnf`.
///
/// After an error it skips to the next statement boundary and goes on, so one run reports every
/// syntax error once. Nesting is bounded so that hostile input cannot overflow the stack.
public struct Parser {
    /// How deeply brackets, parentheses and unary operators may nest.
    public static let nestingLimit = 200
    /// The most binary operators in one expression: `1+1+…` builds a tree as deep as it is
    /// long, and every later pass over the tree recurses that deep.
    public static let operatorLimit = 10_000

    let tokens: [Token]
    var current = 0
    private var depth = 0
    /// Asked between statements: a huge script stops parsing on Ctrl-C.
    var poll = StopPoll.never
    /// Whether the last top-level token was a stray `}`, so a run of them is reported once.
    private var inStrayBraces = false
    /// Binary operators in the current statement so far.
    private var operators = 0
    var diagnostics: [Diagnostic]

    /// Signals that the current statement is abandoned; the diagnostic is already recorded.
    struct StatementAbandoned: Error {}

    init(_ lexed: LexedText) {
        tokens = lexed.tokens
        diagnostics = lexed.diagnostics
    }

    // MARK: - Statements

    /// program = { separator } [ statement { separator { separator } [ statement ] } ] ;
    /// separator = NEWLINE | ";" ;
    mutating func program() -> [Statement] {
        var statements: [Statement] = []
        while !check(.endOfInput) {
            if poll.shouldStop() { break }
            if match(.newline) || match(.semicolon) { continue }
            if check(.rightBrace) {
                let brace = advance()
                // After a block that failed, its closers are strays: report the first only.
                if !inStrayBraces {
                    diagnostics.append(Diagnostic(.expected("a statement", found: "'}' with no '{' open"), at: brace.span))
                }
                inStrayBraces = true
                continue
            }
            inStrayBraces = false
            let before = current
            do {
                statements.append(try statement())
                if !check(.newline), !check(.semicolon), !check(.endOfInput) {
                    if check(.invalid) { throw StatementAbandoned() }  // the lexer has reported it
                    throw error(.expected("end of statement", found: peek.quoted), at: peek.span)
                }
            } catch {
                synchronize()
            }
            if current == before { advance() }  // every pass consumes something
        }
        return statements
    }

    /// statement = definition | forLoop | conditional | repeatLoop
    ///           | "time" statement | command | assignment | expression ;
    /// assignment = target "=" expression ;
    private mutating func statement() throws -> Statement {
        // Each statement's trees are its own: count its operators afresh.
        let outerOperators = operators
        operators = 0
        defer { operators = outerOperators }
        let first = peek
        if first.kind == .identifier {
            switch first.text {
            case "def": return try definition()
            case "for": return try forLoop()
            case "if": return try conditional()
            case "repeat": return try repeatLoop()
            case "else", "in", "and", "or":
                throw error(.expected("a statement", found: "'\(first.text)'"), at: first.span)
            default: break
            }
        }
        if first.kind == .identifier, let spec = CommandTable.command(named: first.text), startsCommand(after: first) {
            let (next, afterNext) = (tokens[current + 1], tokens[min(current + 2, tokens.count - 1)])
            if next.kind == .leftParen, !next.followsSpace, afterNext.kind == .rightParen {
                throw error(.foreignSpelling(what: "'\(first.text)()'", nnWrites: "\(first.text): a command takes no parentheses"), at: first.span.through(afterNext.span))
            }
            return try command(spec)
        }
        if first.kind == .identifier, looksLikeCommand(after: first) {
            if let foreign = Parser.foreignWords[first.text] {
                throw error(.foreignSpelling(what: foreign.what, nnWrites: foreign.nnWrites), at: first.span)
            }
            let suggestion = Suggestion.closest(to: first.text, among: CommandTable.names)
            throw error(.unknownCommand(first.text, suggestion: suggestion), at: first.span)
        }
        let value = try expression()
        guard match(.equals) else {
            return Statement(.expression(value), span: value.span)
        }
        let target = try assignmentTarget(value)
        let assigned = try expression()
        return Statement(.assignment(target: target, value: assigned), span: value.span.through(assigned.span))
    }

    /// Other languages' statement words, and what nn writes instead.
    private static let foreignWords: [String: (what: String, nnWrites: String)] = [
        "import": ("'import'", "exp(x), sigmoid(x) and the rest as they are: they are built in ('help functions')"),
        "from": ("'from … import'", "exp(x), sigmoid(x) and the rest as they are: they are built in ('help functions')"),
        "while": ("'while'", "repeat N { … }, or for i in range(a, b) { … }"),
        "lambda": ("'lambda'", "def f(x) = EXPR"),
        "function": ("'function'", "def f(x) = EXPR"),
        "return": ("'return'", "def f(x) = EXPR: the expression is the function's value"),
        "let": ("'let'", "x = 1"),
        "var": ("'var'", "x = 1"),
    ]

    /// A command word starts a command unless it is called like a function (`grad(w5)`)
    /// or assigned to, which `statement` reports.
    private func startsCommand(after word: Token) -> Bool {
        let next = tokens[current + 1]
        if next.kind == .leftParen, !next.followsSpace, Builtins.function(named: word.text) != nil { return false }
        if next.kind == .equals { return false }
        return true
    }

    /// An unknown word followed by something that cannot continue an expression
    /// (`lyer 2 sigmoid`) was meant as a command.
    private func looksLikeCommand(after word: Token) -> Bool {
        let next = tokens[current + 1]
        switch next.kind {
        case .number, .identifier, .string: return true
        case .leftBracket: return next.followsSpace
        default: return false
        }
    }

    /// command = COMMAND_WORD { argument [ "," ] } ;
    /// argument = option | WORD | expression ;
    /// option = IDENTIFIER "=" expression ;
    /// The command table says which words take a whole statement instead: `time`.
    private mutating func command(_ spec: CommandSpec) throws -> Statement {
        let word = advance()
        var command = CommandStatement(name: word.text, nameSpan: word.span)
        if spec.takesStatement {
            guard !atStatementEnd else {
                throw error(.missingArgument(command: spec.name, what: "a statement to run"), at: peek.span)
            }
            let body = try statement()
            command.body = body
            return Statement(.command(command), span: word.span.through(body.span))
        }
        var end = word.span
        while !atStatementEnd {
            if peek.kind == .identifier, tokens[current + 1].kind == .equals {
                let key = advance()
                advance()
                let value = try expression()
                try checkOption(key, of: spec, given: command.options)
                command.options.append(CommandOption(name: key.text, nameSpan: key.span, value: value))
                end = value.span
            } else {
                // A word argument is one word: `set lr -1` sets lr to −1 rather than computing lr − 1.
                let position = command.positional.count
                let isWord = position < spec.positional.count && {
                    switch spec.positional[position].kind {
                    case .word, .source, .name: return true
                    default: return false
                    }
                }()
                let value: Expression
                // A word directly followed by '(' is a call: `explain grad(x^2, x)`.
                let isCall = tokens[current + 1].kind == .leftParen && !tokens[current + 1].followsSpace
                if isWord, peek.kind == .identifier, !isCall {
                    let word = advance()
                    value = Expression(.name(word.text), span: word.span)
                } else {
                    value = try expression()
                }
                command.positional.append(value)
                end = value.span
            }
            _ = match(.comma)
        }
        try checkPositional(command, of: spec)
        return Statement(.command(command), span: word.span.through(end))
    }

    private mutating func checkOption(_ key: Token, of spec: CommandSpec, given: [CommandOption]) throws {
        let valid = spec.options.map(\.name)
        guard valid.contains(key.text) else {
            let suggestion = Suggestion.closest(to: key.text, among: valid)
            throw error(.unknownOption(key.text, command: spec.name, suggestion: suggestion, valid: valid), at: key.span)
        }
        if given.contains(where: { $0.name == key.text }) {
            throw error(.duplicateOption(key.text), at: key.span)
        }
    }

    /// Checks the count of positional arguments and every word and parameter among them.
    private mutating func checkPositional(_ command: CommandStatement, of spec: CommandSpec) throws {
        let takesList = spec.positional.last?.kind == .values
        if !takesList, command.positional.count > spec.positional.count {
            throw error(.extraArgument(command: spec.name), at: command.positional[spec.positional.count].span)
        }
        for (index, argument) in spec.positional.enumerated() where index >= command.positional.count {
            if !argument.isOptional {
                throw error(.missingArgument(command: spec.name, what: argument.description), at: peek.span)
            }
        }
        for (value, argument) in zip(command.positional, spec.positional) {
            switch argument.kind {
            case .word(let list):
                if case .call(let name, _, _) = value.kind, argument.calls.contains(name) { break }  // explain grad(EXPR, VAR)
                guard let word = value.bareName else {
                    throw error(.expected("\(list.article) \(list.rawValue) name", found: "an expression"), at: value.span)
                }
                if !list.words.contains(word) {
                    let suggestion = Suggestion.closest(to: word, among: list.words)
                    throw error(.unknownWord(kind: list.rawValue, name: word, suggestion: suggestion), at: value.span)
                }
            case .parameter:
                // `explain forward to "F.tex"`: a bare `to` before a file name stands where an optional parameter may.
                if argument.isOptional, value.bareName == "to" { break }
                guard ParameterReference.isParameterSyntax(value) else {
                    throw error(.expectedParameter(command: spec.name), at: value.span)
                }
            case .name:
                guard value.bareName != nil else {
                    throw error(.expected("a name", found: "an expression"), at: value.span)
                }
            case .source(let list):
                if case .string = value.kind { break }
                guard let word = value.bareName else {
                    throw error(.expected("a \(list.rawValue) name or a file name in quotes", found: "an expression"), at: value.span)
                }
                if !list.words.contains(word) {
                    let suggestion = Suggestion.closest(to: word, among: list.words)
                    throw error(.unknownWord(kind: list.rawValue, name: word, suggestion: suggestion), at: value.span)
                }
            case .value, .values:
                break
            }
        }
    }

    /// target = IDENTIFIER [ index ] ;
    private mutating func assignmentTarget(_ expression: Expression) throws -> AssignmentTarget {
        switch expression.kind {
        case .name(let name):
            if CommandTable.command(named: name) != nil || Builtins.function(named: name) != nil
                || Keyword.all.contains(name) || Builtins.isReservedConstant(name) {
                throw error(.assignmentToReservedName(name), at: expression.span)
            }
            return .name(name, span: expression.span)
        case .index(let name, let nameSpan, let indices):
            return .element(name, nameSpan: nameSpan, indices: indices)
        default:
            throw error(.notAssignable, at: expression.span)
        }
    }

    // MARK: - Definitions and control flow

    /// definition = "def" IDENTIFIER "(" [ IDENTIFIER { "," IDENTIFIER } [ "," ] ] ")" "=" expression ;
    private mutating func definition() throws -> Statement {
        let keyword = advance()
        let name = try expectName(after: "def")
        if CommandTable.command(named: name.text) != nil || Builtins.function(named: name.text) != nil
            || ParameterReference.split(name.text) != nil || Builtins.isReservedConstant(name.text) {
            throw error(.assignmentToReservedName(name.text), at: name.span)
        }
        guard check(.leftParen) else { throw error(.expected("'(' and the parameters after 'def \(name.text)'", found: peek.quoted), at: peek.span) }
        let open = advance()
        var parameters: [String] = []
        while !check(.rightParen) {
            let parameter = try expectName(after: parameters.isEmpty ? "'('" : "','")
            if parameters.contains(parameter.text) { throw error(.duplicateParameter(parameter.text), at: parameter.span) }
            parameters.append(parameter.text)
            if !match(.comma) { break }  // then ')' may follow: a trailing comma, as in a call
        }
        try expectClosing(.rightParen, opener: open)
        guard match(.equals) else {
            if check(.invalid) { throw StatementAbandoned() }  // the lexer has reported it: `def f(x):`
            throw error(.expected("'=' and the function's expression", found: peek.quoted), at: peek.span)
        }
        let body = try expression()
        let definition = FunctionDefinition(name: name.text, nameSpan: name.span, parameters: parameters, body: body)
        return Statement(.functionDefinition(definition), span: keyword.span.through(body.span))
    }

    /// forLoop = "for" IDENTIFIER "in" expression block ;
    private mutating func forLoop() throws -> Statement {
        let keyword = advance()
        let variable = try expectName(after: "'for'")
        guard peek.kind == .identifier, peek.text == "in" else {
            throw error(.expected("'in' after 'for \(variable.text)'", found: peek.quoted), at: peek.span)
        }
        advance()
        let sequence = try expression()
        let (body, end) = try block(after: "for … in …")
        return Statement(.forLoop(variable: variable.text, variableSpan: variable.span, sequence: sequence, body: body), span: keyword.span.through(end))
    }

    /// conditional = "if" expression block [ "else" ( block | conditional ) ] ;
    /// `else` goes on the line of the `}` it follows, so a prompt knows the `if` is complete.
    private mutating func conditional() throws -> Statement {
        let keyword = advance()
        let condition = try expression()
        var (body, end) = try block(after: "if …")
        var otherwise: [Statement]?
        if peek.kind == .identifier, peek.text == "else" {
            advance()
            if peek.kind == .identifier, peek.text == "if" {
                let nested = try conditional()
                otherwise = [nested]
                end = nested.span
            } else {
                let (elseBody, elseEnd) = try block(after: "else")
                otherwise = elseBody
                end = elseEnd
            }
        }
        return Statement(.conditional(condition: condition, then: body, otherwise: otherwise), span: keyword.span.through(end))
    }

    /// repeatLoop = "repeat" expression block ;
    private mutating func repeatLoop() throws -> Statement {
        let keyword = advance()
        let count = try expression()
        let (body, end) = try block(after: "repeat …")
        return Statement(.repeatLoop(count: count, body: body), span: keyword.span.through(end))
    }

    /// block = "{" { separator } [ statement { separator { separator } [ statement ] } ] "}" ;
    /// Statements inside a block end at a newline, ';' or the closing '}'.
    private mutating func block(after what: String) throws -> ([Statement], SourceSpan) {
        guard check(.leftBrace) else {
            if check(.invalid) { throw StatementAbandoned() }  // the lexer has reported it: `if x > 0:`
            throw error(.expected("'{' to start the block after '\(what)'", found: peek.quoted), at: peek.span)
        }
        let open = advance()
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.nestingLimit { throw error(.nestingTooDeep(limit: Parser.nestingLimit), at: open.span) }
        var statements: [Statement] = []
        while true {
            if match(.newline) || match(.semicolon) { continue }
            if check(.rightBrace) { break }
            if check(.endOfInput) {
                throw error(.unclosed(closer: "}", opener: "{", openedAt: open.span.start, found: peek.quoted), at: peek.span)
            }
            statements.append(try statement())
            if !check(.newline), !check(.semicolon), !check(.rightBrace), !check(.endOfInput) {
                if check(.invalid) { throw StatementAbandoned() }
                throw error(.expected("end of statement", found: peek.quoted), at: peek.span)
            }
        }
        let close = advance()
        return (statements, open.span.through(close.span))
    }

    private mutating func expectName(after what: String) throws -> Token {
        guard peek.kind == .identifier, !Keyword.all.contains(peek.text) else {
            throw error(.expected("a name after \(what)", found: peek.quoted), at: peek.span)
        }
        return advance()
    }

    // MARK: - Expressions

    /// expression = conjunction { "or" conjunction } ;
    private mutating func expression() throws -> Expression {
        var left = try conjunction()
        while peek.kind == .identifier, peek.text == "or" {
            try countOperator()
            advance()
            let right = try conjunction()
            left = Expression(.binary(.or, left, right), span: left.span.through(right.span))
        }
        return left
    }

    /// conjunction = negation { "and" negation } ;
    private mutating func conjunction() throws -> Expression {
        var left = try negation()
        while peek.kind == .identifier, peek.text == "and" {
            try countOperator()
            advance()
            let right = try negation()
            left = Expression(.binary(.and, left, right), span: left.span.through(right.span))
        }
        return left
    }

    /// negation = "not" negation | comparison ;
    private mutating func negation() throws -> Expression {
        guard peek.kind == .identifier, peek.text == "not" else { return try comparison() }
        let word = advance()
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.nestingLimit { throw error(.nestingTooDeep(limit: Parser.nestingLimit), at: word.span) }
        let operand = try negation()
        return Expression(.unary(.not, operand), span: word.span.through(operand.span))
    }

    /// comparison = sum [ comparator sum ] ;
    /// comparator = "==" | "!=" | "<" | "<=" | ">" | ">=" ;
    /// Comparisons do not chain: `a < b < c` is an error, not a surprise.
    private mutating func comparison() throws -> Expression {
        let left = try sum()
        let comparisons: [TokenKind: BinaryOperator] = [
            .equalEqual: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual, .greater: .greater, .greaterEqual: .greaterEqual,
        ]
        guard let operation = try binaryOperator(among: comparisons) else { return left }
        let right = try sum()
        if comparisons[peek.kind] != nil {
            throw error(.expected("end of the comparison (comparisons do not chain)", found: peek.quoted), at: peek.span)
        }
        return Expression(.binary(operation, left, right), span: left.span.through(right.span))
    }

    /// sum = term { ( "+" | "-" ) term } ;
    private mutating func sum() throws -> Expression {
        var left = try term()
        while let operation = try binaryOperator(among: [.plus: .add, .minus: .subtract]) {
            let right = try term()
            left = Expression(.binary(operation, left, right), span: left.span.through(right.span))
        }
        return left
    }

    /// term = unary { ( "*" | "/" | "@" ) unary } ;
    private mutating func term() throws -> Expression {
        var left = try unary()
        while let operation = try binaryOperator(among: [.star: .multiply, .slash: .divide, .at: .matrixProduct]) {
            let right = try unary()
            left = Expression(.binary(operation, left, right), span: left.span.through(right.span))
        }
        return left
    }

    private mutating func binaryOperator(among candidates: [TokenKind: BinaryOperator]) throws -> BinaryOperator? {
        guard let operation = candidates[peek.kind] else { return nil }
        try countOperator()
        advance()
        return operation
    }

    private mutating func countOperator() throws {
        operators += 1
        if operators > Parser.operatorLimit {
            throw error(.expressionTooLong(limit: Parser.operatorLimit), at: peek.span)
        }
    }

    /// unary = ( "-" | "+" ) unary | power ;
    /// Every level of nesting passes through here, so this is where depth is bounded.
    private mutating func unary() throws -> Expression {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.nestingLimit {
            throw error(.nestingTooDeep(limit: Parser.nestingLimit), at: peek.span)
        }
        if peek.kind == .minus || peek.kind == .plus {
            let sign = advance()
            let operand = try unary()
            return Expression(.unary(sign.kind == .minus ? .negate : .plus, operand), span: sign.span.through(operand.span))
        }
        return try power()
    }

    /// power = primary [ "^" unary ] ;  right-associative, and tighter than a sign on its
    /// left: -x^2 is -(x^2), as in mathematics.
    private mutating func power() throws -> Expression {
        let base = try primary()
        guard match(.caret) else { return base }
        let exponent = try unary()
        return Expression(.binary(.power, base, exponent), span: base.span.through(exponent.span))
    }

    /// primary = NUMBER | STRING | IDENTIFIER [ index | call ] | list | "(" expression ")" ;
    private mutating func primary() throws -> Expression {
        let token = peek
        switch token.kind {
        case .number:
            advance()
            return Expression(.number(token.number), span: token.span)
        case .string:
            advance()
            return Expression(.string(token.string), span: token.span)
        case .identifier:
            advance()
            if peek.kind == .leftBracket, !peek.followsSpace {
                let (indices, span) = try index()
                return Expression(.index(name: token.text, nameSpan: token.span, indices: indices), span: token.span.through(span))
            }
            if peek.kind == .leftParen {
                let (arguments, span) = try bracketed(opener: .leftParen, closer: .rightParen, allowEmpty: true)
                return Expression(.call(name: token.text, nameSpan: token.span, arguments: arguments), span: token.span.through(span))
            }
            return Expression(.name(token.text), span: token.span)
        case .leftBracket:
            let (elements, span) = try bracketed(opener: .leftBracket, closer: .rightBracket, allowEmpty: true)
            return Expression(.list(elements), span: span)
        case .leftParen:
            let open = advance()
            let inner = try expression()
            try expectClosing(.rightParen, opener: open)
            return Expression(inner.kind, span: open.span.through(previous.span))
        case .invalid:
            throw StatementAbandoned()  // the lexer has reported it
        default:
            throw error(.expected("an expression", found: token.quoted), at: token.span)
        }
    }

    /// index = "[" subscript { "," subscript } [ "," ] "]" ;
    private mutating func index() throws -> ([Expression], SourceSpan) {
        let open = advance()
        var subscripts: [Expression] = []
        while peek.kind != .rightBracket {
            subscripts.append(try subscriptExpression())
            if !match(.comma) { break }
        }
        if subscripts.isEmpty { throw error(.expected("an index", found: peek.quoted), at: peek.span) }
        try expectClosing(.rightBracket, opener: open)
        return (subscripts, open.span.through(previous.span))
    }

    /// subscript = [ expression ] ":" [ expression ] | expression ;
    private mutating func subscriptExpression() throws -> Expression {
        let start = peek.span
        let from = peek.kind == .colon ? nil : try expression()
        guard match(.colon) else { return from ?? Expression(.range(from: nil, to: nil), span: start) }
        let colon = previous.span
        let to = [.comma, .rightBracket].contains(peek.kind) ? nil : try expression()
        let span = (from?.span ?? colon).through(to?.span ?? colon)
        return Expression(.range(from: from, to: to), span: span)
    }

    /// list = "[" [ expression { "," expression } [ "," ] ] "]" ;
    /// call = "(" [ expression { "," expression } [ "," ] ] ")" ;
    private mutating func bracketed(opener: TokenKind, closer: TokenKind, allowEmpty: Bool) throws -> ([Expression], SourceSpan) {
        let open = advance()
        var elements: [Expression] = []
        while peek.kind != closer {
            elements.append(try expression())
            if !match(.comma) { break }
        }
        if elements.isEmpty, !allowEmpty {
            throw error(.expected("an index", found: peek.quoted), at: peek.span)
        }
        try expectClosing(closer, opener: open)
        return (elements, open.span.through(previous.span))
    }

    /// Consumes `closer`, or reports which opener it should have closed ("to close '[' at 3:7").
    private mutating func expectClosing(_ closer: TokenKind, opener: Token) throws {
        if match(closer) { return }
        if peek.kind == .invalid { throw StatementAbandoned() }
        let closerText = closer == .rightBracket ? "]" : ")"
        // Something that could go on the expression is likely a missing comma or operator, but a
        // command word opening a line means the closer itself is missing.
        let isPunctuation = [.comma, .rightBracket, .rightParen, .endOfInput, .newline].contains(peek.kind)
        let startsLine = peek.span.start.line != previous.span.end.line
        let isCommandOnNewLine = startsLine && peek.kind == .identifier && CommandTable.command(named: peek.text) != nil
        let found = isPunctuation || isCommandOnNewLine ? peek.quoted : "\(peek.quoted) (a missing ',' or operator?)"
        throw error(.unclosed(closer: closerText, opener: opener.text, openedAt: opener.span.start, found: found), at: peek.span)
    }
}

/// A parsed program: its statements, every syntax error, and whether it stopped inside
/// an open bracket (so an interactive prompt should read another line instead of failing).
public struct ParseResult: Sendable {
    public var statements: [Statement]
    public var diagnostics: [Diagnostic]
    public var needsMoreInput: Bool
    /// Whether `shouldStop` stopped the reading: the one diagnostic says so.
    public var wasStopped = false
}
