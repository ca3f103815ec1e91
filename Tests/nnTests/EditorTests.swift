import Foundation
import Testing

/// The editor grammars under `editors/`: generated from `nn --list-words`, so they must match
/// what this binary says, and the Pygments lexer must lex the repository's programs. The cases
/// are in `Editors/*.py`, run here so that `swift test` runs them.
@Suite struct EditorTests {
    private func python(_ arguments: [String]) throws -> NNBinary.Run {
        try NNBinary.run(["python3"] + arguments, executable: URL(fileURLWithPath: "/usr/bin/env"),
                         environment: ["NN_BINARY": NNBinary.executable.path])
    }

    @Test func theWordListIsTheCommandTables() throws {
        let run = try NNBinary.run(["--list-words"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains(#""commands": ["input", "layer", "loss""#))
        #expect(run.standardOutput.contains(#""keywords": ["and", "def", "else", "for", "if", "in", "not", "or", "repeat"]"#))
    }

    @Test func theGrammarsAreUpToDate() throws {
        let run = try python(["scripts/generate-editors.py", "--check"])
        #expect(run.status == 0, "\(run.standardError)")
    }

    @Test func thePygmentsLexer() throws {
        try NNBinary.runPythonSuite("Tests/nnTests/Editors/pygments_test.py")
    }

    /// The VS Code (TextMate) grammar and the Vim syntax file, on the same table of snippets.
    @Test func theTextMateAndVimGrammars() throws {
        try NNBinary.runPythonSuite("Tests/nnTests/Editors/grammar_test.py")
    }
}
