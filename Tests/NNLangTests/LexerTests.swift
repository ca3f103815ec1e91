import Testing
@testable import NNLang

@Suite("Lexer")
struct LexerTests {
    /// Each token as `kind text`, the end of input left out.
    static func summary(_ source: String) -> [String] {
        Lexer.tokenize(source).tokens.dropLast().map { token in
            "\(token.kind) \(token.kind == .newline ? "\\n" : token.text)"
        }
    }

    static let tokenCases: [(source: String, tokens: [String])] = [
        ("w5 = 0.4", ["identifier w5", "equals =", "number 0.4"]),
        ("layer 2 leaky_relu alpha=0.1", ["identifier layer", "number 2", "identifier leaky_relu", "identifier alpha", "equals =", "number 0.1"]),
        ("W2[1,2]", ["identifier W2", "leftBracket [", "number 1", "comma ,", "number 2", "rightBracket ]"]),
        ("a+b-c*d/e@f", ["identifier a", "plus +", "identifier b", "minus -", "identifier c", "star *", "identifier d", "slash /", "identifier e", "at @", "identifier f"]),
        ("sigmoid(0)", ["identifier sigmoid", "leftParen (", "number 0", "rightParen )"]),
        ("x = 1; y = 2", ["identifier x", "equals =", "number 1", "semicolon ;", "identifier y", "equals =", "number 2"]),
        ("a\nb\r\nc", ["identifier a", "newline \\n", "identifier b", "newline \\n", "identifier c"]),
        ("x # a comment [ \" \ny", ["identifier x", "newline \\n", "identifier y"]),
        ("# only a comment", []),
        ("_private x_1 ABC", ["identifier _private", "identifier x_1", "identifier ABC"]),
        ("print \"hi\"", ["identifier print", "string \"hi\""]),
        // Inside brackets and parentheses a newline does not end the statement.
        ("[[1, 2],\n [3, 4]]\nx", [
            "leftBracket [", "leftBracket [", "number 1", "comma ,", "number 2", "rightBracket ]", "comma ,",
            "leftBracket [", "number 3", "comma ,", "number 4", "rightBracket ]", "rightBracket ]", "newline \\n", "identifier x",
        ]),
        ("f(1,\n2)\n", ["identifier f", "leftParen (", "number 1", "comma ,", "number 2", "rightParen )", "newline \\n"]),
        // A stray closer does not make the depth negative, so the next newline still counts.
        ("]\n)\nx", ["rightBracket ]", "newline \\n", "rightParen )", "newline \\n", "identifier x"]),
    ]

    @Test(arguments: tokenCases)
    func tokenKindsAndTexts(_ testCase: (source: String, tokens: [String])) {
        let lexed = Lexer.tokenize(testCase.source)
        #expect(Self.summary(testCase.source) == testCase.tokens)
        #expect(lexed.diagnostics.isEmpty)
        #expect(lexed.tokens.last?.kind == .endOfInput)
    }

    static let numberCases: [(text: String, value: Double)] = [
        ("0", 0), ("42", 42), ("0.5", 0.5), (".5", 0.5), ("1e-3", 0.001), ("2E+5", 200_000),
        ("1e3", 1000), ("3.25e2", 325), (".5e1", 5), ("1.", 1), ("007", 7),
        ("0.10000000000000001", 0.1), ("1.7976931348623157e308", .greatestFiniteMagnitude),
    ]

    @Test(arguments: numberCases)
    func numbers(_ testCase: (text: String, value: Double)) {
        let lexed = Lexer.tokenize(testCase.text)
        #expect(lexed.diagnostics.isEmpty)
        #expect(lexed.tokens.count == 2)
        #expect(lexed.tokens[0].kind == .number)
        #expect(lexed.tokens[0].text == testCase.text)
        #expect(lexed.tokens[0].number == testCase.value)
    }

