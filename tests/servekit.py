"""Running the real `kg serve` in a subprocess for tests: start it, find its URL, stop it, and see
which processes it left behind."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent

# Invented papers: a coined model based on a known one, a title that is an HTML injection, a
# javascript: URL that must never become a link.
RECORDS = [
    {"id": "2501.00001", "title": "QuillNet: Sparse Mixture-of-Experts for Document Layout",
     "abstract": "We propose QuillNet, a sparse mixture-of-experts model for document layout analysis. QuillNet is "
                 "based on the Transformer architecture and outperforms LayoutLM on PubLayNet. We train QuillNet on "
                 "8 NVIDIA A100 GPUs.", "date": "2025-01-03", "url": "https://github.com/example/quillnet",
     "authors": ["Ada Lovelace", "Alan Turing"]},
    {"id": "2501.00002", "title": "<script>alert('pwned')</script> Routing Experts with Sparse Gates",
     "abstract": "We introduce GateMix, a routing method built on mixture-of-experts layers. GateMix uses the "
                 "Transformer and is evaluated on ImageNet. Training runs on 4 TPU v4 chips.", "date": "2025-02-11"},
    {"id": "2501.00003", "title": "Scaling Mixture-of-Experts Language Models",
     "abstract": "We study mixture-of-experts scaling with the Transformer on the C4 dataset. Our model outperforms "
                 "GPT-3 on MMLU. Experiments use 64 NVIDIA H100 GPUs.", "date": "2024-11-20",
     "url": "javascript:alert(1)"},
]


def build_invented(tmp: Path) -> Path:
    """A real `kg build` (through the CLI) of :data:`RECORDS` into ``tmp/out``; the index is made then."""
    from click.testing import CliRunner

    from kg.cli import main

    src = tmp / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    out = tmp / "out"
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(out), "-j", "1"])
    assert r.exit_code == 0, r.output
    return out


def children_of(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    out, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        out += kids
        frontier += kids
    return sorted(out)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@dataclass
class Served:
    proc: subprocess.Popen
    url: str
    output: list[str] = field(default_factory=list)

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    # the names the SPARQL tests have always used
    query_endpoint = sparql

    @property
    def update_endpoint(self) -> str:
        return self.url + "/update"

    def workers(self) -> list[int]:
        return children_of(self.proc.pid)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        return self.proc.returncode


@contextlib.contextmanager
def serving(outdir: Path, *args: str, ready: float = 60) -> Iterator[Served]:
    """`python -m kg serve OUTDIR --port 0 ARGS…` from the repository root, until the block ends."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(outdir), "--port", "0", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    served = Served(proc, "")
    found = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            served.output.append(line)
            m = re.search(r"explorer\s+(http://\S+)/", line)
            if m and not served.url:
                served.url = m.group(1)
                found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + ready
        while not found.wait(0.1):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("kg serve did not start:\n" + "".join(served.output))
        _wait_until_answering(served, deadline)
        started = children_of(proc.pid)
        yield served
    finally:
        pids = set(children_of(proc.pid)) | set(locals().get("started", ()))
        served.stop()
        for pid in pids:  # never leave a worker behind, even when a test failed
            if alive(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


def _wait_until_answering(served: Served, deadline: float) -> None:
    import urllib.error
    import urllib.request

    while True:
        try:
            with urllib.request.urlopen(served.url + "/favicon.ico", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            if served.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("kg serve is not answering:\n" + "".join(served.output)) from None
            time.sleep(0.1)
