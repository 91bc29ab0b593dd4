"""Field-wide techniques of the shipped vocabulary (kg/ontology/vocab/methods.tsv) come out as
Methods wherever a paper names them: learning rules, risk minimisation, search, compilers,
verification. Sentences are invented; every name is general knowledge of the field."""

from __future__ import annotations

import pytest

from kg.types import PaperRecord


@pytest.fixture(scope="module")
def shipped():
    from kg.nlp import Extractor

    return Extractor()


def methods(x):
    return {e.name.lower() for e in x.entities if e.type == "Method"}


def run(ex, title, abstract):
    return ex.extract(PaperRecord(id="t", title=title, abstract=abstract))


@pytest.mark.parametrize("abstract, expected", [
    ("Pebble sorters trained with a Hebbian rule forget less than those trained by empirical risk minimization.",
     {"hebbian rule", "empirical risk minimization"}),
    ("We compile the sorter with high-level synthesis, loop tiling and auto-tuning, and check it by model checking "
     "and symbolic execution.", {"high-level synthesis", "loop tiling", "model checking", "symbolic execution"}),
    ("The rewriter applies equality saturation over e-graphs and discharges side conditions by SMT solving.",
     {"equality saturation", "e-graph", "smt solving"}),
    ("A sensitivity analysis and an exhaustive search over pebble widths, then differentiable programming.",
     {"sensitivity analysis", "exhaustive search", "differentiable programming"}),
    ("Tokenization splits pebbles; a tiling scheme keeps blocks in cache, and a warm-up of 500 steps helps.",
     {"tokenization", "tiling", "warm-up"}),
    ("Unlabelled pebbles are handled by pseudo-labeling after voxelization.", {"pseudo-labeling", "voxelization"}),
    ("The sorter chip uses clock gating and DVFS; its planner is a probabilistic roadmap and its pebbles are "
     "drawn by reservoir sampling.", {"clock gating", "dvfs", "probabilistic roadmap", "reservoir sampling"}),
])
def test_field_wide_techniques_are_methods(shipped, abstract, expected):
    assert expected <= methods(run(shipped, "Sorting Pebbles", abstract))


def test_a_research_area_or_a_prediction_objective_is_no_method(shipped):
    # fields and objectives the annotators treat otherwise stay out of the Method list
    x = run(shipped, "Sorting Pebbles", "We relate static analysis and probabilistic programming to next-token prediction.")
    assert not {"static analysis", "probabilistic programming", "next-token prediction"} & methods(x)


def test_generic_training_words_are_no_methods(shipped):
    x = run(shipped, "Sorting Pebbles", "After pre-training and fine-tuning with momentum, sampling from the sorter "
            "with its attention over pebbles improves.")
    assert not {"pre-training", "fine-tuning", "momentum", "sampling", "attention"} & methods(x)


def test_regression_methods_are_methods_and_a_forest_stays_a_model(shipped):
    x = run(shipped, "Sorting Pebbles", "Pebble features are classified by logistic regression, ridge regression "
            "and a random forest.")
    assert {"logistic regression", "ridge regression"} <= methods(x)
    assert "random forest" in {e.name.lower() for e in x.entities if e.type == "Model"}


def test_physical_units_are_no_entities(shipped):
    # a mixed-case unit written again and again looks like a coined name
    x = run(shipped, "Sorting Pebbles", "Pebbles collapse above 2 eV. The scale stays near 3 eV. We explore masses "
            "(m < 4 eV) and couplings (5 eV - 6 eV) at 3 GHz and 3 GHz.")
    assert not {"ev", "ghz"} & {e.name.lower() for e in x.entities}


def test_common_spellings_of_known_techniques(shipped):
    x = run(shipped, "Sorting Pebbles", "The sorter uses Batch Norm, and its widths are set by mu-Transfer.")
    assert {"batch norm", "mu-transfer"} <= methods(x)
