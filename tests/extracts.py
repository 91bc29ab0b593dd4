"""What the extractor's rule tests share: one invented record through the extractor, and the
links it found as (head, type, tail) triples."""

from kg.types import PaperRecord


def extract(extractor, title, abstract):
    return extractor.extract(PaperRecord(id="t", title=title, abstract=abstract))


def link_triples(x):
    return {(l.head, l.type, l.tail) for l in x.links}
