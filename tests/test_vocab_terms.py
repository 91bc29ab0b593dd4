"""The shipped vocabulary (kg/ontology/vocab) through `kg build`: common field names
come out with the right type, and generic words that are not entities stay out.

Sentences are invented for these tests; every name is general ML knowledge.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.text import fold

REPO = Path(__file__).resolve().parents[1]

# (title, abstract, [(name, type) that must be extracted], [words that must not be an entity])
PAPERS = [
    (
        "Shaping Rewards for Sparse Grid Worlds",
        "We study reinforcement learning agents trained with Proximal Policy Optimization and compare them "
        "with continual learning baselines that use Elastic Weight Consolidation. Policies are first trained "
        "on simulated mazes and later fine-tuned; the pre-training stage uses a small replay memory.",
        [("reinforcement learning", "Method"), ("Proximal Policy Optimization", "Method"),
         ("continual learning", "Task"), ("Elastic Weight Consolidation", "Method")],
        ["pre-training", "fine-tuning", "fine-tuned"],
    ),
    (
        "Lighter Gradients for Tiny Classifiers",
        "Our optimiser combines momentum with an attention mechanism over past gradients and a ReLU gate. "
        "We train ResNet-50 with AdamW and evaluate on CIFAR-100 and ImageNet-1K for image classification, "
        "using an ensemble of three seeds.",
        [("ResNet-50", "Model"), ("AdamW", "Method"), ("CIFAR-100", "Dataset"), ("ImageNet-1K", "Dataset"),
         ("image classification", "Task")],
        ["momentum", "attention mechanism", "ensemble"],
    ),
    (
        "Cheaper Search over Learning Rates",
        "Hyperparameter optimization is costly for foundation models. We tune Llama-2-7B with LoRA, "
        "offloading optimizer states, and report zero-shot results on MMLU and GSM8K.",
        [("Hyperparameter optimization", "Task"), ("Llama-2-7B", "Model"), ("LoRA", "Method"),
         ("MMLU", "Dataset"), ("GSM8K", "Dataset")],
        ["foundation models", "offloading", "zero-shot"],
    ),
    (
        "Mixed Integer Planning for Warehouses",
        "We cast scheduling as integer linear programming, solve the relaxation with branch and bound, "
        "and compare against a genetic algorithm and simulated annealing.",
        [("integer linear programming", "Method"), ("branch and bound", "Method"),
         ("genetic algorithm", "Method"), ("simulated annealing", "Method")],
        [],
    ),
    (
        "Remembering Old Skills",
        "Catastrophic forgetting limits sequence modeling with recurrent memories. We evaluate Mistral and "
        "Gemma 2 on the MATH dataset and on VizDoom, and study adversarial robustness under distribution shift.",
        [("catastrophic forgetting", "Task"), ("sequence modeling", "Task"), ("Mistral", "Model"),
         ("Gemma 2", "Model"), ("MATH", "Dataset"), ("VizDoom", "Dataset"), ("adversarial robustness", "Task"),
         ("distribution shift", "Task")],
        [],
    ),
    (
        "Faster Sparse Reconstruction",
        "Boosting reconstruction quality from undersampling of k-space, our network uses dropout and a cosine "
        "schedule; checkpointing every epoch and a tuned learning rate schedule keep tokenization of the "
        "inputs cheap.",
        [("dropout", "Method"), ("cosine schedule", "Method"), ("learning rate schedule", "Method")],
        ["boosting", "undersampling", "checkpointing"],
    ),
    (
        "Small Backbones for Dense Control",
        "We fine-tune ViT-S and DeiT-T backbones with a U-net decoder by gradient descent, then train agents on "
        "DeepMind Control and OpenAI gym tasks and a language model on Penn Tree Bank.",
        [("ViT-S", "Model"), ("DeiT-T", "Model"), ("U-net", "Model"), ("gradient descent", "Method"),
         ("DeepMind Control", "Dataset"), ("OpenAI gym", "Dataset"), ("Penn Tree Bank", "Dataset")],
        [],
    ),
    (
        "Cheaper Kernels for Small Images",
        "Each block applies a convolution followed by batch normalization; after a short warmup, fine-tuning "
        "with LoRA adapts the network to CIFAR-10.",
        [("batch normalization", "Method"), ("LoRA", "Method"), ("CIFAR-10", "Dataset")],
        ["convolution", "fine-tuning", "warmup"],
    ),
    (
        "Merged Checkpoints for Text-to-SQL",
        "We merge checkpoints with DARE and SLERP, compress prompts with LLMLingua, evaluate on Spider and "
        "BIRD, run Qwen3-VL on AWS Trainium2 chips, and study code repair.",
        [("DARE", "Method"), ("SLERP", "Method"), ("LLMLingua", "Method"), ("Spider", "Dataset"),
         ("BIRD", "Dataset"), ("Qwen3-VL", "Model"), ("AWS Trainium2", "Hardware"), ("code repair", "Task")],
        [],
    ),
    (
        "Listening in Crowded Rooms",
        "Speech recognition in crowded rooms is hard: a whisper, the glow of a screen and a performer on "
        "stage distract the listener, and so does a spider on the wall.",
        [("speech recognition", "Task")],
        ["whisper", "glow", "performer", "spider"],
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("vocabterms")
    src = d / "papers.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i, (title, abstract, _, _) in enumerate(PAPERS):
            fh.write(json.dumps({"id": f"vt{i}", "title": title, "abstract": abstract}) + "\n")
    out = d / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "-o", str(out), "-j", "1", "--no-graphml"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    papers = {}
    for line in (out / "papers.jsonl").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        papers[p["title"]] = p
    return papers


def _by_fold(paper):
    out = {}
    for e in paper["entities"]:
        for form in [e["name"], *e.get("aliases", [])]:
            out.setdefault(fold(form), e)
    return out


@pytest.mark.parametrize("i", range(len(PAPERS)))
def test_common_field_names_are_extracted_with_their_type(built, i):
    got = _by_fold(built[PAPERS[i][0]])
    for name, etype in PAPERS[i][2]:
        assert fold(name) in got, f"{name} not extracted from paper {i}"
        assert got[fold(name)]["type"] == etype, f"{name}: {got[fold(name)]['type']} != {etype}"


@pytest.mark.parametrize("i", range(len(PAPERS)))
def test_generic_words_are_not_entities(built, i):
    got = _by_fold(built[PAPERS[i][0]])
    for word in PAPERS[i][3]:
        assert fold(word) not in got, f"generic word {word!r} extracted as {got[fold(word)]['type']}"


def test_a_vision_transformer_size_is_not_a_speech_model_of_the_same_letters(built):
    # "ViT-S" folds to the same key as the speech model "VITS": the size has its own vocabulary spelling
    got = _by_fold(built["Small Backbones for Dense Control"])
    assert got[fold("ViT-S")]["name"] == "ViT-S"
    assert got[fold("ViT-S")]["attrs"].get("family") == "ViT"
