"""Time the RDF writers against rdflib's Turtle serialiser on the same graph.

    python scripts/bench_rdf.py [--data OUTDIR | --papers N]

With ``--data`` the graph is loaded from a build (OUTDIR/graph.jsonl);
otherwise a synthetic graph of N papers is made. Prints JSON (see
:func:`kg.writers.rdf.bench_rdf`); ``ratio`` is our Turtle triples/s over
rdflib's.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.graph import Edge, GraphFile, Node  # noqa: E402
from kg.writers.graph_jsonl import dumps  # noqa: E402
from kg.writers.rdf import bench_rdf  # noqa: E402

ROLES = {"Method": "USES", "Model": "USES", "Dataset": "EVALUATES_ON", "Hardware": "USES_HARDWARE",
         "Task": "ADDRESSES"}


def synthetic_graph(path: Path, papers: int, entities: int = 2000, seed: int = 0) -> GraphFile:
    """A synthetic graph.jsonl at ``path``."""
    rnd = random.Random(seed)
    ents = []
    items: list[Node | Edge] = []
    for i in range(entities):
        label = list(ROLES)[i % 5]
        n = Node(f"{label.lower()}/e{i}", label, f"Entity {i}", (f"E{i}", f"ent-{i}"))
        items.append(n)
        ents.append(n)
    for i in range(papers):
        pid = f"paper/{2400 + i // 10000}.{i % 10000:05d}"
        abstract = f"We propose Entity {i % entities}. " * 4
        items.append(Node(pid, "Paper", f"Paper number {i}", props={
            "arxiv_id": pid[6:], "date": "2024-01-08", "abstract": abstract, "author_count": 3,
            "upvotes": i % 50, "source": f"input-{i % 4}.jsonl"}))
        for e in rnd.sample(ents, 8):
            items.append(Edge(pid, e.id, ROLES[e.label], {
                "evidence": abstract[:40], "field": "abstract", "start": 0, "end": 40,
                "confidence": round(rnd.random(), 3), "extractor": "paperkg-0.1.0", "rule": "pattern"}))
    links: dict[tuple[str, str], Edge] = {}
    for i in range(entities // 2):
        a, b = rnd.sample(ents, 2)
        links.setdefault((a.id, b.id), Edge(a.id, b.id, "BASED_ON", {
            "evidence": "x based on y", "confidence": 0.5, "support": 1 + i % 3, "extractor": "paperkg-0.1.0"}))
    items += links.values()
    path.write_text("".join(map(dumps, items)), encoding="utf-8")
    return GraphFile(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="a build output directory (graph.jsonl)")
    ap.add_argument("--papers", type=int, default=5000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graph = GraphFile(args.data) if args.data else synthetic_graph(Path(tmp) / "graph.jsonl", args.papers)
        print(json.dumps(bench_rdf(graph), indent=2))


if __name__ == "__main__":
    main()
