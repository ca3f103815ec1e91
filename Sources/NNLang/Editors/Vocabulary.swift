import NNEngine

/// The words of the language by kind, as the editor grammars and the man page need them: read
/// from the command table, the keyword list and the engine, so a grammar generated from them
/// cannot drift. `nn --list-words` prints `json`; `scripts/generate-editors.py` reads it.
public struct Vocabulary: Equatable, Sendable {
    /// Command words (`layer`, `train`), which start a statement.
    public var commands: [String]
    /// Reserved words: `def`, `for`, `if`, … and the word operators `and`, `or`, `not`.
    public var keywords: [String]
    /// Names with a fixed value: `true`, `false`, `e`, `pi`.
    public var constants: [String]
    /// Built-in functions that are not activations (`exp`, `transpose`, `grad`).
    public var functions: [String]
    /// Activations, which are also functions (`sigmoid(x)`).
    public var activations: [String]
    public var losses: [String]
    /// Every `key=` option name of every command.
    public var options: [String]

    /// The language as this build of nn knows it.
    public static let current: Vocabulary = {
        let activations = Activation.names
        return Vocabulary(
            commands: CommandTable.names,
            keywords: Keyword.all.sorted(),
            constants: Builtins.constants.keys.sorted(),
            functions: Builtins.names.filter { !activations.contains($0) },
            activations: activations,
            losses: Loss.names,
            options: Set(CommandTable.commands.flatMap { $0.options.map(\.name) }).sorted())
    }()

    /// The kinds in a fixed order, each with its words.
    public var kinds: [(name: String, words: [String])] {
        [("commands", commands), ("keywords", keywords), ("constants", constants), ("functions", functions),
         ("activations", activations), ("losses", losses), ("options", options)]
    }

    /// One JSON object, a key per kind, each an array of words; the same text on every run.
    public var json: String {
        let members = kinds.map { kind in
            "  \"\(kind.name)\": [" + kind.words.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
        return "{\n" + members.joined(separator: ",\n") + "\n}\n"
    }
}
