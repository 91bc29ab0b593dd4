"""Constructions that decide whether the paper proposes a name, and what a proposed name is, on
sentences written for these tests (invented names; the tests' small vocabulary, tests/fixtures/vocab).

Each case is (behaviour, title, abstract, name, expected): ``expected`` is the (type, role) the entity
must have, ``NOT_PROPOSED`` (absent, or present with another role) or ``ABSENT``."""

import pytest

from extracts import extract

NOT_PROPOSED = "not proposed"
ABSENT = "absent"
T = "Small models"

CASES = [
    # a title's name typed by its own head noun or known type
    ("title name ending in a Model head is a Model", "Pebble-Cotes Gravel Networks: On the Time Evolution of Sand",
     "We study sand.", "Pebble-Cotes Gravel Networks", ("Model", "PROPOSES")),
    ("title name without a Model head keeps the subtitle type", "Pebble-Cotes Gravel Sorting: On the Time Evolution of Sand",
     "We study sand.", "Pebble-Cotes Gravel Sorting", ("Method", "PROPOSES")),
    ("a leading article is no part of the title colon's name", "The Pebble Skip Graph: A Fault-Tolerant Relay Structure",
     "We present a data structure, which we call the pebble skip graph.", "Pebble Skip Graph", ("Method", "PROPOSES")),
    ("a title colon head of words joined by a function word is a name", "Break-for-Make: Modular Pebble Adapters",
     "We propose break-for-make pebble sorting.", "Break-for-Make", ("Method", "PROPOSES")),
    ("... and no name keeps it", "The Pebble Skip Graph: A Fault-Tolerant Relay Structure",
     "We present a data structure, which we call the pebble skip graph.", "The Pebble Skip Graph", ABSENT),
    # a title's "via X"
    ("title means written as a common noun is used", "Pebble Sorting via Global Hashing",
     "The convergence of global hashing is studied. Sorting follows from global hashing.", "Global Hashing", ("Method", "USES")),
    ("title means named in the paper's own voice is proposed", "Pebble Sorting via Global Hashing",
     "We introduce a sorter that relies on global hashing.", "Global Hashing", ("Method", "PROPOSES")),
    ("title means the abstract does not write is proposed", "Pebble Sorting via Global Hashing",
     "Sorting is hard for gravel.", "Global Hashing", ("Method", "PROPOSES")),
    ("title means that 'of' continues is no technique", "Deep Sorters via Compositions of Small Gravel Networks",
     "We prove bounds.", "Compositions", ABSENT),
    ("means of a title named after the paper's own system is used", "PloverNet: Robust Pebble Sorting via Gravel Hashing",
     "We sort pebbles well.", "Gravel Hashing", ("Method", "USES")),
    ("... whose own name is proposed", "PloverNet: Robust Pebble Sorting via Gravel Hashing",
     "We sort pebbles well.", "PloverNet", ("Model", "PROPOSES")),
    # another work's contribution
    ("a name another work has proposed is used", T,
     "Recent work has proposed PloverNet, a novel sorting network. PloverNet is slow.", "PloverNet", ("Model", "USES")),
    ("a name Doe et al. introduced is used", T,
     "Doe et al. (2021) introduced PloverNet, a new network for sorting.", "PloverNet", ("Model", "USES")),
    ("a name the paper has developed is proposed", T,
     "In this paper we have developed PloverNet, a new network for sorting.", "PloverNet", ("Model", "PROPOSES")),
    ("a known name apposed to a new thing outside the paper's voice is used", T,
     "With the advent of LLaMA, a new wave of sorting methods has emerged.", "LLaMA", ("Model", "USES")),
    ("a known name apposed to a new thing in the paper's voice is proposed", T,
     "In our work, LLaMA, a new family of sorters, is introduced.", "LLaMA", ("Model", "PROPOSES")),
    # where the proposed object ends
    ("a name the object covers is not proposed", T,
     "We curate a dataset of 500 graphs covering the whole QRV parameter space.", "QRV", NOT_PROPOSED),
    ("a name the object spans is not proposed", T,
     "We introduce the first sorting benchmark spanning pebbles and GRVs.", "GRVs", NOT_PROPOSED),
    ("the object itself is still proposed", T,
     "We introduce PloverBench, a benchmark of pebble sorting.", "PloverBench", ("Dataset", "PROPOSES")),
    ("'a family of' opens no name", T,
     "We introduce a family of gravel pruning techniques for small models.", "gravel pruning", ("Method", "PROPOSES")),
    ("'a class of' opens no name", T,
     "We introduce a class of gravel pruning techniques for small models.", "class of gravel pruning", ABSENT),
    ("a single letter is no proposed name", T,
     "We curate a dataset of 600K lines of F* programs and proofs.", "F", ABSENT),
    # titles that study what they name
    ("a coinage in a question title is studied", "Are PloverNets Robust to Gravel?",
     "We study PloverNets under gravel noise.", "PloverNets", ("Model", "USES")),
    ("a coinage in a 'Revisiting' title is studied", "Revisiting PloverNet for Pebble Sorting",
     "We study PloverNet under gravel noise.", "PloverNet", ("Model", "USES")),
    ("coinages compared in a title are studied", "Sorting with PloverNet vs. SiskinNet",
     "We study PloverNet under gravel noise.", "PloverNet", ("Model", "USES")),
    ("a coinage in a plain title is proposed", "PloverNet Rediscovers the Classical Gravel Pipeline",
     "We find that PloverNet sorts gravel.", "PloverNet", ("Model", "PROPOSES")),
    ("a studied title's coinage the abstract introduces is proposed", "Are PloverNets Robust to Gravel?",
     "We introduce PloverNets, a new family of sorters.", "PloverNets", ("Model", "PROPOSES")),
    # "we describe / open-source X": new names only
    ("a new name the paper describes is proposed", T,
     "In this paper, we describe PloverNet, a system for sorting pebbles.", "PloverNet", ("Method", "PROPOSES")),
    ("a new name the paper open-sources is proposed", T,
     "In this paper, we open-source PloverNet, a system for sorting pebbles.", "PloverNet", ("Method", "PROPOSES")),
    ("a known name the paper describes is used", T,
     "We describe BERT and how it sorts pebbles.", "BERT", ("Model", "USES")),
    ("'we describe how X' proposes nothing", T,
     "We describe how PloverNet sorts pebbles. PloverNet is old.", "PloverNet", NOT_PROPOSED),
    # "the proposed X"
    ("a coinage after 'the proposed' is the paper's own", T,
     "We sort pebbles. Experiments show that the proposed PloverNet outperforms BERT.", "PloverNet", ("Model", "PROPOSES")),
    ("... and what it is compared with is used", T,
     "We sort pebbles. Experiments show that the proposed PloverNet outperforms BERT.", "BERT", ("Model", "USES")),
    ("a known name after 'the proposed' is not made the paper's own", T,
     "We sort pebbles. The proposed BERT baseline is strong.", "BERT", ("Model", "USES")),
    # acronym definitions
    ("a lower-case definition in the paper's voice is proposed", T,
     "We introduce quail grid sorting (QGS), a technique for pebbles.", "quail grid sorting", ("Method", "PROPOSES")),
    ("Title Case definitions of a paper that proposes are its parts", T,
     "We propose PloverNet for pebble sorting. The search is steered by gravel noise and a Gravel Deviation Unit (GDU).",
     "Gravel Deviation Unit", ("Method", "PROPOSES")),
    ("Title Case definitions of a paper that proposes nothing are used", T,
     "Sorting is studied. The Gravel Deviation Unit (GDU) is fast on pebbles.", "Gravel Deviation Unit", NOT_PROPOSED),
    ("a definition after a usage word is used", T,
     "We propose PloverNet for pebble sorting. It is a filter using the Gravel Deviation Unit (GDU).",
     "Gravel Deviation Unit", NOT_PROPOSED),
    ("a proposed lower-case name ending in a Model head is a Model", T,
     "We propose a novel pebble sorting network (PSN) that outperforms BERT.", "pebble sorting network", ("Model", "PROPOSES")),
    ("a proposed lower-case name ending in another head is a Method", T,
     "We propose a novel pebble sorting scheme (PSS) that outperforms BERT.", "pebble sorting scheme", ("Method", "PROPOSES")),
    ("a one-word long form's own suffix types its definition", T,
     "We introduce KestrelLLM (KTR), a new architecture for gravel. KTR is faster than other sorters.", "KestrelLLM",
     ("Model", "PROPOSES")),
    # a title that opens with a new architecture
    ("a title opening with a Title Case architecture name proposes it", "Gated Pebble Transformers for Sorting",
     "We study sorting with a new architecture.", "Gated Pebble Transformers", ("Model", "PROPOSES")),
    # a known name the proposal acts on
    ("a gerund before a known name makes no variant of it", T,
     "We propose pruning BERT with LoRA on pebbles.", "pruning BERT", ABSENT),
    ("... and the known name is used", T, "We propose pruning BERT with LoRA on pebbles.", "BERT", ("Model", "USES")),
    ("a modifier before a known name is the paper's variant", T,
     "We propose memory-light LoRA for pebbles.", "memory-light LoRA", ("Method", "PROPOSES")),
    # a list the propose clause announces
    ("a purpose clause with its own list may stand before the announced items", T,
     "We introduce two novel techniques to enhance speed, memory and accuracy, such as gravel extension and pebble folding.",
     "pebble folding", ("Method", "PROPOSES")),
]


@pytest.mark.parametrize(("title", "abstract", "name", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_proposal_construction(extractor, title, abstract, name, expected):
    got = {e.name: (e.type, e.role) for e in extract(extractor, title, abstract).entities}
    if expected == ABSENT:
        assert name not in got
    elif expected == NOT_PROPOSED:
        assert got.get(name, (None, None))[1] != "PROPOSES"
    else:
        assert got.get(name) == expected


def test_a_lower_case_architecture_phrase_later_in_a_title_is_not_proposed(extractor):
    x = extract(extractor, "Sorting with gated pebble transformers", "We study sorting with gated pebble transformers.")
    assert all(e.role != "PROPOSES" for e in x.entities)
