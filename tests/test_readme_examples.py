"""The README's examples run as written: every shell block marked
``<!-- runnable -->`` is run, in order, by bash in one scratch directory on
the bundled sample, through a ``kg`` on PATH that is this checkout's code.
(Blocks that need a server of the reader's own — Neo4j, a FalkorDB URL, a
long-running ``kg serve`` — are left unmarked.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "<!-- runnable -->"
BLOCK = re.compile(re.escape(MARK) + r"\s*\n```(?:sh|bash)\n(.*?)```", re.DOTALL)


def runnable_blocks(text: str) -> list[str]:
    return BLOCK.findall(text)


def test_the_marker_finds_the_blocks_it_should():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = runnable_blocks(text)
    assert text.count(MARK) == len(blocks), "a runnable marker not followed by a ```sh block"
    assert len(blocks) >= 4
    assert runnable_blocks(f"{MARK}\n```sh\nkg stats\n```\n\n```sh\nkg serve\n```\n") == ["kg stats\n"]


def test_every_runnable_readme_example_runs_as_written(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "kg"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kg "$@"\n')
    shim.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    (work / "scripts").symlink_to(ROOT / "scripts")  # the examples name scripts/queries/… from the repo root
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    for block in runnable_blocks((ROOT / "README.md").read_text(encoding="utf-8")):
        proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=work, env=env,
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, f"README block failed:\n{block}\n--- stderr:\n{proc.stderr[-3000:]}"
