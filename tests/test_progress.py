"""The progress display of `kg build` on a terminal (run under a real
pseudo-terminal): stage names, count/total, rate and ETA, redrawn at least
once a second through every stage; nothing at all when stderr is not a
terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import progress
from kg.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")

TOPICS = ("sparse attention", "graph pooling", "speech separation", "image inpainting", "code search")


def corpus(path: Path, n: int) -> Path:
    """``n`` invented papers, each distinct, in one JSON Lines file."""
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            topic = TOPICS[i % len(TOPICS)]
            fh.write(json.dumps({
                "id": f"2405.{i:05d}", "title": f"Zelnet-{i}: {topic} at scale",
                "abstract": f"We propose Zelnet-{i}, a model for {topic}, trained on 4 NVIDIA A100 GPUs "
                            f"and evaluated on the Kavir-{i % 7} benchmark, where it outperforms BERT.",
            }) + "\n")
    return path


def run_on_pty(args: list[str], cwd: Path, timeout: float = 600) -> tuple[int, list[tuple[float, str]]]:
    """Run with stderr on a pseudo-terminal; (exit code, [(seconds since start, chunk)])."""
    master, slave = pty.openpty()
    t0 = time.monotonic()
    proc = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                            env={**os.environ, "COLUMNS": "160", "TERM": "xterm"})
    os.close(slave)
    chunks: list[tuple[float, str]] = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append((time.monotonic() - t0, data.decode("utf-8", "replace")))
            elif proc.poll() is not None:
                break
            assert time.monotonic() - t0 < timeout, "build did not finish"
    finally:
        os.close(master)
        code = proc.wait(timeout=60)
    return code, chunks


@pytest.fixture(scope="module")
def terminal_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("progress")
    src = corpus(tmp / "papers.jsonl", 3000)
    return run_on_pty([sys.executable, "-m", "kg", "build", str(src), "-o", str(tmp / "out"), "-j", "1",
                       "--rdf-format", "ntriples"], ROOT)


def frames(chunks):
    """Each redraw's visible text."""
    return [(t, ANSI.sub("", text)) for t, text in chunks]


def test_every_stage_is_named_with_count_total_rate_and_eta(terminal_build):
    code, chunks = terminal_build
    assert code == 0
    text = "".join(f for _, f in frames(chunks))
    for stage in ("reading", "extracting", "resolving", "writing papers.jsonl", "graph.nt",
                  "writing the search index"):
        assert stage in text, stage
    extracting = [f for _, f in frames(chunks) if "extracting" in f]
    assert any(re.search(r"\d[\d,]*/3,000 papers", f) for f in extracting)
    assert any(re.search(r"[\d.,]+ papers/s", f) for f in extracting)
    assert any(re.search(r"ETA \d+:\d\d:\d\d", f) for f in extracting)
    assert any(re.search(r"[\d.]+ [kM]?B/[\d.]+ [kM]?B", f) for _, f in frames(chunks) if "reading" in f)
    writing = [f for _, f in frames(chunks) if "writing papers.jsonl" in f]
    assert any(re.search(r"\d[\d,]*/3,000 papers", f) for f in writing)


def test_the_display_never_freezes_for_more_than_a_second(terminal_build):
    code, chunks = terminal_build
    times = [t for t, _ in chunks]
    # from the first frame to the last, while the build works
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) > 5 and max(gaps) < 1.0, max(gaps)


def test_no_display_when_stderr_is_not_a_terminal(tmp_path):
    src = corpus(tmp_path / "papers.jsonl", 20)
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "-o", str(tmp_path / "out"), "-j", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" not in proc.stderr and "\r" not in proc.stderr
    assert "extracting" not in proc.stderr


def test_quiet_means_errors_only_even_on_a_terminal(tmp_path):
    src = corpus(tmp_path / "papers.jsonl", 20)
    code, chunks = run_on_pty([sys.executable, "-m", "kg", "-q", "build", str(src), "-o", str(tmp_path / "out"),
                               "-j", "1"], ROOT)
    assert code == 0
    assert "".join(c for _, c in chunks).strip() == ""


class _Stages(progress.Reporter):
    def __init__(self) -> None:
        self.stages: list[tuple[str, float | None]] = []

    def stage(self, name, total=None, unit="papers"):
        self.stages.append((name, total))


def test_an_update_tells_how_many_papers_it_will_extract(tmp_path):
    """Only the new and changed papers of the files read again count, so the stage has a total and an ETA."""
    src = corpus(tmp_path / "papers.jsonl", 12)
    build(BuildOptions(inputs=[src], outdir=tmp_path / "out"))
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    more = corpus(tmp_path / "more.jsonl", 15).read_text(encoding="utf-8").splitlines(keepends=True)[12:]
    src.write_text("".join(lines + more), encoding="utf-8")  # the file changed: read again, 3 new papers
    seen = _Stages()
    with progress.reporting(seen):
        summary = build(BuildOptions(inputs=[src], outdir=tmp_path / "out", update=True))
    assert summary.extracted == 3
    assert ("extracting", 3) in seen.stages
