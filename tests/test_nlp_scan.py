"""kg.nlp.scan.FastPattern finds exactly what the pattern it wraps finds (invented texts)."""

import re

import pytest

from kg.nlp.hardware import HardwareFinder
from kg.nlp.resources import load_links, load_patterns
from kg.nlp.rules import build_head_re
from kg.nlp.scan import FOLDS_TO_ASCII, FastPattern, _occurrence_form, pattern_facts, top_alternatives

TEXTS = [
    "We propose QuailNet, a model built on BERT (Doe et al., 2021). It outperforms GPT-4 on three "
    "question answering benchmarks and the task of graph colouring, trained on 8 NVIDIA A100 GPUs.",
    "Results on ImageNet, COCO and the Kestrel Suite show gains; code: https://github.com/example/quail.",
    "THE TASK OF SUCH AS datasets OUR MODEL (SMITH, 2020) ON CIFAR",
    # characters a case-insensitive ASCII letter matches, and one that lower-cases to two
    "ſuch as Kelvin \u212aestrel datasets; İmageNet and the \u0130nn benchmark, ﬁne-tuned",
    "Two corpora. the problem of  parsing ; Ten benchmarks , across   Wide Tables: on Foo and Bar.",
    "",
    "naïve café models (Doe & Roe, 1999a) such as ŁukNet, built upon Żubr-7B and LLaMA-2",
    "Trained on 64 NVIDIA H100-80GB GPUs and Intel Xeon CPUs, it runs on embedded devices, smart phones "
    "and a single Google TPU v4 pod; nvidia gpus, low-power platforms, central processing units.",
]


def _toml_patterns():
    out = []

    def walk(v):
        if isinstance(v, str):
            try:
                out.append(re.compile(v))
            except re.error:
                pass
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(load_patterns())
    walk(load_links())
    heads_re, name_re = build_head_re({"benchmark": "Dataset", "dataset": "Dataset", "model": "Model",
                                       "suite": "Dataset"})
    hardware = HardwareFinder()
    return [*out, heads_re, name_re, hardware.class_re.re, hardware.product_re, re.compile(r"(?i:\bsuch\s+as|kestrel)\b"), re.compile(r"(?i)inn\b"),
            re.compile(r"\b(?:two|ten)\s+\w+", re.I)]


def _found(it):
    return [(m.span(), m.groups()) for m in it]


