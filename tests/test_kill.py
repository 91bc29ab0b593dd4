"""SIGKILL `kg build` and `kg build --update` at points spread over a run,
the writing phase included: OUTDIR then holds the old set of outputs or the
new set, never a mix; no worker or writer survives its parent; a rerun equals
an uninterrupted build byte for byte. And two builds into one OUTDIR: the
second fails at once naming the first one's PID.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import SAMPLES_DIR
from kg.writers.atomic import TXN_DIR, recover

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted(Path(SAMPLES_DIR).glob("*.txt"))
OLD_INPUTS = [str(p) for p in SAMPLES[:2]]
NEW_INPUTS = [str(p) for p in SAMPLES]
# Every format, so the writing phase has many files and takes a while.
FORMATS = ["--rdf-format", "turtle", "--rdf-format", "ntriples", "--rdf-format", "nquads",
           "--rdf-format", "jsonld", "--rdf-format", "rdfxml"]
# When the kills land: ("time", share of an uninterrupted run's time), or ("write", seconds after the
# first output file of the writing phase appeared).
KILL_POINTS = {True: (("time", 0.3), ("write", 0.0), ("write", 0.25), ("write", 0.6)),
               False: (("write", 0.1), ("write", 0.45))}


def _kg(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "-q", *args], cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def _run(*args: str) -> float:
    t0 = time.monotonic()
    proc = _kg(*args)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return time.monotonic() - t0


def _outputs(outdir: Path) -> dict[str, str]:
    """Every top-level file of OUTDIR by digest; summary.json without what describes the run rather
    than the graph (its time, and how many papers this run extracted rather than found stored)."""
    out = {}
    for p in sorted(outdir.iterdir()):
        if not p.is_file():
            continue
        if p.name == "explorer.sqlite":  # stamped with graph.jsonl's mtime: it must describe that file
            from kg.serve.search import current_index

            out[p.name] = "describes graph.jsonl" if current_index(outdir) else "stale"
            continue
        data = p.read_bytes()
        if p.name == "summary.json":
            d = json.loads(data)
            d.pop("seconds", None)
            d.pop("extracted", None)
            data = json.dumps(d, sort_keys=True).encode()
        out[p.name] = hashlib.sha256(data).hexdigest()
    return out


def _writing(outdir: Path) -> bool:
    """A temporary output file exists: the writing phase has begun."""
    for d in (outdir, outdir / TXN_DIR):
        try:
            if any(n.endswith(".tmp") and not n.startswith(".state") for n in os.listdir(d)):
                return True
        except FileNotFoundError:
            pass
    return False


def _wait_and_kill(proc: subprocess.Popen, outdir: Path, point: tuple[str, float], duration: float) -> None:
    kind, value = point
    if kind == "time":
        time.sleep(duration * value)
    else:
        deadline = time.monotonic() + 120
        while not _writing(outdir) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(value)
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its children must follow by themselves
    proc.wait()


def _alive_in_group(pgid: int) -> list[str]:
    """Processes of the group that still run (zombies are dead, only not yet reaped)."""
    alive = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(f"{d.name} {stat[stat.index('(') + 1:stat.rindex(')')]} {fields[0]}")
    return alive


def _group_gone(pgid: int, timeout: float = 3.0) -> list[str]:
    """[] once no process of the group runs; else what still runs after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        alive = _alive_in_group(pgid)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    base = tmp_path_factory.mktemp("kill")
    old, new = base / "old", base / "new"
    _run("build", *OLD_INPUTS, "-o", str(old), "-j", "2", *FORMATS)
    t_update = _run("build", *NEW_INPUTS, "-o", str(new), "-j", "2", *FORMATS)
    return base, old, _outputs(old), _outputs(new), t_update


@pytest.mark.parametrize("update", [True, False], ids=["update", "full"])
def test_sigkill_leaves_the_old_or_the_new_set_and_no_process(sets, update):
    base, old, old_set, new_set, duration = sets
    seen = set()
    for i, point in enumerate(KILL_POINTS[update]):
        work = base / f"work-{update}-{i}"
        shutil.copytree(old, work)
        args = ["build", *NEW_INPUTS, "-o", str(work), "-j", "2", *FORMATS] + (["--update"] if update else [])
        proc = _kg(*args)
        _wait_and_kill(proc, work, point, duration)
        alive = _group_gone(proc.pid)
        assert not alive, f"kill {i}: a worker or writer outlived the killed build: {alive}"
        if (work / TXN_DIR / "COMMIT").exists():  # killed among the final renames: the next run finishes them
            recover(work)
        got = _outputs(work)
        assert got in (old_set, new_set), f"kill {i} at {point}: a mix of old and new outputs"
        seen.add("new" if got == new_set else "old")
        rerun = _kg(*args)
        _, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err.decode()
        assert _outputs(work) == new_set, f"kill {i}: the rerun differs from an uninterrupted build"
        assert not any(p.name.endswith(".tmp") for p in work.rglob("*")), "stale temporary files"
    assert "old" in seen or not update


def test_a_second_build_into_a_locked_outdir_fails_at_once_naming_the_holder(tmp_path):
    out = tmp_path / "out"
    first = _kg("build", *NEW_INPUTS, "-o", str(out), "-j", "1")
    try:
        deadline = time.monotonic() + 30
        lock = out / ".kg" / "lock"
        while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.05)
        t0 = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "kg", "build", *NEW_INPUTS, "-o", str(out)], cwd=REPO,
                                capture_output=True, text=True, timeout=60)
        assert time.monotonic() - t0 < 15
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and f"PID {first.pid}" in lines[0] and "Traceback" not in second.stderr, lines
        assert first.poll() is None, "the first build must not be disturbed"
    finally:
        _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err.decode()
