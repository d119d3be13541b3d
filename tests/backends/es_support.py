"""Where the tests' Elasticsearch comes from, and per-test index prefixes.

Order of preference:

1. ``GAZETTE_ES_URL`` — a running server, e.g. the one ``scripts/es-test-server start``
   prints (that is what ``.ci/run`` does);
2. a Docker engine — one testcontainers container of the official 9.x image for the
   whole test session (single-node, security off);
3. neither — the test is skipped with the reason, except under ``CI`` where it fails:
   CI must never silently skip the Elasticsearch suite.

Each backend gets its own index prefix; :func:`drop` deletes its indices afterwards.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
import urllib.request

import pytest

from gazette.backends.elasticsearch import ElasticsearchBackend

#: Image used when a Docker engine is available and no GAZETTE_ES_URL is set.
ES_IMAGE = "docker.elastic.co/elasticsearch/elasticsearch:9.2.0"

_lock = threading.Lock()
_container_url: str | None = None


def _docker_available() -> bool:
    try:
        import docker  # installed with testcontainers

        client = docker.from_env(timeout=5)
        client.ping()
        client.close()
        return True
    except Exception:
        return False


def _wait_ready(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            # answers 200 once the cluster is yellow or green, 408 before
            with urllib.request.urlopen(f"{url}/_cluster/health?wait_for_status=yellow&timeout=5s", timeout=10):
                return
        except Exception as exc:  # not up yet
            last = str(exc)
        time.sleep(1)
    raise RuntimeError(f"Elasticsearch container at {url} did not become ready: {last}")


def _start_container() -> str:
    from testcontainers.core.container import DockerContainer

    container = (
        DockerContainer(ES_IMAGE)
        .with_env("discovery.type", "single-node")
        .with_env("xpack.security.enabled", "false")
        .with_env("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
        .with_env("cluster.routing.allocation.disk.threshold_enabled", "false")
        .with_exposed_ports(9200)
    )
    container.start()
    atexit.register(container.stop)
    url = f"http://{container.get_container_host_ip()}:{container.get_exposed_port(9200)}"
    _wait_ready(url)
    return url


def es_url() -> str:
    """The URL of the Elasticsearch the tests use (skips or fails when there is none)."""
    global _container_url
    url = os.environ.get("GAZETTE_ES_URL")
    if url:
        return url
    with _lock:
        if _container_url is None:
            if not _docker_available():
                reason = (
                    "no Elasticsearch: set GAZETTE_ES_URL (e.g. `scripts/es-test-server start`) "
                    "or provide a Docker engine"
                )
                if os.environ.get("CI"):
                    pytest.fail(f"Elasticsearch is required in CI — {reason}")
                pytest.skip(reason)
            _container_url = _start_container()
    return _container_url


def make_es_backend(prefix: str, **kwargs) -> ElasticsearchBackend:
    """A backend on its own index prefix (lower-case, unique per test)."""
    return ElasticsearchBackend(es_url(), index_prefix=prefix.lower(), timeout=kwargs.pop("timeout", 30.0), **kwargs)


def drop(backend: ElasticsearchBackend) -> None:
    """Delete every index of the backend's prefix and close its client."""
    try:
        backend.drop()
    finally:
        backend.close()
