"""`kg serve` over HTTP: the explorer's pages, search and content negotiation, and the endpoint's
bounds (timeout that stops evaluation, body and result caps, bounded queue, clean stops)."""

from __future__ import annotations

import errno
import http.client
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
import rdflib
from click.testing import CliRunner
from servekit import ROOT, alive, build_invented, children_of, serving

from kg.cli import main
from kg.serve.search import build_index, connect, current_index, paper_date, search

BASE = "https://w3id.org/paperkg/resource/"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="session")
def explorer_build(tmp_path_factory) -> Path:
    """A real `kg build` of the invented records (the index is made at build time)."""
    return build_invented(tmp_path_factory.mktemp("explorer-build"))


@pytest.fixture(scope="module")
def server(explorer_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("served") / "out"
    shutil.copytree(explorer_build, out)
    with serving(out) as s:
        yield s


def get(url: str, accept: str | None = None, method: str = "GET", data: bytes | None = None,
        headers: dict | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, method=method, data=data, headers={**({"Accept": accept} if accept else {}),
                                                                          **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def sparql(server, query: str, accept: str = "application/sparql-results+json") -> tuple[int, dict, bytes]:
    return get(server.sparql + "?" + urlencode({"query": query}), accept)


# -- the index ---------------------------------------------------------------------------

def test_build_writes_a_current_search_index(explorer_build):
    assert current_index(explorer_build) == explorer_build / "explorer.sqlite"


def test_search_ranks_exact_then_prefix_then_word_matches(explorer_build):
    conn = connect(explorer_build / "explorer.sqlite")
    hits = search(conn, "mixture-of-experts")
    assert hits[0].id == "method/mixture-of-experts"  # an exact match of an alias, before any title
    assert {h.id for h in hits} >= {"paper/2501.00001", "paper/2501.00003"}  # titles with the words
    assert [h.id for h in search(conn, "quill")][:2] == ["model/quillnet", "paper/2501.00001"]
    assert [h.label for h in search(conn, "mixture", label="Paper")] == ["Paper"] * 2
    assert search(conn, "transf")[0].id == "model/transformer"  # prefix of a name, by papers
    assert search(conn, "   ") == [] and search(conn, "\"*^:)") == []  # no FTS syntax gets through
    with pytest.raises(ValueError):
        search(conn, "x", label="Nonsense")


@pytest.mark.parametrize("given, node, want", [
    ("2024-01-08", "paper/x", "2024-01-08"), ("Apr 10, 2024", "paper/x", "2024-04-10"),
    ("10 April 2024", "paper/x", "2024-04-10"), ("2023", "paper/x", "2023"),
    (None, "paper/2401.04088", "2024-01"), ("Apr 16", "paper/2312.00001", "2023-12"),  # no year: the arXiv month
    ("Apr 16", "paper/t0123456789ab", None), (None, "paper/doi:10.1/x", None)])
def test_paper_dates_become_iso_for_sorting_and_charts(given, node, want):
    assert paper_date(given, node) == want


def test_an_index_of_an_older_graph_is_rebuilt(explorer_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(explorer_build, out)
    graph = out / "graph.jsonl"
    graph.write_text(graph.read_text(encoding="utf-8") + json.dumps(
        {"kind": "node", "id": "method/zebra-routing", "label": "Method", "name": "Zebra Routing", "aliases": [],
         "props": {"papers": 0}}) + "\n", encoding="utf-8")
    assert current_index(out) is None
    build_index(out)
    assert search(connect(out / "explorer.sqlite"), "zebra")[0].id == "method/zebra-routing"


# -- pages and search over HTTP ----------------------------------------------------------

def test_search_answers_json_and_html(server):
    status, headers, body = get(server.url + "/search?" + urlencode({"q": "quillnet"}), "application/json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    first = json.loads(body)["results"][0]
    assert first["id"] == "model/quillnet" and first["href"] == "/model/quillnet"
    status, _, body = get(server.url + "/search?" + urlencode({"q": "script", "type": "Paper"}), "text/html")
    page = body.decode()
    assert status == 200 and "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert get(server.url + "/search?q=x&type=Bogus", "application/json")[0] == 400


def test_entity_page_shows_papers_evidence_links_cooccurring_and_hardware(server):
    status, headers, body = get(server.url + "/model/transformer", "text/html")
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html") and "Accept" in headers["vary"]
    assert "Transformer" in page and "/paper/2501.00001" in page
    assert "<mark>Transformer</mark>" in page  # the mention highlighted in its evidence sentence
    assert 'href="/model/quillnet"' in page and "BASED_ON" in page  # the link, with its support
    assert 'id="cooccurring"' in page and 'href="/method/mixture-of-experts"' in page
    assert 'id="hardware"' in page and "NVIDIA A100" in page
    assert 'href="https://github.com/example/quillnet"' in page
    assert "javascript:alert" not in page  # a record's javascript: URL is not a link
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert '/static/cytoscape.min.js' in page


def test_paper_page_shows_metadata_and_every_entity_by_role(server):
    status, _, body = get(server.url + "/paper/2501.00001", "text/html")
    page = body.decode()
    assert status == 200 and "Ada Lovelace, Alan Turing" in page and "https://arxiv.org/abs/2501.00001" in page
    for role in ("PROPOSES", "USES", "USES_HARDWARE", "ADDRESSES"):
        assert f'data-role="{role}"' in page
    assert "<mark>QuillNet</mark>" in page


def test_hostile_title_is_escaped_on_its_own_page(server):
    page = get(server.url + "/paper/2501.00002", "text/html")[2].decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; Routing Experts" in page


def test_node_paths_negotiate_turtle_ntriples_and_jsonld(server):
    iri = rdflib.URIRef(BASE + "model/quillnet")
    status, headers, body = get(server.url + "/model/quillnet", "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body.decode(), format="turtle")
    assert (iri, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/paperkg/ontology#Model")) in g
    statements = set(g.subjects(rdflib.RDF.object, iri))
    assert statements and all((s, rdflib.URIRef("https://w3id.org/paperkg/ontology#evidenceText"), None) in g
                              for s in statements)  # the statements about it carry their provenance
    status, headers, body = get(server.url + "/model/quillnet", "application/ld+json")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=body.decode(), format="json-ld")) == len(g)
    status, headers, body = get(server.url + "/model/quillnet", "application/n-triples")
    assert headers["content-type"].startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=body.decode(), format="nt")) == len(g)
    assert get(server.url + "/model/quillnet?format=ttl")[1]["content-type"].startswith("text/turtle")
    assert get(server.url + "/model/quillnet", "image/png")[0] == 406
    assert get(server.url + "/model/no-such-thing", "text/html")[0] == 404


def test_report_is_served_once_written(server):
    outdir = Path(re.search(r"explorer over (\S+):", "".join(server.output)).group(1))
    assert get(server.url + "/report", "text/html")[0] == 404
    r = CliRunner().invoke(main, ["report", str(outdir), "-o", str(outdir / "report.html")])
    assert r.exit_code == 0, r.output
    status, _, body = get(server.url + "/report", "text/html")
    assert status == 200 and b"Entities by type" in body


def test_home_page_counts_and_most_connected(server):
    page = get(server.url + "/", "text/html")[2].decode()
    assert 'id="live-search"' in page and 'href="/model/transformer"' in page
    assert "<b>3</b>" in page  # three papers


# -- the endpoint's bounds ---------------------------------------------------------------

def test_a_runaway_query_is_stopped_within_twice_the_timeout(explorer_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(explorer_build, out)
    with serving(out, "--timeout", "2", "--workers", "1") as s:
        [worker] = s.workers()
        t0 = time.monotonic()
        status, _, body = sparql(s, CARTESIAN)
        elapsed = time.monotonic() - t0
        assert status == 503 and b"timed out" in body
        assert elapsed < 4.0, elapsed
        deadline = time.monotonic() + 5
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(worker), "the worker evaluating the runaway query still runs"
        status, _, body = sparql(s, "ASK { ?s ?p ?o }")  # a fresh worker took its place
        assert status == 200 and json.loads(body)["boolean"] is True
        assert len(s.workers()) == 1


def test_an_oversized_body_is_413_declared_or_streamed(explorer_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(explorer_build, out)
    with serving(out, "--max-body-kb", "1") as s:
        big = ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 4096).encode()
        assert get(s.sparql, method="POST", data=big, headers={"Content-Type": "application/sparql-query"})[0] == 413
        host, port = urlsplit(s.url).hostname, urlsplit(s.url).port
        conn = http.client.HTTPConnection(host, port, timeout=30)  # chunked: no Content-Length to trust
        conn.request("POST", "/sparql", body=iter([big[:1000], big[1000:]]),
                     headers={"Content-Type": "application/sparql-query"}, encode_chunked=True)
        assert conn.getresponse().status == 413
        conn.close()
        small = b"ASK { ?s ?p ?o }"
        assert get(s.sparql, "application/sparql-results+json", method="POST", data=small,
                   headers={"Content-Type": "application/sparql-query"})[0] == 200


def test_a_result_over_the_cap_is_422_and_a_small_one_passes(explorer_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(explorer_build, out)
    with serving(out, "--max-result-mb", "0.002") as s:
        status, _, body = sparql(s, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 422 and b"LIMIT" in body
        assert sparql(s, "SELECT * WHERE { ?s ?p ?o } LIMIT 2")[0] == 200


def test_a_full_queue_is_503_with_retry_after(explorer_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(explorer_build, out)
    with serving(out, "--timeout", "3", "--workers", "1", "--max-queue", "0") as s:
        first = threading.Thread(target=sparql, args=(s, CARTESIAN))
        first.start()
        time.sleep(0.5)  # the only worker is busy with the runaway query
        status, headers, _ = sparql(s, "ASK { ?s ?p ?o }")
        first.join()
        assert status == 503 and headers.get("retry-after") == "1"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_server_and_every_worker(explorer_build, tmp_path, sig):
    out = tmp_path / "out"
    shutil.copytree(explorer_build, out)
    with serving(out, "--workers", "2") as s:
        workers = s.workers()
        assert len(workers) == 2
        busy = threading.Thread(target=sparql, args=(s, CARTESIAN), daemon=True)
        busy.start()  # one worker is mid-query when the signal comes
        time.sleep(0.5)
        t0 = time.monotonic()
        assert s.stop(sig) == 0
        assert time.monotonic() - t0 < 10
        assert not [p for p in workers if alive(p)], "a worker outlived kg serve"
        assert not children_of(s.proc.pid)


def test_a_killed_server_takes_its_workers_with_it(explorer_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(explorer_build, out)
    with serving(out) as s:
        workers = s.workers()
        s.stop(signal.SIGKILL)
        deadline = time.monotonic() + 5
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in workers if alive(p)]


def test_port_in_use_is_one_line_on_stderr(explorer_build):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "kg", "serve", str(explorer_build), "--port", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port} on 127.0.0.1 is already in use" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert errno.EADDRINUSE  # the case the message names


def test_examples_on_the_query_page_are_the_published_queries():
    shipped = {p.name: p.read_bytes() for p in (ROOT / "kg" / "serve" / "queries").glob("*.rq")}
    published = {p.name: p.read_bytes() for p in (ROOT / "scripts" / "queries").glob("*.rq")}
    assert shipped == published, "kg/serve/queries is a copy of scripts/queries: cp scripts/queries/*.rq kg/serve/queries/"


def test_node_path_is_the_iri_path_under_the_base(server):
    doi_like = "paper/doi:10.1000/xyz"
    from kg.serve.nodes import node_path

    assert node_path(doi_like) == "/paper/doi:10.1000/xyz"
    assert node_path("method/a b") == "/method/" + quote("a b")
