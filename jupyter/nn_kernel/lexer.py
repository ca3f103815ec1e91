# A copy of editors/pygments/nn_lexer.py, written by scripts/generate-editors.py: edit that one.
"""A Pygments lexer for nn programs (.nn): notebooks, LaTeX minted, documentation.

Use it without installing anything:  pygmentize -l editors/pygments/nn_lexer.py:NNLexer -x FILE.nn
or in minted:  \\inputminted{editors/pygments/nn_lexer.py:NNLexer -x}{FILE.nn}

The word lists between the GENERATED markers come from `nn --list-words` through
scripts/generate-editors.py; a test fails when they differ from the command table.
"""
from __future__ import annotations

import re
from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, default, words
from pygments.token import (Comment, Error, Keyword, Name, Number, Operator, Punctuation, String,
                            Whitespace, _TokenType)

# BEGIN GENERATED WORDS (scripts/generate-editors.py)
COMMANDS = ('input', 'layer', 'loss', 'data', 'split', 'normalize', 'explain', 'gradcheck', 'deriv', 'table', 'expect', 'example', 'snapshot', 'restore', 'undo', 'evaluate', 'confusion', 'report', 'history', 'show', 'forward', 'grad', 'step', 'train', 'crossval', 'optimizer', 'descend', 'freeze', 'unfreeze', 'init', 'predict', 'plot', 'draw', 'summary', 'reset', 'clear', 'save', 'load', 'export', 'print', 'set', 'time', 'help', 'quit', 'exit')
KEYWORDS = ('and', 'def', 'else', 'for', 'if', 'in', 'not', 'or', 'repeat')
CONSTANTS = ('e', 'false', 'pi', 'true')
FUNCTIONS = ('exp', 'sin', 'cos', 'log', 'ln', 'sqrt', 'abs', 'sum', 'mean', 'max', 'min', 'transpose', 'range', 'onehot', 'grad', 'deriv', 'jacobian', 'numderiv', 'predict', 'hcat', 'vcat', 'rows', 'cols')
ACTIVATIONS = ('linear', 'step', 'sign', 'piecewise_linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softplus', 'softmax')
LOSSES = ('sse', 'mse', 'cross_entropy', 'binary_cross_entropy', 'huber', 'pseudo_huber')
OPTIONS = ('all', 'alpha', 'as', 'augment', 'batch', 'batchnorm', 'beta1', 'beta2', 'class_weight', 'classes', 'clip', 'delta', 'dropout', 'dtype', 'epochs', 'eps', 'eta_minus', 'eta_plus', 'every', 'factor', 'features', 'from', 'gamma', 'h', 'header', 'height', 'history_size', 'init', 'inputs', 'k', 'l1', 'layer', 'limit', 'line_search', 'log_every', 'lr', 'lr_patience', 'max_iter', 'min_delta', 'min_lr', 'momentum', 'n', 'noise', 'optimizer', 'path', 'paths', 'patience', 'quiet', 'restore_best', 'run', 'runs', 'sample', 'samples', 'schedule', 'seed', 'sep', 'shuffle', 'step', 'step_max', 'step_min', 'steps', 'stratify', 'target', 'target_loss', 'test', 'to', 'tol', 'tolerance_change', 'tolerance_grad', 'unit', 'validation', 'variant', 'warmup', 'watch', 'watch_every', 'weight_decay', 'width', 'x', 'y')
# END GENERATED WORDS

# The token kinds, one per class of word, so the tests and the themes agree on them.
COMMAND: _TokenType = Keyword.Reserved
KEYWORD: _TokenType = Keyword
WORD_OPERATOR: _TokenType = Operator.Word
CONSTANT: _TokenType = Keyword.Constant
FUNCTION: _TokenType = Name.Builtin
ACTIVATION: _TokenType = Name.Function.Magic
LOSS: _TokenType = Name.Constant
OPTION: _TokenType = Name.Attribute
PARAMETER: _TokenType = Name.Variable.Magic

IDENTIFIER = r'[A-Za-z_][A-Za-z0-9_]*'
# Where a statement starts: a line's start, or after ';' or '{' (and after the command 'time').
STATEMENT_START = r'(?:(?<=^)|(?<=\n)|(?<=;)|(?<=\{))'
# A command word is a call when '(' follows, and an assignment when '=' does.
COMMAND_END = r'\b(?![ \t]*[(=])'


class NNLexer(RegexLexer):
    """nn: a small language for building, training and inspecting neural networks."""

    name = 'nn'
    aliases: ClassVar[list[str]] = ['nn']
    filenames: ClassVar[list[str]] = ['*.nn']
    mimetypes: ClassVar[list[str]] = ['text/x-nn']
    url = 'https://github.com/'
    flags = re.MULTILINE

    tokens: ClassVar[dict[str, list]] = {
        'root': [
            # A command word where a statement starts, unless a call or assignment follows
            # (before the whitespace rule, which would otherwise take the indentation).
            (STATEMENT_START + r'([ \t]*)(time)' + COMMAND_END, bygroups(Whitespace, COMMAND), 'timed'),
            (STATEMENT_START + r'([ \t]*)' + words(COMMANDS, suffix=COMMAND_END).get(), bygroups(Whitespace, COMMAND)),
            (r'#.*?$', Comment.Single),
            (r'[ \t\r]+', Whitespace),
            (r'\n', Whitespace),
            (r'"', String.Double, 'string'),
            (r'(?<![\w.])(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\w.])', Number.Float),
            (r'(?<![\w.])[\d.][\w.]*', Error),  # 10x, 1.x, 1..2: one bad numeral, as nn reports it
            (words(('and', 'or', 'not'), suffix=r'\b'), WORD_OPERATOR),
            (words(tuple(k for k in KEYWORDS if k not in ('and', 'or', 'not')), suffix=r'\b'), KEYWORD),
            # key=value options: a name directly before one '='.
            (r'(' + IDENTIFIER + r')(=)(?!=)', bygroups(OPTION, Operator)),
            (r'[Wbw](?:0|[1-9]\d{0,8})\b', PARAMETER),
            (words(CONSTANTS, suffix=r'\b(?!\()'), CONSTANT),
            (words(ACTIVATIONS, suffix=r'\b'), ACTIVATION),
            (words(LOSSES, suffix=r'\b'), LOSS),
            (words(FUNCTIONS, suffix=r'\b(?=[ \t]*\()'), FUNCTION),
            (IDENTIFIER, Name),
            (r'==|!=|<=|>=|[-+*/@^<>=]', Operator),
            (r'[()\[\]{},;:]', Punctuation),
        ],
        # 'time' takes a whole statement, which may start with a command.
        'timed': [
            (r'([ \t]+)' + words(COMMANDS, suffix=COMMAND_END).get(), bygroups(Whitespace, COMMAND), '#pop'),
            default('#pop'),
        ],
        'string': [
            (r'\\["\\nt]', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, '#pop'),
        ],
    }
