"""`kg build --dask`: extraction on a Dask cluster equals a local build."""

from __future__ import annotations

import pytest

distributed = pytest.importorskip("distributed")

from kg.build import BuildOptions, build  # noqa: E402

COMPARED = ("papers.jsonl", "graph.jsonl", "graph.ttl", "graph.graphml")


def test_dask_build_equals_local_build_byte_for_byte(tmp_path, sample_build):
    local, _ = sample_build
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        summary = build(BuildOptions(outdir=tmp_path / "dask", dask=cluster.scheduler_address))
    assert summary.papers == 366
    for name in COMPARED:
        assert (local / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
