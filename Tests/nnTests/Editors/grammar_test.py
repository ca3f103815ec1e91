"""The TextMate grammar (editors/vscode) tokenizes the Pygments lexer's table of snippets into
the matching scopes, with textmate-grammar-python (VS Code's tokenizer ported to Python); and
Vim loads the syntax file without an error and gives the same snippets the matching groups.

Run by EditorTests.swift, so `swift test` runs it.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
import unittest
from pathlib import Path

from pygments.token import Comment, Name, Number, Operator, Punctuation, String
from pygments_test import ROOT, SNIPPETS

import nn_lexer

# Each kind of the Pygments lexer, as a TextMate scope and a Vim syntax group.
EQUIVALENTS = {
    nn_lexer.COMMAND: ("keyword.other.command.nn", "nnCommand"),
    nn_lexer.KEYWORD: ("keyword.control.nn", "nnKeyword"),
    nn_lexer.WORD_OPERATOR: ("keyword.operator.logical.nn", "nnWordOperator"),
    nn_lexer.CONSTANT: ("constant.language.nn", "nnConstant"),
    nn_lexer.FUNCTION: ("support.function.builtin.nn", "nnFunction"),
    nn_lexer.ACTIVATION: ("support.function.activation.nn", "nnActivation"),
    nn_lexer.LOSS: ("support.constant.loss.nn", "nnLoss"),
    nn_lexer.OPTION: ("variable.parameter.option.nn", "nnOption"),
    nn_lexer.PARAMETER: ("variable.language.parameter.nn", "nnParameter"),
    Number.Float: ("constant.numeric.nn", "nnNumber"),
    String.Double: ("string.quoted.double.nn", "nnString"),
    String.Escape: ("constant.character.escape.nn", "nnEscape"),
    Comment.Single: ("comment.line.number-sign.nn", "nnComment"),
    Operator: ("keyword.operator.nn", ""),
    Punctuation: ("punctuation.nn", ""),
    Name: (None, ""),
}


class TextMateGrammarTests(unittest.TestCase):
    def test_snippets(self) -> None:
        from textmate_grammar.parsers.base import LanguageParser

        grammar = json.loads((ROOT / "editors/vscode/syntaxes/nn.tmLanguage.json").read_text(encoding="utf-8"))
        parser = LanguageParser(grammar)
        for source, word, kind in SNIPPETS:
            with self.subTest(source=source, word=word):
                tokens = parser.parse_string(source + "\n").flatten()
                # Text with no scope of its own comes joined to the spaces before it.
                scopes = [token[2][-1] for token in tokens if token[1].strip() == word or word in token[1]]
                self.assertTrue(scopes, f"no token {word!r} in {source!r}: {tokens}")
                expected = EQUIVALENTS[kind][0]
                self.assertEqual(scopes[0], expected or "source.nn")


class VimSyntaxTests(unittest.TestCase):
    def test_the_syntax_file_loads_and_classifies_the_snippets(self) -> None:
        cases = [(source, word, EQUIVALENTS[kind][1]) for source, word, kind in SNIPPETS]
        with tempfile.TemporaryDirectory() as folder:
            program = Path(folder) / "snippets.nn"
            program.write_text("".join(source + "\n" for source, _, _ in cases), encoding="utf-8")
            answers = Path(folder) / "groups"
            # For each snippet (one a line), the syntax group at the first column of its word.
            queries = [f"call add(g:found, synIDattr(synID({line}, {source.index(word) + 1}, 1), 'name'))"
                       for line, (source, word, _) in enumerate(cases, start=1)]
            commands = ["let g:found = []", "set runtimepath^=" + str(ROOT / "editors/vim"),
                        "filetype on", "syntax on", "edit " + str(program),
                        *queries, f"call writefile(g:found, '{answers}')", "qall!"]
            script = Path(folder) / "check.vim"
            script.write_text("\n".join(commands) + "\n", encoding="utf-8")
            run = subprocess.run(["vim", "-Nu", "NONE", "-i", "NONE", "-es", "-S", str(script)],
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(run.stdout + run.stderr, "")
            found = answers.read_text(encoding="utf-8").split("\n")
        for (source, word, expected), group in zip(cases, found):
            with self.subTest(source=source, word=word):
                self.assertEqual(group, expected)


if __name__ == "__main__":
    unittest.main()
