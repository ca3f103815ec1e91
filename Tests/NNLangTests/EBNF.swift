/// Just enough of ISO EBNF to read `grammar/nn.ebnf` and the rules that doc comments quote:
/// names, literals, special sequences and symbols, with `(* … *)` comments skipped.
enum EBNF {
    /// A token of a rule's right-hand side. Comparing tokens compares rules regardless of spacing.
    enum Token: Equatable, CustomStringConvertible {
        case name(String)
        case literal(String)
        case special(String)
        case symbol(String)

        var description: String {
            switch self {
            case .name(let name): return name
            case .literal(let text): return text.contains("\"") ? "'\(text)'" : "\"\(text)\""
            case .special(let text): return "? \(text) ?"
            case .symbol(let symbol): return symbol
            }
        }
    }

    /// `name = body ;`
    struct Rule: Equatable, CustomStringConvertible {
        var name: String
        var body: [Token]

        var description: String { "\(name) = \(body.map(\.description).joined(separator: " ")) ;" }

        /// The names the body refers to.
        var references: [String] {
            body.compactMap { if case .name(let name) = $0 { name } else { nil } }
        }
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every rule of a grammar file, in order.
    static func rules(inGrammar text: String) throws -> [Rule] {
        var scanner = Scanner(text[...])
        var rules: [Rule] = []
        while let token = try scanner.next() {
            guard case .name(let name) = token else {
                throw SyntaxError(description: "expected a rule name, found \(token)")
            }
            rules.append(try scanner.rule(named: name))
        }
        return rules
    }

    /// The rules quoted in the `///` doc comments of a Swift file: a doc line that begins
    /// `name =` starts one, and it runs over the following doc lines to its `;`. What follows
    /// the `;` is commentary.
    static func rules(quotedInDocCommentsOf source: String) throws -> [Rule] {
        var quoted: [Rule] = []
        var docLines: [Substring] = []
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        lines.append("")  // ends a doc comment on the last line
        for line in lines {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("///") {
                docLines.append(trimmed.dropFirst(3))
                continue
            }
            quoted += try rules(inDocComment: docLines)
            docLines = []
        }
        return quoted
    }

    private static func rules(inDocComment lines: [Substring]) throws -> [Rule] {
        var rules: [Rule] = []
        var index = 0
        while index < lines.count {
            defer { index += 1 }
            guard startsRule(lines[index]) else { continue }
            // The rest of the comment from here; the scanner stops at the rule's ';'.
            var scanner = Scanner(lines[index...].joined(separator: "\n")[...])
            guard case .name(let name) = try scanner.next() else { continue }
            let rule = try scanner.rule(named: name)
            rules.append(rule)
            index += scanner.linesRead
        }
        return rules
    }

    /// Whether a doc line reads `name = …`, as a quoted rule does and prose does not.
    private static func startsRule(_ line: Substring) -> Bool {
        let text = line.drop { $0 == " " }
        let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return text.dropFirst(name.count).drop { $0 == " " }.hasPrefix("= ")
    }

    /// Reads tokens one at a time, so that reading can stop at a rule's end.
    private struct Scanner {
        private var rest: Substring
        /// Line breaks passed so far.
        private(set) var linesRead = 0

        init(_ text: Substring) { rest = text }

        /// `= body ;` after a rule's name.
        mutating func rule(named name: String) throws -> Rule {
            guard try next() == .symbol("=") else { throw SyntaxError(description: "expected '=' after \(name)") }
            var body: [Token] = []
            while let token = try next() {
                if token == .symbol(";") { return Rule(name: name, body: body) }
                body.append(token)
            }
            throw SyntaxError(description: "rule \(name) has no ';'")
        }

        mutating func next() throws -> Token? {
            skipSpaceAndComments()
            guard let character = rest.first else { return nil }
            if character.isLetter || character == "_" {
                let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                rest = rest.dropFirst(name.count)
                return .name(String(name))
            }
            if character == "\"" || character == "'" || character == "?" {
                let body = rest.dropFirst().prefix { $0 != character }
                guard body.count + 1 < rest.count else { throw SyntaxError(description: "\(character) is not closed") }
                rest = rest.dropFirst(body.count + 2)
                linesRead += body.count { $0 == "\n" }
                if character == "?" {
                    return .special(body.split(whereSeparator: \.isWhitespace).joined(separator: " "))
                }
                return .literal(String(body))
            }
            if rest.hasPrefix("...") {
                rest = rest.dropFirst(3)
                return .symbol("...")
            }
            guard "=|{}[](),;-".contains(character) else { throw SyntaxError(description: "unexpected '\(character)'") }
            rest = rest.dropFirst()
            return .symbol(String(character))
        }

        private mutating func skipSpaceAndComments() {
            while let character = rest.first {
                if character.isWhitespace {
                    if character == "\n" { linesRead += 1 }
                    rest = rest.dropFirst()
                } else if rest.hasPrefix("(*"), let end = rest.dropFirst(2).range(of: "*)") {
                    linesRead += rest[..<end.lowerBound].count { $0 == "\n" }
                    rest = rest[end.upperBound...]
                } else {
                    return
                }
            }
        }
    }
}