    @Test func spansCountColumnsAndLines() {
        let tokens = Lexer.tokenize("w5 = 0.4\n  b1[2]").tokens
        #expect(tokens.map(\.span) == [
            span(1, 1, 3), span(1, 4, 5), span(1, 6, 9), span(1, 9, 10),
            span(2, 3, 5), span(2, 5, 6), span(2, 6, 7), span(2, 7, 8), span(2, 8, 8),
        ])
    }

    @Test func columnsCountUnicodeScalars() {
        // 'é' is one column, so the name after the string starts at column 7.
        let tokens = Lexer.tokenize("\"café\" x").tokens
        #expect(tokens[0].span == span(1, 1, 7))
        #expect(tokens[1].span == span(1, 8, 9))
    }

    static let stringCases: [(source: String, value: String)] = [
        (#""plain""#, "plain"),
        (#""say \"hi\"""#, "say \"hi\""),
        (#""back\\slash""#, "back\\slash"),
        (#""line\nbreak""#, "line\nbreak"),
        (#""tab\there""#, "tab\there"),
        (#""""#, ""),
        (##""# not a comment""##, "# not a comment"),
        (#""[ not a bracket""#, "[ not a bracket"),
    ]

    @Test(arguments: stringCases)
    func strings(_ testCase: (source: String, value: String)) {
        let lexed = Lexer.tokenize(testCase.source)
        #expect(lexed.diagnostics.isEmpty)
        #expect(lexed.tokens[0].kind == .string)
        #expect(lexed.tokens[0].text == testCase.source)
        #expect(lexed.tokens[0].string == testCase.value)
        #expect(!lexed.endsInsideBrackets)
    }

    static let spaceCases: [(source: String, followsSpace: [Bool])] = [
        ("W2[1,2]", [false, false, false, false, false, false]),
        ("x [1]", [false, true, false, false]),
        ("x\t[1]", [false, true, false, false]),
        ("a #c\n[1]", [false, true, false, false, false]),
        (" a", [true]),
        // A newline inside brackets separates tokens as much as a space does.
        ("[a\n[1]]", [false, false, true, false, false, false]),
    ]

    @Test(arguments: spaceCases)
    func followsSpace(_ testCase: (source: String, followsSpace: [Bool])) {
        let tokens = Lexer.tokenize(testCase.source).tokens.dropLast()
        #expect(tokens.map(\.followsSpace) == testCase.followsSpace)
    }

    static let errorCases: [(source: String, tokens: [String], messages: [String], spans: [SourceSpan])] = [
        ("10x", ["invalid 10x"], ["malformed number '10x'"], [span(1, 1, 4)]),
        ("x = 10x + 1", ["identifier x", "equals =", "invalid 10x", "plus +", "number 1"], ["malformed number '10x'"], [span(1, 5, 8)]),
        ("1e", ["invalid 1e"], ["malformed number '1e'"], [span(1, 1, 3)]),
        ("1e+", ["invalid 1e", "plus +"], ["malformed number '1e'"], [span(1, 1, 3)]),
        ("1.2.3", ["invalid 1.2.3"], ["malformed number '1.2.3'"], [span(1, 1, 6)]),
        ("0x1F", ["invalid 0x1F"], ["malformed number '0x1F'"], [span(1, 1, 5)]),
        ("1e999", ["invalid 1e999"], ["number '1e999' is too large"], [span(1, 1, 6)]),
        ("\"abc", ["invalid \"abc"], ["unterminated string"], [span(1, 1, 2)]),
        ("\"abc\nx", ["invalid \"abc", "newline \\n", "identifier x"], ["unterminated string"], [span(1, 1, 2)]),
        (#""a\qb""#, ["string \"a\\qb\""], ["unknown escape '\\q' in string"], [span(1, 3, 5)]),
        ("$", ["invalid $"], ["unexpected character '$'"], [span(1, 1, 2)]),
        ("a.b", ["identifier a", "invalid .", "identifier b"], ["unexpected character '.'"], [span(1, 2, 3)]),
        ("café", ["identifier caf", "invalid é"], ["unexpected character U+00E9"], [span(1, 4, 5)]),
        ("x\u{0}", ["identifier x", "invalid \u{0}"], ["unexpected character U+0000"], [span(1, 2, 3)]),
        ("\u{FFFD}", ["invalid \u{FFFD}"], ["unexpected character (bytes that are not UTF-8 text)"], [span(1, 1, 2)]),
        // A run of binary garbage is one diagnostic, not one per byte.
        ("\u{1}\u{2}\u{FFFD}\u{80}\u{7F}é\u{0} x", ["invalid \u{1}\u{2}\u{FFFD}\u{80}\u{7F}é\u{0}", "identifier x"], ["unexpected character U+0001"], [span(1, 1, 8)]),
        // Bytes that are not UTF-8 arrive as U+FFFD: in a string or a comment, one diagnostic at the first.
        ("print \"caf\u{FFFD} \u{FFFD}\u{FFFD}\"", ["identifier print", "string \"caf\u{FFFD} \u{FFFD}\u{FFFD}\""],
         ["bytes that are not UTF-8 text in a string: nn reads scripts as UTF-8"], [span(1, 11, 12)]),
        ("x = 1\n# caf\u{FFFD}\u{FFFD}", ["identifier x", "equals =", "number 1", "newline \\n"],
         ["bytes that are not UTF-8 text in a comment: nn reads scripts as UTF-8"], [span(2, 6, 7)]),
        // A byte order mark is skipped at the start only; columns count from after it.
        ("\u{FEFF}x = $", ["identifier x", "equals =", "invalid $"], ["unexpected character '$'"], [span(1, 5, 6)]),
        ("x\u{FEFF}", ["identifier x", "invalid \u{FEFF}"], ["unexpected character U+FEFF"], [span(1, 2, 3)]),
        ("$ 10x", ["invalid $", "invalid 10x"], ["unexpected character '$'", "malformed number '10x'"], [span(1, 1, 2), span(1, 3, 6)]),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: (source: String, tokens: [String], messages: [String], spans: [SourceSpan])) {
        let lexed = Lexer.tokenize(testCase.source)
        #expect(Self.summary(testCase.source) == testCase.tokens)
        #expect(lexed.diagnostics.map(\.message) == testCase.messages)
        #expect(lexed.diagnostics.map(\.span) == testCase.spans)
    }

    /// A line past the limit is one diagnostic at the limit's column whatever fills it: a
    /// comment, spaces or a token. A line exactly at the limit is fine.
    static let longLineCases: [(source: String, tokens: [String], messages: [String], spans: [SourceSpan])] = [
        ("x = 1 # " + String(repeating: "c", count: Lexer.maximumLineLength) + "\ny",
         ["identifier x", "equals =", "number 1", "invalid ", "newline \\n", "identifier y"],
         ["line 1 is longer than 1000000 characters"], [span(1, 1_000_000, 1_000_001)]),
        ("x\n" + String(repeating: " ", count: Lexer.maximumLineLength + 1) + "\ny",
         ["identifier x", "newline \\n", "invalid ", "newline \\n", "identifier y"],
         ["line 2 is longer than 1000000 characters"], [span(2, 1_000_000, 1_000_001)]),
        ("#" + String(repeating: "c", count: Lexer.maximumLineLength - 1), [], [], []),
    ]

    @Test(arguments: longLineCases)
    func longLines(_ testCase: (source: String, tokens: [String], messages: [String], spans: [SourceSpan])) {
        let lexed = Lexer.tokenize(testCase.source)
        #expect(Self.summary(testCase.source) == testCase.tokens)
        #expect(lexed.diagnostics.map(\.message) == testCase.messages)
        #expect(lexed.diagnostics.map(\.span) == testCase.spans)
    }

    static let bracketCases: [(source: String, endsInside: Bool)] = [
        ("[1, 2", true), ("[1, 2]", false), ("f(1", true), ("f(1)", false), ("[[1, 2],\n", true),
        ("]", false), ("\"[\"", false), ("# [", false), ("x = 1", false), ("[(]", true),
    ]

    @Test(arguments: bracketCases)
    func endsInsideBrackets(_ testCase: (source: String, endsInside: Bool)) {
        #expect(Lexer.tokenize(testCase.source).endsInsideBrackets == testCase.endsInside)
    }
}
