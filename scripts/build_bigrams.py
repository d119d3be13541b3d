"""Write ``ingest/data/bigrams.txt``: the character pairs of common Chinese words.

The language score of :mod:`ingest.quality` asks, for each ideograph of a page, whether
it forms a known pair with a neighbour. The pairs come from jieba's dictionary (the
installed package's ``dict.txt``) and the project's user dictionary: two adjacent
ideographs of a dictionary word whose frequencies, summed over the words they occur in,
reach :data:`MIN_FREQ` (pairs only rare words have are hit by chance by wrongly mapped
text more often than real text needs them). Shipping the pairs means ingest never loads
jieba's 350,000-word dictionary (about 0.6 s and 100 MB per process) just to judge a
text layer.

File format: one line per first character, sorted: the character, then every character
that follows it in some pair, sorted (``律师例规``… for 法律, 法师, 法例, 法规).

    python scripts/build_bigrams.py          # rewrite the file
    python scripts/build_bigrams.py --check  # exit 1 when the file is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "ingest" / "data" / "bigrams.txt"
USERDICT = REPO / "gazette" / "data" / "userdict.txt"
#: Summed dictionary frequency a pair needs to count.
MIN_FREQ = 5

_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def _words(path: Path):
    """(word, frequency) of a jieba dictionary file, for words of ideographs only; a
    word without a frequency (allowed in a user dictionary) counts as common."""
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if parts and _HAN_WORD.fullmatch(parts[0]):
            yield parts[0], int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else MIN_FREQ


def build() -> str:
    """The file's text, from the installed jieba dictionary and the user dictionary."""
    import jieba

    freq: dict[str, int] = defaultdict(int)
    for source in (Path(jieba.__file__).with_name("dict.txt"), USERDICT):
        for word, f in _words(source):
            for a, b in zip(word, word[1:]):
                freq[a + b] += f
    follows: dict[str, set[str]] = defaultdict(set)
    for pair, f in freq.items():
        if f >= MIN_FREQ:
            follows[pair[0]].add(pair[1])
    return "".join(a + "".join(sorted(follows[a])) + "\n" for a in sorted(follows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    args = parser.parse_args()
    text = build()
    if args.check:
        same = TARGET.exists() and TARGET.read_text("utf-8") == text
        print("up to date" if same else f"{TARGET} is out of date: run {Path(__file__).name}")
        return 0 if same else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, "utf-8")
    pairs = sum(len(line) - 1 for line in text.splitlines())
    print(f"wrote {TARGET.relative_to(REPO)}: {pairs} pairs, {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
