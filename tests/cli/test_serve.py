"""`gazette serve --workers N`: several processes on one port, the parent accepting and
handing connections to them in turn, and supervising them (a real server in a
subprocess, real connections)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gazette.archive import Archive
from gazette.settings import Settings
from tests.factories import make_doc

REPO = Path(__file__).resolve().parents[2]

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``gazette serve`` in a subprocess; its output goes to a file read by :meth:`log`."""

    def __init__(self, home: Path, workers: int, tmp: Path) -> None:
        self.port = _free_port()
        self.log_path = tmp / "serve.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
        env.update(GAZETTE_HOME=str(home), PYTHONPATH=str(REPO))
        self.log_file = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gazette_cli.main", "serve", "--port", str(self.port),
             "--workers", str(workers), "--no-access-log"],
            env=env,
            cwd=REPO,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text()

    def worker_pids(self) -> list[int]:
        return [int(p) for p in re.findall(r"Started server process \[(\d+)\]", self.log())]

    def wait_for(self, started: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.log().count("Application startup complete") < started:
            assert self.proc.poll() is None, self.log()
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.1)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        finally:
            self.log_file.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its parent) counts as gone
    return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def _search(conn: http.client.HTTPConnection) -> dict:
    conn.request("GET", "/api/v1/search?q=%E4%BD%8F%E6%88%BF")
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, body
    return json.loads(body)


def _sockets_of(pid: int) -> set[str]:
    """The socket inodes a process holds."""
    links = (os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir())
    return {link[8:-1] for link in links if link.startswith("socket:[")}


def _on_port(port: int, state: str) -> set[str]:
    """The inodes of the TCP sockets on local ``port`` in ``state`` (``/proc/net/tcp``:
    0A listening, 01 established)."""
    out = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == state and int(fields[1].split(":")[1], 16) == port:
            out.add(fields[9])
    return out


@pytest.fixture
def home(tmp_path) -> Path:
    h = tmp_path / "home"
    archive = Archive(Settings(home=h))
    doc = make_doc("住房管理办法", "住房保障。")
    archive.store.put_document(doc)
    archive.backend.index([archive.store.get_document(doc.id)])
    archive.close()
    return h


def test_workers_share_the_port_and_the_connections(home, tmp_path):
    """Keep-alive connections opened together are split evenly over the workers (the
    parent hands them out in turn) and every worker answers on the ones it holds."""
    server = Server(home, 2, tmp_path)
    try:
        server.wait_for(2)
        pids = server.worker_pids()
        assert len(set(pids)) == 2 and server.proc.pid not in pids
        conns = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=30) for _ in range(24)]
        for conn in conns:
            conn.connect()
        for conn in conns:
            assert _search(conn)["total"] == 1
        # one listening socket, the parent's; the connections are the workers', 12 each
        listening = _on_port(server.port, "0A")
        assert len(listening) == 1 and listening <= _sockets_of(server.proc.pid)
        connected = _on_port(server.port, "01")
        assert len(connected) == 24
        held = {pid: _sockets_of(pid) & connected for pid in pids}
        assert sorted(map(len, held.values())) == [12, 12], held
        assert not _sockets_of(server.proc.pid) & connected
        for conn in conns:
            conn.close()
    finally:
        assert server.stop() == 0
    assert not any(_alive(pid) for pid in pids)


def test_a_worker_that_dies_is_replaced(home, tmp_path):
    server = Server(home, 2, tmp_path)
    try:
        server.wait_for(2)
        first = server.worker_pids()
        os.kill(first[0], signal.SIGKILL)
        server.wait_for(3)
        replacement = server.worker_pids()[2]
        assert replacement not in first
        assert f"worker {first[0]} exited" in server.log()
        for _ in range(8):  # new connections reach a live worker, whichever
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            assert _search(conn)["total"] == 1
            conn.close()
    finally:
        assert server.stop() == 0
    assert not _alive(replacement) and not _alive(first[1])


def test_workers_must_be_positive(home, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "gazette_cli.main", "serve", "--workers", "0"],
        env={**os.environ, "GAZETTE_HOME": str(home), "PYTHONPATH": str(REPO)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--workers" in result.stderr


def test_workers_that_cannot_start_stop_the_server(tmp_path):
    """An archive the workers cannot open makes every start fail: the server stops
    with a clear error instead of starting workers forever."""
    not_a_directory = tmp_path / "home"
    not_a_directory.write_text("not an archive")
    result = subprocess.run(
        [sys.executable, "-m", "gazette_cli.main", "serve", "--workers", "2", "--port", str(_free_port())],
        env={**os.environ, "GAZETTE_HOME": str(not_a_directory), "PYTHONPATH": str(REPO)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "server workers in a row exited right after starting" in result.stderr
    assert result.stderr.count("starting another") == 2
