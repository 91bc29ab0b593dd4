"""Held-out resolution cases: written before the resolver's hardware, edition
and checkpoint rules, and never tuned against. A failure here is reported,
not fixed by editing these cases (see tests/test_resolution_cases.py for the
cases the rules were developed on)."""

from __future__ import annotations

import pytest

from resolution_cases import check, load_built, merge, run_build, split

HELD_OUT = [
    # spellings of one product
    merge("Hardware", "All runs used 4 NVIDIA H100 GPUs.", "Inference is served from one H100.",
          "The cluster has 256 Nvidia H100 SXM GPUs."),
    merge("Hardware", "We train on a single NVIDIA V100 GPU.", "Timing is measured on 2 Tesla V100 GPUs.",
          "Each node holds eight V100-16GB GPUs."),
    merge("Hardware", "The agent is trained on 16 TPU v3 cores.", "Pretraining took a week on Google TPU v3 pods."),
    merge("Hardware", "Latency is reported on an NVIDIA RTX 3090 GPU.", "We use two GeForce RTX 3090 GPUs."),
    merge("Hardware", "Models are deployed to an NVIDIA Jetson AGX Orin.", "Our robot carries a Jetson AGX Orin."),
    # acronym and long form
    merge("Method", "We adopt Sharpness-Aware Minimization (SAM) for training.",
          "Training uses sharpness aware minimization throughout."),
    merge("Method", "Proximal Policy Optimization (PPO) trains the controller.", "The policy is optimised with PPO."),
    # checkpoint spellings
    merge("Model", "We fine-tune Mistral-7B on the new corpus.", "Our baseline is Mistral 7B."),
    merge("Model", "We compare against Llama-3-8B.", "The student is LLaMA-3-8B."),
    # neighbouring generations
    split("Hardware", "We use 8 NVIDIA A100 GPUs.", "We use 8 NVIDIA A40 GPUs."),
    split("Hardware", "Training runs on TPU v4 chips.", "Training runs on TPU v5e chips."),
    split("Hardware", "We benchmark on an NVIDIA Jetson Orin Nano.", "We benchmark on an NVIDIA Jetson Xavier NX."),
    split("Hardware", "Experiments use an RTX 4090 GPU.", "Experiments use an RTX 4080 GPU."),
    # editions of one benchmark
    split("Dataset", "We report accuracy on HMMT 2024.", "We report accuracy on HMMT 2025."),
    # dataset versions
    split("Dataset", "Images come from ImageNet-21K.", "Images come from ImageNet-1K."),
    split("Dataset", "We evaluate on CIFAR-100.", "We evaluate on CIFAR-10."),
    # checkpoints of one family
    split("Model", "We distil Llama-2-70B.", "We distil Llama-2-7B."),
    split("Model", "The judge is GPT-4o.", "The judge is GPT-4."),
    split("Model", "We start from Qwen2.5-72B.", "We start from Qwen2.5-Coder-7B."),
]


#: Held-out cases that fail for a reason outside resolution, kept visible rather than edited away:
#: the extractor finds no entity in one of the sentences (reported to the nlp/vocab owners). None today:
#: Title Case techniques now match in lower case, and "Mistral 7B." keeps its size at a sentence end.
EXTRACTION_MISSES: dict[int, str] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return load_built(run_build(tmp_path_factory.mktemp("heldout"), HELD_OUT))


@pytest.mark.parametrize("ci", [
    pytest.param(i, marks=pytest.mark.xfail(reason=EXTRACTION_MISSES[i], strict=False)) if i in EXTRACTION_MISSES else i
    for i in range(len(HELD_OUT))], ids=[c.label for c in HELD_OUT])
def test_held_out_case_resolves_as_stated_in_graph_jsonl_and_turtle(built, ci):
    case = HELD_OUT[ci]
    check(case, ci, built.jsonl, "graph.jsonl")
    check(case, ci, built.turtle, "graph.ttl")
