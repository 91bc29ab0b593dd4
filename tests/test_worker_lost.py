"""A build whose worker process dies on its own (the OOM killer, `kill -9` on one PID) stops with
one line naming the cause instead of waiting forever for the lost task, and leaves no outputs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _children(pid: int) -> list[int]:
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(d.name))
    return kids


def _cpu_seconds(pid: int) -> float:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _busy_workers(pid: int) -> list[int]:
    """The build's children that have done a second of work: extraction workers past loading the
    pipeline. Waiting on work done, not on a sleep, so a slow machine cannot make the test race the
    build (a short-lived child, or a worker still loading, is not counted)."""
    return [k for k in _children(pid) if _cpu_seconds(k) >= 1.0]


def _records(path: Path, n: int) -> None:
    words = ["sparse", "graph", "token", "vision", "speech", "kernel", "policy", "retrieval"]
    with path.open("w") as f:
        for i in range(n):
            a, b = words[i % 8], words[(i // 8) % 8]
            f.write(json.dumps({"id": f"p{i}", "title": f"Zorblet-{i}: {a} {b} learning at scale",
                                "abstract": f"We propose Zorblet-{i}, a {a} {b} transformer trained on "
                                            f"Quuxbench-{i % 50} with Adam. It outperforms BERT on "
                                            "question answering by 3 points."}) + "\n")


def test_a_worker_killed_alone_stops_the_build_with_one_line_and_no_outputs(tmp_path):
    src = tmp_path / "papers.jsonl"
    _records(src, 6000)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "-q", "build", str(src), "-o", str(out), "-j", "2"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(_busy_workers(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        workers = _busy_workers(proc.pid)
        assert proc.poll() is None, f"the build ended before a worker could be killed: {proc.stderr.read()!r}"
        assert workers, "no extraction worker became busy within two minutes"
        os.kill(workers[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=90)  # with multiprocessing.Pool the build waited here forever
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    lines = err.decode().strip().splitlines()
    assert proc.returncode != 0
    assert len(lines) == 1 and "worker process died" in lines[0], lines
    assert not (out / "graph.jsonl").exists()
    time.sleep(0.5)
    assert not _children(proc.pid)  # no worker outlives the build
