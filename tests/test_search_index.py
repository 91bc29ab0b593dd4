"""The explorer's index (OUTDIR/explorer.sqlite) as a build output: written paper by paper, patched by
`kg build --update`, and always what a full build over the same inputs would write."""

from __future__ import annotations

import json
import shutil
import sqlite3

from click.testing import CliRunner

from kg.build import BuildOptions, build
from kg.cli import main
from kg.serve.search import build_index, connect, current_index, search
from test_incremental import PAPERS, split_inputs, write_jsonl


def index_content(outdir) -> dict:
    """Everything a query can see: rows of every table (search rows in rowid order, which is rank order)."""
    conn = sqlite3.connect(outdir / "explorer.sqlite")
    try:
        return {
            "nodes": sorted(conn.execute("SELECT * FROM nodes")),
            "edges": sorted(conn.execute("SELECT * FROM edges")),
            "fts": conn.execute("SELECT rowid, text, label, node, kind FROM fts ORDER BY rowid").fetchall(),
            "terms": conn.execute("SELECT rowid, * FROM terms ORDER BY rowid").fetchall(),
            "meta": conn.execute("SELECT * FROM meta ORDER BY key").fetchall(),
        }
    finally:
        conn.close()


def hits(outdir, q: str) -> list[str]:
    conn = connect(outdir / "explorer.sqlite")
    try:
        return [h.id for h in search(conn, q, None, 50)]
    finally:
        conn.close()


def test_an_updated_builds_index_equals_a_full_builds(tmp_path):
    old, new = split_inputs(tmp_path, 4)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    assert index_content(tmp_path / "inc") == index_content(tmp_path / "full")
    assert "paper/2401.00006" in hits(tmp_path / "inc", "graph learning")  # a new paper is found
    assert current_index(tmp_path / "inc") is not None


def test_a_pruned_paper_disappears_from_search(tmp_path):
    old, new = split_inputs(tmp_path, 5)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc"))
    assert "paper/2401.00006" in hits(tmp_path / "inc", "graph learning")
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", update=True, prune=True))
    assert hits(tmp_path / "inc", "graph learning benchmarks") == []
    conn = connect(tmp_path / "inc" / "explorer.sqlite")
    assert conn.execute("SELECT count(*) FROM edges WHERE source = 'paper/2401.00006'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM nodes WHERE id = 'paper/2401.00006'").fetchone()[0] == 0
    conn.close()
    build(BuildOptions(inputs=[old], outdir=tmp_path / "full"))
    assert index_content(tmp_path / "inc") == index_content(tmp_path / "full")


def test_a_changed_paper_is_found_by_its_new_title_only(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS)))
    build(BuildOptions(inputs=[src], outdir=tmp_path / "inc"))
    changed = list(enumerate(PAPERS))
    changed[2] = (2, ("Adapters Revisited Quietly", "We compare QLoRA adapters on SuperGLUE with RoBERTa."))
    write_jsonl(src, changed)
    build(BuildOptions(inputs=[src], outdir=tmp_path / "inc", update=True))
    assert "paper/2401.00002" not in hits(tmp_path / "inc", "LoRA Variants Compared")
    assert hits(tmp_path / "inc", "adapters revisited")[:1] == ["paper/2401.00002"]
    build(BuildOptions(inputs=[src], outdir=tmp_path / "full"))
    assert index_content(tmp_path / "inc") == index_content(tmp_path / "full")


def test_identical_builds_write_the_same_index_bytes_for_any_workers(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS)))
    for name, workers in (("one", "1"), ("two", "2")):
        r = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / name), "-j", workers])
        assert r.exit_code == 0, r.output
    assert (tmp_path / "one" / "explorer.sqlite").read_bytes() == (tmp_path / "two" / "explorer.sqlite").read_bytes()


def test_an_index_the_build_did_not_write_is_rebuilt_whole_by_an_update(tmp_path):
    """An index kg serve made from graph.jsonl, or none at all: the update writes every paper's rows."""
    old, new = split_inputs(tmp_path, 4)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    build(BuildOptions(inputs=[old], outdir=tmp_path / "served"))
    build_index(tmp_path / "served")  # as kg serve does when it finds the index stale
    shutil.copytree(tmp_path / "served", tmp_path / "missing")
    (tmp_path / "missing" / "explorer.sqlite").unlink()
    for name in ("served", "missing"):
        build(BuildOptions(inputs=[old, new], outdir=tmp_path / name, update=True))
        assert index_content(tmp_path / name) == index_content(tmp_path / "full"), name


def test_an_index_of_graph_jsonl_answers_as_the_builds_does(tmp_path):
    """kg serve's own index of a build's graph.jsonl holds the same rows as the one the build wrote."""
    src = write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS)))
    build(BuildOptions(inputs=[src], outdir=tmp_path / "b"))
    made = index_content(tmp_path / "b")
    build_index(tmp_path / "b")
    rebuilt = index_content(tmp_path / "b")
    assert {k: v for k, v in rebuilt.items() if k != "meta"} == {k: v for k, v in made.items() if k != "meta"}
    assert dict(rebuilt["meta"])["numbering"] == "file" and dict(made["meta"])["numbering"] == "store"
    assert json.loads(dict(made["meta"])["counts"])["Paper"] == len(PAPERS)


def test_a_patched_index_counts_old_entities_new_papers_and_links_as_a_full_build(tmp_path):
    """An update whose papers name entities the index has (and change one old paper): the entities'
    paper counts, degrees and the edge counts are patched from the previous index's, and equal a full
    build's."""
    old = [(0, ("Zentrox-L: Sparse Routing", "We propose Zentrox-L, a new model for image classification "
                                            "on the Quillset dataset.")),
           (1, ("Brimnet Revisited", "We evaluate Brimnet on the Quillset dataset for image classification."))]
    new = [(1, ("Brimnet Revisited", "We evaluate Brimnet and Zentrox-L on the Quillset dataset.")),
           (2, ("Scaling Zentrox", "We propose Zentrox-L, a model trained on the Quillset dataset. "
                                   "Zentrox-L outperforms Brimnet on image classification."))]
    a = write_jsonl(tmp_path / "a.jsonl", old)
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(a), "-o", str(tmp_path / "inc")]).exit_code == 0
    write_jsonl(a, [old[0], new[0]])  # paper 1 changed
    b = write_jsonl(tmp_path / "b.jsonl", new[1:])
    for out, more in (("inc", ["--update"]), ("full", [])):
        result = runner.invoke(main, ["build", str(a), str(b), "-o", str(tmp_path / out), *more])
        assert result.exit_code == 0, result.output
    inc, full = index_content(tmp_path / "inc"), index_content(tmp_path / "full")
    assert inc == full
    papers = {row[0]: row[5] for row in inc["nodes"]}
    assert max(papers.values()) == 3  # an entity of the old papers now named by all three
    assert any(not source.startswith("paper/") for source, *_ in inc["edges"])  # links, from an old entity
