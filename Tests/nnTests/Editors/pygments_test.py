"""The Pygments lexer (editors/pygments/nn_lexer.py): every .nn file in the repository lexes
without an error token, and a table of snippets gets the token kinds it should.

Run by EditorTests.swift, so `swift test` runs it; needs Pygments.
"""
from __future__ import annotations

import subprocess
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "editors/pygments"))

import nn_lexer  # noqa: E402
from nn_lexer import NNLexer  # noqa: E402
from pygments.token import Comment, Error, Name, Number, Operator, Punctuation, String  # noqa: E402

# Files that hold bad tokens on purpose: the golden tests of the lexer's own messages.
DELIBERATELY_BAD = {
    "Tests/nnTests/Golden/binary-garbage.nn",
    "Tests/nnTests/Golden/foreign-spellings.nn",
    "Tests/nnTests/Golden/malformed-number.nn",
    "Tests/nnTests/Golden/nul-in-comment.nn",
    "Tests/nnTests/Golden/paste-summary.nn",  # the … a summarized value prints, pasted back  # NULs in comments are fine, the last one is not
}

# (source, word, the kind it must get); the word's first occurrence in the source is checked.
SNIPPETS = [
    ("layer 3 sigmoid", "layer", nn_lexer.COMMAND),
    ("layer 3 sigmoid", "sigmoid", nn_lexer.ACTIVATION),
    ("  train epochs=100 lr=0.5", "train", nn_lexer.COMMAND),
    ("  train epochs=100 lr=0.5", "epochs", nn_lexer.OPTION),
    ("  train epochs=100 lr=0.5", "0.5", Number.Float),
    ("x = 1; print x", "print", nn_lexer.COMMAND),
    ("if x > 0 { print x } else { undo }", "undo", nn_lexer.COMMAND),
    ("if x > 0 { print x }", "if", nn_lexer.KEYWORD),
    ("time train", "train", nn_lexer.COMMAND),
    ("time print loss", "loss", Name),
    ("print grad(w5)", "grad", nn_lexer.FUNCTION),
    ("grad(w5)", "grad", nn_lexer.FUNCTION),
    ("print grad(w5)", "w5", nn_lexer.PARAMETER),
    ("W2[1,2] = 0.5", "W2", nn_lexer.PARAMETER),
    ("print b1", "b1", nn_lexer.PARAMETER),
    ("print w05", "w05", Name),
    ("loss cross_entropy", "cross_entropy", nn_lexer.LOSS),
    ("print loss", "loss", Name),
    ("def f(x) = exp(-x)", "def", nn_lexer.KEYWORD),
    ("def f(x) = exp(-x)", "exp", nn_lexer.FUNCTION),
    ("print exp", "exp", Name),
    ("for r in rows { print r }", "in", nn_lexer.KEYWORD),
    ("print 1 and not 0", "and", nn_lexer.WORD_OPERATOR),
    ("print true", "true", nn_lexer.CONSTANT),
    ("print pi", "pi", nn_lexer.CONSTANT),
    ("print 1e-3", "1e-3", Number.Float),
    ("print .5", ".5", Number.Float),
    ('save "model.nn"', '"', String.Double),
    ('print "a\\tb"', "\\t", String.Escape),
    ("print 1 # the end", "# the end", Comment.Single),
    ("print x == 1", "==", Operator),
    ("print X @ W1", "@", Operator),
    ("print [1, 2]", "[", Punctuation),
]


def tokens(source: str) -> list[tuple[object, str]]:
    return [(kind, text) for kind, text in NNLexer().get_tokens(source) if text]


class PygmentsLexerTests(unittest.TestCase):
    def test_every_program_in_the_repository_lexes_without_errors(self) -> None:
        listed = subprocess.run(["git", "ls-files", "*.nn"], cwd=ROOT, capture_output=True, text=True, check=True)
        paths = [path for path in listed.stdout.split() if path not in DELIBERATELY_BAD]
        self.assertGreater(len(paths), 50)
        for path in paths:
            text = (ROOT / path).read_text(encoding="utf-8", errors="replace")
            errors = [value for kind, value in tokens(text) if kind in Error]
            self.assertEqual(errors, [], path)

    def test_a_deliberately_bad_file_does_get_error_tokens(self) -> None:
        errors = [value for kind, value in tokens("print W1' + 10x") if kind in Error]
        self.assertEqual(errors, ["'", "10x"])

    def test_snippets(self) -> None:
        for source, word, kind in SNIPPETS:
            with self.subTest(source=source, word=word):
                found = [found for found, text in tokens(source) if text == word]
                self.assertTrue(found, f"no token {word!r} in {source!r}: {tokens(source)}")
                self.assertEqual(found[0], kind)

    def test_the_lexer_is_found_by_file_name(self) -> None:
        self.assertIn("*.nn", NNLexer.filenames)


if __name__ == "__main__":
    unittest.main()
