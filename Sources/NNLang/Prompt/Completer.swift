import NNEngine

/// What Tab offers for the word before the cursor.
public struct Completion: Equatable, Sendable {
    /// The partial word being completed: the text after the last word-break character.
    public var word: String
    /// Whole replacements for `word`, sorted, each starting with it.
    public var candidates: [String]
    /// What follows a single completed word: a space, nothing after `epochs=`, `sigmoid(` or a
    /// folder, and a closing quote after a file name in a string.
    public var terminator: String

    public init(word: String, candidates: [String], terminator: String) {
        self.word = word
        self.candidates = candidates
        self.terminator = terminator
    }
}

/// Context-aware completion: command names at the start of a statement, a command's option
/// keys and its word arguments (activations after `layer N`, losses after `loss`), the
/// network's parameters, variables and functions inside expressions, and file paths inside a
/// string. It reads the same command table as the parser and `help`.
///
/// The completer knows nothing of terminals: the line editor asks it, and lists folders for it
/// through `listDirectory`.
public struct Completer {
    /// Characters that end a word, shared with the line editor so both agree on what "the word
    /// before the cursor" is.
    public static let wordBreakCharacters = " \t\n\"'=([,;+-*/@<>"

    /// The most numbered weights (`w1`…) offered; a large network's are typed, not listed.
    public static let numberedWeightLimit = 10_000

    let session: Session
    /// The entries of a folder ("" for the current one), folders marked with a trailing "/".
    let listDirectory: (String) -> [String]

    public init(session: Session, listDirectory: @escaping (String) -> [String] = { _ in [] }) {
        self.session = session
        self.listDirectory = listDirectory
    }

    /// The completion of `prefix`, the text of the line up to the cursor.
    public func complete(_ prefix: String) -> Completion {
        let word = Completer.trailingWord(of: prefix)
        let lexed = Lexer.tokenize(prefix)
        var tokens = lexed.tokens.filter { $0.kind != .endOfInput }

        // Inside a string that is still open: a file path.
        if let last = tokens.last, last.kind == .invalid, last.text.hasPrefix("\"") {
            return pathCompletion(typed: String(last.text.dropFirst()), word: word)
        }
        if !word.isEmpty, let last = tokens.last, last.text.hasSuffix(word) { tokens.removeLast() }
        if let boundary = tokens.lastIndex(where: { $0.kind == .newline || $0.kind == .semicolon }) {
            tokens.removeSubrange(...boundary)
        }
        return finish(word: word, candidates: candidates(statement: tokens[...], word: word))
    }

    // MARK: - Contexts

    private func candidates(statement tokens: ArraySlice<Token>, word: String) -> [String] {
        guard let first = tokens.first else { return commandNames() + expressionNames(for: word) }
        guard first.kind == .identifier, let spec = CommandTable.command(named: first.text) else {
            return expressionNames(for: word)
        }
        let rest = tokens.dropFirst()
        if let next = rest.first, next.kind == .equals || (next.kind == .leftParen && !next.followsSpace) {
            return expressionNames(for: word)
        }
        if spec.takesStatement { return candidates(statement: rest, word: word) }
        if let previous = rest.last, previous.kind == .equals {
            let key = rest.dropLast().last?.text
            let choices = spec.options.first { $0.name == key }?.choices ?? []
            return choices + expressionNames(for: word)
        }
        if Completer.bracketDepth(rest) > 0 || rest.last.map(Completer.continuesExpression) == true {
            return expressionNames(for: word)
        }
        let (position, optionsGiven) = Completer.arguments(rest)
        var names = spec.options.filter { !optionsGiven.contains($0.name) }.map { $0.name + "=" }
        if position < spec.positional.count || spec.positional.last?.kind == .values {
            let argument = spec.positional[min(position, spec.positional.count - 1)]
            switch argument.kind {
            case .word(let list), .source(let list): names += list.words
            case .name:
                switch argument.completions {
                case .snapshots: names += Array(session.snapshots.keys)
                case .activationsAndFunctions: names += Activation.names + session.functions.keys.sorted()
                case .runs: names += session.workspace.runs.map(\.name) + [Workspace.lastRunName]
                case nil: break
                }
            case .parameter: names += parameterNames(for: word)
            case .value, .values: names += expressionNames(for: word)
            }
        }
        return names
    }

