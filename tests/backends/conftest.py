"""The ``backend`` fixture: every contract test runs on each search backend.

Each test gets a fresh archive store in a temporary folder and, for Elasticsearch, its
own index prefix (created and dropped around the test).
"""

from __future__ import annotations

import uuid

import pytest

from gazette.backends.sqlite import SQLiteBackend
from gazette.store import Store


@pytest.fixture(params=["sqlite", "elasticsearch"])
def backend_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "archive")
    yield s
    s.close()


@pytest.fixture
def backend(backend_name: str, store: Store):
    if backend_name == "sqlite":
        b = SQLiteBackend(store)
        yield b
        b.close()
        return
    from tests.backends import es_support

    b = es_support.make_es_backend(f"t{uuid.uuid4().hex[:10]}")
    try:
        yield b
    finally:
        es_support.drop(b)


@pytest.fixture
def load(store: Store, backend):
    """Store documents in the record store and index them in the backend."""

    def _load(docs):
        stored = [store.put_document(d) for d in docs]
        for d in docs:
            for ev in d.events:
                store.add_event(ev)
        stored = [store.get_document(d.id) for d in docs]
        backend.index(stored)
        return stored

    return _load