def test_fast_patterns_find_what_the_patterns_find():
    for pat in _toml_patterns():
        fast = FastPattern(pat)
        for text in TEXTS:
            for pos, endpos in ((0, len(text)), (3, len(text)), (0, len(text) // 2), (7, 40)):
                assert _found(fast.finditer(text, pos, endpos)) == _found(pat.finditer(text, pos, endpos)), \
                    (pat.pattern, text, pos, endpos)
                got, want = fast.search(text, pos, endpos), pat.search(text, pos, endpos)
                assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), \
                    (pat.pattern, text)
            assert fast.findall(text) == pat.findall(text)
            assert fast.occurs_in(text) == (pat.search(text) is not None), (pat.pattern, text)


@pytest.mark.parametrize("pattern, alternatives", [
    (r"[A-Z]{1,2}\d|Jetson|Pi\s\d", [r"[A-Z]{1,2}\d", "Jetson", r"Pi\s\d"]),
    (r"a(?:b|c)|d", ["a(?:b|c)", "d"]),
    (r"[|(]x|y", ["[|(]x", "y"]),
    (r"[]|]|z", ["[]|]", "z"]),
    (r"[^]|]|z", ["[^]|]", "z"]),
    (r"\||q", [r"\|", "q"]),
    (r"(a)|b", []),  # a group: its number would change
    (r"(?x)a|b  # c|d", []),  # a comment may hold "|"
    (r"ab", []),
])
def test_an_alternation_splits_at_its_top_level_bars_only(pattern, alternatives):
    assert [p.pattern for p in top_alternatives(re.compile(pattern))] == alternatives


def test_case_insensitive_literals_are_not_looked_for_in_texts_that_fold_otherwise():
    # 'ſ' matches (?i)s, and the Kelvin sign (?i)k: lower-casing the text would miss both
    pat = re.compile(r"(?i:\bsuch\s+as|kestrel)\b")
    fast = FastPattern(pat)
    assert fast.needed is not None and fast.needed[1]  # case-insensitive literals are known
    for text in ("ſuch as", "\u212aestrel", "x \u0130 such as"):
        assert _found(fast.finditer(text)) == _found(pat.finditer(text)) != []


def test_the_characters_folding_to_ascii_letters_are_all_listed():
    folding = {chr(c) for c in range(128, 0x110000)
               if not 0xD800 <= c < 0xE000 and re.match("(?i)[a-z]", chr(c))}
    assert folding == set(FOLDS_TO_ASCII)


@pytest.mark.parametrize("pattern, needed, starts", [
    (r"\b(?:task|problem)\s+of\s+\w+", {"task", "problem"}, {"task", "problem"}),
    (r"\d+\s+(?:datasets|corpora)\b", {"datasets", "corpora"}, None),
    (r"(?<![\w-])(?P<h>(?i:Suite|model))s?\b", {"suite", "model"}, {"suite", "model"}),
    (r"x*", None, None),  # may match nothing: nothing is needed
    (r"[A-Z]\d|foo", None, None),
])
def test_facts_are_read_off_the_pattern(pattern, needed, starts):
    got_needed, got_starts = pattern_facts(re.compile(pattern))
    assert (got_needed and set(got_needed[0])) == needed
    assert (got_starts and set(got_starts[0])) == starts


@pytest.mark.parametrize("pattern, form", [
    (r"[A-Z]{1,2}\d", r"[A-Z]\d"),
    (r"[A-Z]+\d", r"[A-Z]\d"),
    (r"[]x]{1,}y", r"[]x]y"),
    (r"[A-Z]{2,3}\d", r"[A-Z]{2,3}\d"),  # two letters are needed
    (r"x[A-Z]{1,2}\d", r"x[A-Z]{1,2}\d"),  # not leading: "xAB1" holds it, not x[A-Z]\d
    (r"[A-Z0-9]{1,2}+\d", r"[A-Z0-9]{1,2}+\d"),  # possessive: the run may eat the digit
])
def test_a_leading_run_is_searched_as_its_last_character(pattern, form):
    assert _occurrence_form(re.compile(pattern)).pattern == form
    for text in ("xAB1 q", "A1", "AB", "]]]y", "99", "x-Q7", "AB12"):
        assert (re.search(pattern, text) is None) == (re.search(form, text) is None)


def _stem_starts(low: str, stems) -> list[int]:
    """Where a stem begins a word: the definition (a str.find per stem), which the scanners must match."""
    starts = set()
    for stem in stems:
        i = low.find(stem)
        while i >= 0:
            if i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_"):
                starts.add(i)
            i = low.find(stem, i + 1)
    return sorted(starts)


def test_stem_scanners_try_their_patterns_exactly_where_their_stems_begin_a_word():
    # several scanners share one pass over each text (kg.nlp.scan._Stems); each must still see only
    # its own stems' positions: one-character stems, a stem another begins with, stems across words,
    # after digits, '_', a combining accent or a non-ASCII letter (all word characters), or at the end
    from kg.nlp.scan import KindScanner, StemScanner

    any_ = re.compile(r"\w+(?: \w+)?", re.I)
    stems_a = ["such as", "su", "7", "nets", "netsu"]
    stems_b = ["built on", "buil", "é", "as"]
    kinds = [("k1", ["outperform", "as op", "9"], re.compile(r"(?i)outperform\w*|as opposed|\d+")),
             ("k2", ["outperformed", "su"], re.compile(r"(?i)\w+"))]
    a, b, k = StemScanner(stems_a, any_), StemScanner(stems_b, any_), KindScanner(kinds)
    texts = TEXTS + ["such as_such as 7such as7 su", "xbuilt on built on é\u0301é éas as", "nets netsu netsuke",
                     "Outperformed as opposed to 9 and 99, su", "such as", "su", "7"]
    for text in texts:
        low = text.lower()
        for scanner, stems in ((a, stems_a), (b, stems_b)):
            found = [m.start() for m in scanner.finditer(text)]
            expected, last_end = [], -1
            for i in _stem_starts(low, stems):
                m = any_.match(text, i)
                if i >= last_end and m is not None and m.end() > m.start():
                    expected.append(i)
                    last_end = m.end()
            assert found == expected, (text, stems)
        got = [(name, m.span()) for name, m in k.finditer(text)]
        expected, last_end = [], -1
        starts = sorted(set(_stem_starts(low, kinds[0][1])) | set(_stem_starts(low, kinds[1][1])))
        for i in starts:
            if i < last_end:
                continue
            for name, stems, pattern in kinds:
                if i in _stem_starts(low, stems) and (m := pattern.match(text, i)) and m.end() > m.start():
                    expected.append((name, m.span()))
                    last_end = m.end()
                    break
        assert got == expected, text


def test_the_shared_pass_gives_each_scanner_the_groups_of_its_stems_on_random_cases(monkeypatch):
    # the shared pass finds the longest stem at each word start and maps it, through a table, to
    # every scanner's groups of the stems it begins with; the definition is a str.startswith per
    # stem and word start, per scanner (random stems sharing prefixes, across words, one-character)
    import random

    from kg.nlp import scan
    from kg.nlp.scan import _Owned

    rng = random.Random(12)
    alphabet = "ab -_1é"
    for _case in range(60):
        pool = sorted({"".join(rng.choice(alphabet[:4] if k else "ab1é-") for k in range(rng.randint(1, 5)))
                       for _ in range(12)})
        owners = [[[s for s in pool if rng.random() < 0.35] for _g in range(rng.randint(1, 3))]
                  for _o in range(3)]
        monkeypatch.setattr(scan, "_STEMS", scan._Stems())  # these scanners only
        scanners = [_Owned(groups) for groups in owners]
        for _t in range(15):
            low = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
            for scanner, groups in zip(scanners, owners):
                want: dict[int, int] = {}
                for i in range(len(low)):
                    if i and (low[i - 1].isalnum() or low[i - 1] == "_"):
                        continue
                    bits = 0
                    for k, stems in enumerate(groups):
                        if any(low.startswith(s, i) for s in stems):
                            bits |= 1 << k
                    if bits:
                        want[i] = bits
                got = scanner.bits(low)
                assert got == want and list(got) == sorted(got), (low, groups)


@pytest.mark.parametrize("pattern, text, pos", [
    # a pattern no word character may precede takes its candidates from the scanners' shared pass
    (r"(?<![\w-])(?i:built on|gpus?|quokka)", "Quokka built on GPUs; quokka-built on gpu, xbuilt on", 0),
    (r"(?<![\w-])(?i:built on|gpus?|quokka)", "Quokka built on GPUs; quokka-built on gpu, xbuilt on", 7),
    (r"(?<![\w-])(?i:built on|gpus?|quokka)", "Quokka built on GPUs; quokka-built on gpu, xbuilt on", 16),
    # ... and one that may follow a word character does not
    (r"(?<![^\w])(?i:built|gpu)", "abuilt x built gpu", 0),
    (r"(?<!-)(?i:built|gpu)", "abuilt -built gpu", 0),
])
def test_patterns_opening_with_a_look_behind_find_what_they_find(pattern, text, pos):
    fast, pat = FastPattern(re.compile(pattern)), re.compile(pattern)
    assert _found(fast.finditer(text, pos)) == _found(pat.finditer(text, pos))
    got, want = fast.search(text, pos), pat.search(text, pos)
    assert (got and got.span()) == (want and want.span())
