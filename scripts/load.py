#!/usr/bin/env python3
"""Load on a running `kg serve`, on loopback only, for a bounded time: concurrent clients sending a
mix of SPARQL queries, entity/paper pages and searches; prints one JSON object with requests/s,
p50/p99 latency and errors (overall and per kind).

Each client is a thread with one keep-alive HTTP/1.1 connection, sending requests back to back
until the time is up (or --max-requests in all). A request counts as an error when it does not
come back 200, or fails at the socket. The target must be a loopback address: this is a tool for
measuring our own server on this machine, never anything else.

Usage:
  python scripts/load.py --url http://127.0.0.1:7878 --clients 50 --seconds 30
  python scripts/load.py --outdir kg-out --clients 50 --seconds 30     # starts kg serve itself
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import random
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SPARQL = [
    "SELECT ?name WHERE { ?m a kgo:Method ; skos:prefLabel ?name } ORDER BY ?name LIMIT 20",
    "ASK { ?p kgo:proposes ?m }",
    "SELECT ?p ?title WHERE { ?p a kgo:Paper ; dcterms:title ?title } LIMIT 10",
    "SELECT ?e (COUNT(?p) AS ?n) WHERE { ?p kgo:uses ?e } GROUP BY ?e ORDER BY DESC(?n) LIMIT 10",
]
SEARCHES = ["moe", "mixture", "transformer", "llama", "gpu", "image", "lang", "bert", "diffusion", "reason"]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int | str) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
            if status != 200:
                self.errors[kind] = self.errors.get(kind, 0) + 1


def loopback_only(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok or parts.scheme != "http":
        raise SystemExit(f"load.py only targets a loopback http URL (127.0.0.0/8, ::1, localhost), not {url}")
    return host, parts.port or 80


def node_paths(host: str, port: int, n: int = 40) -> list[str]:
    """Entity and paper paths to request: whatever the server's own search returns for common words."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    paths: list[str] = []
    for q in SEARCHES + ["a", "e", "net"]:
        conn.request("GET", "/search?" + urlencode({"q": q, "limit": 10, "format": "json"}))
        resp = conn.getresponse()
        body = resp.read()
        if resp.status == 200:
            paths += [h["href"] for h in json.loads(body)["results"]]
    conn.close()
    return sorted(set(paths))[:n] or ["/"]


def requests_mix(paths: list[str]) -> list[tuple[str, str]]:
    mix = [("sparql", "/sparql?" + urlencode({"query": q})) for q in SPARQL]
    mix += [("page", p) for p in paths[:12]]
    mix += [("search", "/search?" + urlencode({"q": q[:k], "format": "json"})) for q in SEARCHES for k in (3, len(q))]
    return mix


def client(host: str, port: int, mix: list[tuple[str, str]], deadline: float, stats: Stats, seed: int,
           budget: list[int]) -> None:
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection(host, port, timeout=60)
    headers = {"Accept": "application/sparql-results+json, application/json;q=0.9, text/html;q=0.8"}
    while time.monotonic() < deadline:
        with stats.lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        kind, path = rnd.choice(mix)
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            status: int | str = resp.status
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
        stats.add(kind, time.perf_counter() - t0, status)
    conn.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def summarise(stats: Stats, seconds: float, clients: int) -> dict:
    def block(lat: list[float], errors: int) -> dict:
        return {"requests": len(lat), "requests_per_s": round(len(lat) / seconds, 1), "errors": errors,
                "p50_ms": round(percentile(lat, 50) * 1000, 2), "p99_ms": round(percentile(lat, 99) * 1000, 2)}

    every = [x for lat in stats.latencies.values() for x in lat]
    out = {"clients": clients, "seconds": round(seconds, 2), **block(every, sum(stats.errors.values())),
           "statuses": dict(sorted(stats.statuses.items()))}
    out["by_kind"] = {k: block(v, stats.errors.get(k, 0)) for k, v in sorted(stats.latencies.items())}
    return out


def run_load(url: str, clients: int, seconds: float, max_requests: int | None = None) -> dict:
    host, port = loopback_only(url)
    mix = requests_mix(node_paths(host, port))
    stats = Stats()
    budget = [max_requests if max_requests else 1 << 62]
    t0 = time.monotonic()
    deadline = t0 + seconds
    threads = [threading.Thread(target=client, args=(host, port, mix, deadline, stats, i, budget), daemon=True)
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 90)
    return summarise(stats, time.monotonic() - t0, clients)


def _serve(outdir: str, extra: list[str]):
    """Start `kg serve OUTDIR` on a free loopback port; returns (process, url)."""
    import subprocess

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", outdir, "--port", str(port), *extra], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/favicon.ico")
            conn.getresponse().read()
            return proc, url
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("kg serve did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running kg serve on loopback, e.g. http://127.0.0.1:7878")
    where.add_argument("--outdir", help="start `kg serve OUTDIR` on a free loopback port for the run")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--max-requests", type=int, default=None, help="stop after this many requests in all")
    ap.add_argument("--serve-arg", action="append", default=[], help="extra argument for kg serve (--outdir)")
    args = ap.parse_args()
    if args.clients < 1 or not 0 < args.seconds <= 600:
        raise SystemExit("--clients must be >= 1 and --seconds in (0, 600]")
    proc = None
    url = args.url
    if args.outdir:
        proc, url = _serve(args.outdir, args.serve_arg)
    try:
        result = run_load(url, args.clients, args.seconds, args.max_requests)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
            result_code = proc.returncode
    if proc is not None:
        result["server_exit"] = result_code
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
