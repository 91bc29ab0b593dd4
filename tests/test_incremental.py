"""`kg build --update`: only new or changed papers are extracted, and the
result equals a full build over all inputs."""

from __future__ import annotations

import json

from kg.build import BuildOptions, build

COMPARED = ("papers.jsonl", "graph.jsonl", "graph.ttl", "graph.graphml")

PAPERS = [
    ("FlashNet: Fast Attention on GPUs", "We propose FlashNet, a network trained on ImageNet-1K with 8 NVIDIA A100 GPUs."),
    ("Sparse Mixture-of-Experts for Translation", "We apply Mixture-of-Experts (MoE) to machine translation on WMT14."),
    ("LoRA Variants Compared", "We compare LoRA and Low-Rank Adaptation variants on GLUE with BERT."),
    ("Tiny Vision Models", "MobileNetV2 and ResNet-50 are evaluated on CIFAR-10 on a Raspberry Pi."),
    ("Quantized LLaMA", "We quantize LLaMA-2-7B with post-training quantization for edge devices."),
    ("Speech at Scale", "A wav2vec 2.0 model is fine-tuned on LibriSpeech using 16 TPU v4 chips."),
    ("Graph Learning Benchmarks", "GCN and GAT are compared for node classification on Cora."),
]


def write_jsonl(path, papers):
    path.write_text("".join(json.dumps({"id": f"2401.{i:05d}", "title": t, "abstract": a}) + "\n"
                            for i, (t, a) in papers), encoding="utf-8")
    return path


def same_outputs(a, b):
    for name in COMPARED:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_update_with_new_papers_equals_a_full_build(tmp_path):
    old = write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS[:5])))
    new = write_jsonl(tmp_path / "b.jsonl", [(i + 5, p) for i, p in enumerate(PAPERS[5:])])
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    summary = build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    assert (summary.papers, summary.extracted) == (7, 2)
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_a_changed_paper_is_re_extracted_and_its_old_edges_go(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS[:5])))
    build(BuildOptions(inputs=[src], outdir=tmp_path / "inc"))
    changed = list(enumerate(PAPERS[:5]))
    changed[3] = (3, ("Tiny Vision Models", "EfficientNet-B0 is evaluated on CIFAR-100 on a Jetson Nano."))
    write_jsonl(src, changed)
    summary = build(BuildOptions(inputs=[src], outdir=tmp_path / "inc", update=True))
    assert summary.extracted == 1
    build(BuildOptions(inputs=[src], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")
    assert "Raspberry Pi" not in (tmp_path / "inc" / "graph.jsonl").read_text()


def test_prune_drops_papers_whose_input_is_gone(tmp_path):
    old = write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS[:5])))
    new = write_jsonl(tmp_path / "b.jsonl", [(i + 5, p) for i, p in enumerate(PAPERS[5:])])
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc"))
    kept = build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", update=True))
    assert kept.papers == 7  # without --prune nothing is dropped
    summary = build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", update=True, prune=True))
    assert (summary.papers, summary.extracted, summary.pruned) == (5, 0, 2)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")
