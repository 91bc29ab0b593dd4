"""Must-merge / must-split resolution cases the hardware, edition and
checkpoint rules were developed on, checked through `kg build` in graph.jsonl
and Turtle (the held-out set is tests/test_resolution_heldout.py)."""

from __future__ import annotations

import json

import pytest

from resolution_cases import check, load_built, merge, run_build, split

CASES = [
    # spellings of one product: brand and form-factor words, memory, counts, plurals, vendor omitted
    merge("Hardware", "We train on 8 NVIDIA P100 GPUs.", "Timing uses a single P100 GPU.",
          "Our baseline ran on a Tesla P100."),
    merge("Hardware", "We use NVIDIA A100 80GB GPUs.", "It fits on one A100.", "All runs use a single NVIDIA A100 GPU.",
          "The model trains on 64 A100-SXM4-40GB GPUs."),
    merge("Hardware", "Pretraining ran on 96 NVIDIA V100-32GB GPUs.", "Inference uses four V100s."),
    merge("Hardware", "We pretrain on 512 TPU v4 chips.", "Training used a Google TPU v4 pod slice."),
    merge("Hardware", "The planner runs on an NVIDIA Jetson Orin Nano.", "We deploy on a Jetson Orin Nano board."),
    # acronym and long form
    merge("Method", "We fine-tune with Low-Rank Adaptation (LoRA).", "Adapters are trained with LoRA."),
    merge("Method", "We use Direct Preference Optimization (DPO) for alignment.", "The policy is tuned with DPO."),
    # checkpoint spellings
    merge("Model", "We fine-tune Llama-2-7B on our data.", "The base model is LLaMA-2-7B."),
    merge("Model", "We prompt Qwen2.5-7B-Instruct zero-shot.", "Our judge is Qwen2.5-7B-Instruct."),
    # distinct products, neighbouring generations
    split("Hardware", "We use 8 NVIDIA A100 GPUs.", "We use 8 NVIDIA H100 GPUs."),
    split("Hardware", "We use 8 NVIDIA V100 GPUs.", "We use 8 NVIDIA P100 GPUs."),
    split("Hardware", "We train on TPU v4 chips.", "We train on TPU v5e chips."),
    split("Hardware", "The controller runs on a Unitree A1.", "The controller runs on a Unitree Go1."),
    split("Hardware", "We benchmark on a Raspberry Pi 4.", "We benchmark on a Raspberry Pi 5."),
    # editions of one benchmark
    split("Dataset", "We evaluate on AIME 2024.", "We evaluate on AIME 2025."),
    # dataset versions
    split("Dataset", "We pretrain on ImageNet-1K.", "We pretrain on ImageNet-21K."),
    split("Dataset", "Results are reported on CIFAR-10.", "Results are reported on CIFAR-100."),
    split("Dataset", "We evaluate on MATH.", "We evaluate on MATH-500."),
    # checkpoints of one family
    split("Model", "We compare with GPT-4.", "We compare with GPT-4o."),
    split("Model", "We fine-tune Llama-2-7B.", "We fine-tune Llama-2-13B."),
    split("Model", "We prompt Qwen2.5-7B.", "We prompt Qwen2.5-Math-7B."),
    # a decimal point in a size or version is part of the name: 1.3B is not 13B, 2.5 is not 25
    split("Model", "We fine-tune Zorp-1.3B on our data.", "We fine-tune Zorp-13B on our data."),
    split("Model", "We prompt ZetaLM-2.5-Chat zero-shot.", "We prompt ZetaLM-25-Chat zero-shot."),
]


@pytest.fixture(scope="module")
def built_dir(tmp_path_factory):
    return run_build(tmp_path_factory.mktemp("cases"), CASES)


@pytest.fixture(scope="module")
def built(built_dir):
    return load_built(built_dir)


@pytest.mark.parametrize("ci", range(len(CASES)), ids=[c.label for c in CASES])
def test_case_resolves_as_stated_in_graph_jsonl_and_turtle(built, ci):
    check(CASES[ci], ci, built.jsonl, "graph.jsonl")
    check(CASES[ci], ci, built.turtle, "graph.ttl")


def _graph(out):
    lines = [json.loads(line) for line in (out / "graph.jsonl").read_text(encoding="utf-8").splitlines()]
    return {d["id"]: d for d in lines if d["kind"] == "node"}, [d for d in lines if d["kind"] == "edge"]
