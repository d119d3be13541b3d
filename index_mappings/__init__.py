"""Versioned Elasticsearch index definitions, kept as data.

Each ``<name>.json`` file beside this module holds the ``settings`` and ``mappings`` of
one index version (e.g. ``gazette-documents-v1``). A change of analysis or fields gets a
new file and a new version; indices are reached through an alias, and ``gazette
reindex`` moves the alias to an index built from the new version. Keys starting with
``_`` (such as ``_comment``) are documentation and are not sent to Elasticsearch.
"""

from __future__ import annotations

import json
from importlib import resources

__all__ = ["available", "load"]


def load(name: str) -> dict:
    """The index body (``settings`` and ``mappings``) of the version called ``name``.

    Raises :class:`FileNotFoundError` for an unknown name.
    """
    resource = resources.files(__name__).joinpath(f"{name}.json")
    if not resource.is_file():
        raise FileNotFoundError(f"no index mapping named {name!r} (have: {', '.join(available())})")
    data = json.loads(resource.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def available() -> list[str]:
    """Names of the index versions shipped with the project, sorted."""
    return sorted(
        p.name.removesuffix(".json") for p in resources.files(__name__).iterdir() if p.name.endswith(".json")
    )
