"""The embedded index's FTS5 tokenizer: "ascii" splits the token streams the index
holds exactly as "unicode61 remove_diacritics 0" (the tokenizer of tables made before
it) does, so both index the same terms at the same positions and match the same
phrases — on real texts and on generated ones."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gazette.archive import Archive
from gazette.backends import sqlite as sqlite_backend
from gazette.backends.sqlite import chars_and_grams
from gazette.settings import Settings

OLD = "unicode61 remove_diacritics 0 tokenchars '.'"
NEW = sqlite_backend._TOKENIZE

#: Characters of generated texts: ideographs inside and just outside the indexed
#: ranges, full-width forms and radicals that the normal form folds, letters of both
#: cases (Latin, Greek, Cyrillic), digits and dots, punctuation of both widths, blanks
#: and a character beyond the BMP.
_ALPHABET = (
    "住房公积金法"
    "\u3400\u4dbf\u4dc0\u33ff\u4e00\u9fff\ua000\uf900\ufaff\ufb00"
    "０１Ａａ\u2f00\u2ee8ΠπЖж①Ⅻ"
    "aZz09.. -，。、（）《》\n\t\u3000\u00a0"
    "\U00020000"
)


def _tables(conn: sqlite3.Connection) -> None:
    for name, tokenize in (("old", OLD), ("new", NEW)):
        conn.execute(f"""CREATE VIRTUAL TABLE {name} USING fts5(chars, grams, marks, tokenize="{tokenize}")""")
        conn.execute(f"CREATE VIRTUAL TABLE {name}_v USING fts5vocab({name}, instance)")


def _rows(texts: list[str]) -> list[tuple[str, str, str]]:
    """The columns a document's text becomes, with marks of a few filter values."""
    rows = []
    for k, text in enumerate(texts):
        chars, grams = chars_and_grams(text)
        meta = (f"d{k}", k % 2, text[:6] or None, "通知", 2000 + k % 30, None, None, None, None, text[6:10] or None, k % 3 == 0)
        rows.append((chars, grams, sqlite_backend._marks_of(meta)))
    return rows


def _same_index(texts: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    _tables(conn)
    rows = _rows(texts)
    for name in ("old", "new"):
        conn.executemany(f"INSERT INTO {name}(chars, grams, marks) VALUES (?,?,?)", rows)
    query = "SELECT term, doc, col, offset FROM {}_v ORDER BY term, doc, col, offset"
    old = conn.execute(query.format("old")).fetchall()
    assert old == conn.execute(query.format("new")).fetchall()
    assert len(old) == sum(len(c.split()) + len(g.split()) + len(m.split()) for c, g, m in rows)
    return conn


def _same_matches(conn: sqlite3.Connection, phrases: list[str]) -> None:
    for phrase in phrases:
        expression = '"' + phrase.replace('"', '""') + '"'
        found = [conn.execute(f"SELECT rowid FROM {name} WHERE {name} MATCH ? ORDER BY rowid", (expression,)).fetchall() for name in ("old", "new")]
        assert found[0] == found[1], phrase


def test_a_new_archive_uses_the_tokenizer_compared_here(tmp_path: Path) -> None:
    assert NEW.startswith("ascii ")
    archive = Archive(Settings(home=tmp_path / "archive"))
    try:
        sqls = [sql for (sql,) in archive.store.conn.execute("SELECT sql FROM sqlite_master WHERE sql LIKE '%USING fts5(%'")]
    finally:
        archive.close()
    assert len(sqls) == 3
    assert all(NEW in sql for sql in sqls)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=60), min_size=1, max_size=5))
def test_both_tokenizers_index_generated_texts_alike(texts: list[str]) -> None:
    conn = _same_index(texts)
    _same_matches(conn, [c for text in texts for c in chars_and_grams(text)[0].split()[:3]])


def test_both_tokenizers_index_and_match_the_corpus_alike(corpus_dir: Path) -> None:
    texts = []
    for name in ("local_policies.jsonl", "state_council.jsonl"):
        with open(corpus_dir / name, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                texts += [record.get("title") or "", (record.get("text") or "")[:3000]]
    assert len(texts) > 2000
    conn = _same_index(texts)
    rng = random.Random(7)
    phrases = []
    for text in rng.sample([t for t in texts if len(t) > 20], 300):
        chars, grams = chars_and_grams(text)
        tokens = chars.split()
        start = rng.randrange(max(1, len(tokens) - 3))
        phrases.append(" ".join(tokens[start : start + rng.randint(1, 3)]))
        phrases.append(grams.split()[start])
    _same_matches(conn, phrases)
