"""``kg serve``: a SPARQL 1.1 Protocol endpoint over a build, run by the Oxigraph server.

The build's RDF is loaded once into an Oxigraph store under ``OUTDIR/.oxigraph``
(rebuilt when the RDF file changes) and served by ``oxigraph serve-read-only``
(the ``oxigraph`` package from PyPI): GET and POST queries at ``/query``,
SPARQL JSON/XML/CSV/TSV results and Turtle/N-Triples/… graphs by content
negotiation, a query page at ``/``, updates refused (403), malformed queries
answered 400 with the parser's message. Named graphs from N-Quads are queried
as one union default graph.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import find_rdf

STORE_DIR = ".oxigraph"
_STAMP = "paperkg-source.json"


def oxigraph_executable() -> str:
    """The ``oxigraph`` server CLI: on PATH, or beside this Python's executable."""
    found = shutil.which("oxigraph")
    if found is None:
        candidate = Path(sys.executable).with_name("oxigraph")
        found = str(candidate) if candidate.exists() else None
    if found is None:
        raise RuntimeError("the Oxigraph server is not installed: `pip install oxigraph` provides the `oxigraph` command")
    return found


def _stamp_of(path: Path) -> dict:
    st = path.stat()
    return {"file": path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def current_store(source: Path) -> Path | None:
    """``.oxigraph`` beside the RDF file when it holds that file's current content."""
    target = source.parent / STORE_DIR
    try:
        if json.loads((target / _STAMP).read_text(encoding="utf-8")) == _stamp_of(source):
            return target
    except (OSError, ValueError):
        pass
    return None


def prepare_store(outdir: str | Path, rebuild: bool = False) -> Path:
    """Load the build's RDF into ``OUTDIR/.oxigraph`` unless it already holds that file's
    current content. Built beside and swapped in, so a failed load leaves the old store."""
    outdir = Path(outdir)
    source = find_rdf(outdir)
    if source.parent != outdir:
        outdir = source.parent
    target = outdir / STORE_DIR
    stamp = _stamp_of(source)
    if not rebuild and current_store(source) is not None:
        return target
    tmp = outdir / f"{STORE_DIR}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    proc = subprocess.run([oxigraph_executable(), "load", "--location", str(tmp), "--file", str(source)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"oxigraph could not load {source}: {proc.stderr.strip() or proc.stdout.strip()}")
    (tmp / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    old = outdir / f"{STORE_DIR}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return target


@dataclass
class Server:
    """A running Oxigraph server."""

    process: subprocess.Popen
    host: str
    port: int
    location: Path

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_endpoint(self) -> str:
        return self.url + "/query"

    @property
    def update_endpoint(self) -> str:
        return self.url + "/update"

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def server_command(location: Path, host: str, port: int, writable: bool = False,
                   timeout_s: int | None = 60) -> list[str]:
    host_port = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    cmd = [oxigraph_executable(), "serve" if writable else "serve-read-only", "--location", str(location),
           "--bind", host_port, "--union-default-graph"]
    if timeout_s:
        cmd += ["--timeout-s", str(timeout_s)]
    return cmd


def start_server(outdir: str | Path, host: str = "127.0.0.1", port: int = 7878, *, rebuild: bool = False,
                 writable: bool = False, timeout_s: int | None = 60, ready_timeout: float = 30,
                 stdout=None, stderr=None) -> Server:
    """Prepare the store and start the server in the background; returns once it answers."""
    location = prepare_store(outdir, rebuild)
    proc = subprocess.Popen(server_command(location, host, port, writable, timeout_s),
                            stdout=stdout if stdout is not None else subprocess.DEVNULL,
                            stderr=stderr if stderr is not None else subprocess.PIPE)
    server = Server(proc, host, port, location)
    deadline = time.monotonic() + ready_timeout
    while True:
        if proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr and stderr is None else ""
            raise RuntimeError(f"the Oxigraph server stopped at once (exit {proc.returncode}): {err.strip()}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2) as resp:
                if resp.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"the Oxigraph server did not answer at {server.url} within {ready_timeout}s")
        time.sleep(0.1)
    if stderr is None and proc.stderr is not None:
        # keep reading the server's log so its pipe never fills up
        import threading

        threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()
    return server


def serve(outdir: str | Path, host: str = "127.0.0.1", port: int = 7878, *, rebuild: bool = False,
          writable: bool = False, timeout_s: int | None = 60, echo=print) -> int:
    """What ``kg serve`` does: run the server in the foreground until interrupted."""
    server = start_server(outdir, host, port, rebuild=rebuild, writable=writable, timeout_s=timeout_s,
                          stderr=sys.stderr)
    mode = "read-write" if writable else "read-only"
    echo(f"SPARQL endpoint ({mode}) over {find_rdf(outdir)}:\n"
         f"  query page   {server.url}/\n  query        {server.query_endpoint}\n"
         f"  store        {server.location}\nCtrl-C stops it.")
    try:
        return server.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