    /// Counts the positional arguments before the cursor and names the options given.
    ///
    /// At bracket depth 0, an argument starts at the first token, after a comma, or at a token
    /// set off by a space that no operator joins to the one before (`print a -1` is one
    /// argument, `layer 2 relu` three); one that is `key=` is an option.
    static func arguments(_ tokens: ArraySlice<Token>) -> (positional: Int, options: Set<String>) {
        var positional = 0
        var options: Set<String> = []
        var depth = 0
        var previous: Token?
        for index in tokens.indices {
            let token = tokens[index]
            if depth == 0, token.kind != .comma {
                let startsArgument: Bool
                if let previous {
                    startsArgument = previous.kind == .comma
                        || (token.followsSpace && !continuesExpression(previous) && !isOperator(token))
                } else {
                    startsArgument = true
                }
                if startsArgument {
                    let next = tokens.index(after: index) < tokens.endIndex ? tokens[tokens.index(after: index)] : nil
                    if token.kind == .identifier, next?.kind == .equals {
                        options.insert(token.text)
                    } else {
                        positional += 1
                    }
                }
            }
            switch token.kind {
            case .leftBracket, .leftParen: depth += 1
            case .rightBracket, .rightParen: depth = max(0, depth - 1)
            default: break
            }
            previous = token
        }
        return (positional, options)
    }

    static func bracketDepth(_ tokens: ArraySlice<Token>) -> Int {
        tokens.reduce(0) { depth, token in
            switch token.kind {
            case .leftBracket, .leftParen: return depth + 1
            case .rightBracket, .rightParen: return max(0, depth - 1)
            default: return depth
            }
        }
    }

    /// Whether a token leaves an expression unfinished (`x +`, `key=`).
    static func continuesExpression(_ token: Token) -> Bool {
        isOperator(token) || token.kind == .equals
    }

    static func isOperator(_ token: Token) -> Bool {
        [.plus, .minus, .star, .slash, .at].contains(token.kind)
    }

    // MARK: - Names

    private func commandNames() -> [String] { CommandTable.names + ["def", "for", "if", "repeat"] }

    /// Names that can start an expression: variables, the network's parameters, `loss`, and
    /// functions (offered with their opening parenthesis).
    private func expressionNames(for word: String) -> [String] {
        Array(session.variables.keys) + parameterNames(for: word) + ["loss"] + Array(Builtins.constants.keys)
            + (Builtins.names + Array(session.functions.keys)).map { $0 + "(" }
    }

    /// The parameters of the current network: W1…, b1…, and w1…wN.
    private func parameterNames(for word: String) -> [String] {
        guard let network = session.workspace.network, !network.layers.isEmpty else { return [] }
        var names: [String] = []
        for layer in 1...network.layers.count { names += ["W\(layer)", "b\(layer)"] }
        if word.hasPrefix("w") {
            let count = min(network.weightCount, Completer.numberedWeightLimit)
            names += (1...max(1, count)).lazy.map { "w\($0)" }.filter { $0.hasPrefix(word) }
        }
        return names
    }

    // MARK: - Paths

    /// Files and folders for the path typed so far inside a string. Candidates replace only
    /// `word`, the part after the last break character, as the line editor does.
    private func pathCompletion(typed: String, word: String) -> Completion {
        let folder: String
        let partial: String
        if let slash = typed.lastIndex(of: "/") {
            folder = String(typed[...slash])
            partial = String(typed[typed.index(after: slash)...])
        } else {
            folder = ""
            partial = typed
        }
        let matches = listDirectory(folder).filter { $0.hasPrefix(partial) && ($0.first != "." || partial.first == ".") }
        // Keep the part of each entry that the word covers: the word may start inside the name.
        let dropCount = max(0, partial.count - word.count)
        let candidates = matches.map { String($0.dropFirst(dropCount)) }.sorted()
        let terminator = candidates.count == 1 && !candidates[0].hasSuffix("/") ? "\"" : ""
        return Completion(word: word, candidates: candidates, terminator: terminator)
    }

    // MARK: - Helpers

    private func finish(word: String, candidates: [String]) -> Completion {
        var seen: Set<String> = []
        let matches = candidates.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
        let open = matches.count == 1 && (matches[0].hasSuffix("=") || matches[0].hasSuffix("("))
        return Completion(word: word, candidates: matches, terminator: open ? "" : " ")
    }

    /// The text after the last word-break character.
    static func trailingWord(of prefix: String) -> String {
        let breaks = Set(wordBreakCharacters)
        return String(prefix.reversed().prefix { !breaks.contains($0) }.reversed())
    }
}
