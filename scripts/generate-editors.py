#!/usr/bin/env python3
"""Writes the word lists of the editor grammars from `nn --list-words`, the command table's own
account of the language, so the grammars cannot drift from it.

    scripts/generate-editors.py           rewrite the files
    scripts/generate-editors.py --check   exit 1, naming the files, when any would change

The binary is NN_BINARY, else .build/debug/nn. Writes:
    editors/pygments/nn_lexer.py   the block between the GENERATED markers
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
Words = dict[str, list[str]]


def list_words() -> Words:
    binary = os.environ.get("NN_BINARY", str(ROOT / ".build/debug/nn"))
    output = subprocess.run([binary, "--list-words"], check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def pygments_lexer(words: Words, current: str) -> str:
    """The lexer with its generated block replaced."""
    lines = [f"{kind.upper()} = ({', '.join(repr(word) for word in items)}{',' if len(items) == 1 else ''})"
             for kind, items in words.items()]
    block = "# BEGIN GENERATED WORDS (scripts/generate-editors.py)\n" + "\n".join(lines) + "\n# END GENERATED WORDS\n"
    pattern = re.compile(r"# BEGIN GENERATED WORDS.*?# END GENERATED WORDS\n", re.DOTALL)
    if not pattern.search(current):
        raise SystemExit("generate-editors: no GENERATED markers in the Pygments lexer")
    return pattern.sub(lambda _: block, current)


GENERATORS: dict[str, Callable[[Words, str], str]] = {
    "editors/pygments/nn_lexer.py": pygments_lexer,
}


def main() -> int:
    check = "--check" in sys.argv[1:]
    words = list_words()
    stale = []
    for relative, generate in GENERATORS.items():
        path = ROOT / relative
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        wanted = generate(words, current)
        if wanted == current:
            continue
        stale.append(relative)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(wanted, encoding="utf-8")
    if check and stale:
        print("generate-editors: out of date with the command table (run scripts/generate-editors.py): "
              + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
