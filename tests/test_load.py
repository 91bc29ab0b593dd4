"""scripts/load.py against the real `kg serve`, with small numbers: it reports rates, latencies and
errors, and refuses any target that is not on loopback."""

from __future__ import annotations

import json
import subprocess
import sys

from servekit import ROOT, build_invented, serving


def test_load_script_reports_rate_latency_and_no_errors(tmp_path):
    out = build_invented(tmp_path)
    with serving(out) as s:
        proc = subprocess.run([sys.executable, "scripts/load.py", "--url", s.url, "--clients", "4", "--seconds", "2"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["requests"] > 20 and result["errors"] == 0, result
    assert result["requests_per_s"] > 0 and 0 < result["p50_ms"] <= result["p99_ms"]
    assert set(result["by_kind"]) == {"sparql", "page", "search"}
    assert all(k["errors"] == 0 for k in result["by_kind"].values())


def test_load_script_refuses_a_target_off_loopback():
    proc = subprocess.run([sys.executable, "scripts/load.py", "--url", "http://192.0.2.1:7878", "--seconds", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "loopback" in proc.stderr
