import Testing
@testable import NNLang

/// `grammar/nn.ebnf` against the code that implements it: the rules the parser and the lexer
/// quote, the command table, and the grammar's own consistency; then a table of programs that
/// pins the decisions where they once disagreed.
@Suite("Grammar")
struct GrammarTests {
    static func grammar() throws -> [String: EBNF.Rule] {
        let rules = try EBNF.rules(inGrammar: PackageFiles.text("grammar/nn.ebnf"))
        return Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func parserQuotes() throws -> [EBNF.Rule] {
        try EBNF.rules(quotedInDocCommentsOf: PackageFiles.text("Sources/NNLang/Syntax/Parser.swift"))
    }

    static func lexerQuotes() throws -> [EBNF.Rule] {
        try EBNF.rules(quotedInDocCommentsOf: PackageFiles.text("Sources/NNLang/Text/Lexer.swift"))
    }

    /// The token rules the lexer scans with a function of their own, which quotes them. The rest
    /// (IDENTIFIER, NEWLINE, COMMAND_WORD, WORD, digits, letters) are character classes or lists
    /// checked elsewhere, not functions.
    static let rulesTheLexerQuotes: Set = ["NUMBER", "STRING"]

    // MARK: - The quotes in the code

    @Test func everyQuotedRuleIsInTheGrammarAsWritten() throws {
        let grammar = try Self.grammar()
        let quotes = try Self.parserQuotes() + Self.lexerQuotes()
        #expect(quotes.count >= 25, "too few quotes found: the reader of doc comments is broken")
        for quote in quotes {
            guard let rule = grammar[quote.name] else {
                Issue.record("the code quotes \(quote.name), which the grammar does not define")
                continue
            }
            #expect(quote == rule, "the code quotes\n  \(quote)\nthe grammar says\n  \(rule)")
        }
    }

    /// The syntax rules are those `program` reaches without passing through a token rule (an
    /// upper-case name); the parser has a function for each, which quotes it.
    @Test func everySyntaxRuleIsQuotedByTheParser() throws {
        let grammar = try Self.grammar()
        var syntaxRules: Set = ["program"]
        var pending = ["program"]
        while let name = pending.popLast() {
            for reference in grammar[name]?.references ?? [] where reference.first?.isLowercase == true {
                if syntaxRules.insert(reference).inserted { pending.append(reference) }
            }
        }
        #expect(syntaxRules.count >= 20, "too few syntax rules found: the reachability walk is broken")
        let quoted = Set(try Self.parserQuotes().map(\.name))
        #expect(syntaxRules.subtracting(quoted).sorted() == [], "syntax rules no parse function quotes")
    }

    @Test func theLexerQuotesItsTokenRules() throws {
        let quoted = Set(try Self.lexerQuotes().map(\.name))
        #expect(Self.rulesTheLexerQuotes.subtracting(quoted).sorted() == [])
    }

    // MARK: - The command words

    @Test func theCommandWordsAreTheCommandTable() throws {
        let rule = try #require(try Self.grammar()["COMMAND_WORD"])
        var words: [String] = []
        for (position, token) in rule.body.enumerated() {
            switch (position.isMultiple(of: 2), token) {
            case (true, .literal(let word)): words.append(word)
            case (false, .symbol("|")): break
            default: Issue.record("COMMAND_WORD should be literals separated by '|', found \(token)")
            }
        }
        let table = CommandTable.names
        #expect(words.filter { !table.contains($0) } == [], "in the grammar but not the command table")
        #expect(table.filter { !words.contains($0) } == [], "in the command table but not the grammar")
        #expect(Set(words).count == words.count, "a command word is listed twice")
    }

    // MARK: - The grammar itself

    @Test func everyRuleIsDefinedOnceAndUsed() throws {
        let rules = try EBNF.rules(inGrammar: PackageFiles.text("grammar/nn.ebnf"))
        let defined = rules.map(\.name)
        let referenced = Set(rules.flatMap(\.references))
        #expect(defined.filter { name in defined.count { $0 == name } > 1 } == [], "rules defined twice")
        #expect(referenced.subtracting(defined).sorted() == [], "rules used but not defined")
        #expect(Set(defined).subtracting(referenced).subtracting(["program"]).sorted() == [], "rules defined but not used")
    }

    // MARK: - Decisions

    /// Programs at the edges where the grammar and the code once disagreed, with the tree each
    /// parses to.
    static let acceptedCases: [(source: String, tree: String)] = [
        // A trailing comma closes a parameter list as it does a call, a list and an index.
        ("def f(x,) = x", "(def f (x) x)"),
        ("def f(x, y,) = x", "(def f (x y) x)"),
        ("f(1,)", "(call f 1)"),
        ("[1, 2,]", "[1 2]"),
        ("W[1, 2,]", "(index W 1 2)"),
        // A numeral's fraction digits are optional after its point, with an exponent or without.
        ("1.", "1"),
        ("1.e5", "100000"),
        ("2.E-1", "0.2"),
        ("1.5e+1", "15"),
        (".5", "0.5"),
        (".5e1", "5"),
    ]

    @Test(arguments: acceptedCases)
    func accepted(_ testCase: (source: String, tree: String)) {
        let result = Parser.parse(testCase.source)
        #expect(result.diagnostics.map(\.message) == [])
        #expect(TreeText.program(result.statements) == testCase.tree)
    }

    static let refusedCases: [(source: String, messages: [String])] = [
        ("def f(,) = 1", ["expected a name after '(', found ','"]),
        ("def f(x,,) = x", ["expected a name after ',', found ','"]),
        ("f(,)", ["expected an expression, found ','"]),
        ("[1,,2]", ["expected an expression, found ','"]),
        ("1.x", ["malformed number '1.x'"]),
        ("1.e", ["malformed number '1.e'"]),
        ("1.e+", ["malformed number '1.e'"]),
        ("1..2", ["malformed number '1..2'"]),
        ("1.5.", ["malformed number '1.5.'"]),
        (".5.3", ["malformed number '.5.3'"]),
        (".e5", ["unexpected character '.'"]),
        (". 5", ["unexpected character '.'"]),
    ]

    @Test(arguments: refusedCases)
    func refused(_ testCase: (source: String, messages: [String])) {
        #expect(Parser.parse(testCase.source).diagnostics.map(\.message) == testCase.messages)
    }
}
