"""Shared fixtures: a clean environment, and access to the real corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clean_gazette_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's GAZETTE_* variables must not leak into tests.

    GAZETTE_ES_URL and GAZETTE_CORPUS_DIR are kept: they say where test services
    and data are, not how the archive behaves.
    """
    for key in list(os.environ):
        if key.startswith("GAZETTE_") and key not in ("GAZETTE_ES_URL", "GAZETTE_CORPUS_DIR"):
            monkeypatch.delenv(key, raising=False)
    from gazette.settings import get_settings

    get_settings.cache_clear()


def shared_corpus_dir() -> Path | None:
    env = os.environ.get("GAZETTE_CORPUS_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "corpus")
    for c in candidates:
        if (c / "state_council.jsonl").is_file():
            return c
    return None


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus; skipped when absent, but a failure under CI."""
    found = shared_corpus_dir()
    if found is None:
        msg = "the real corpus (../shared/corpus or GAZETTE_CORPUS_DIR) is not present"
        if os.environ.get("CI"):
            pytest.fail(msg + " — it is required in CI")
        pytest.skip(msg)
    return found
