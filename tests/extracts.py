"""What the extractor's rule tests share: one invented record through the extractor, and the
links it found as (head, type, tail) triples."""

from kg.types import PaperRecord


def extract(extractor, title, abstract):
    return extractor.extract(PaperRecord(id="t", title=title, abstract=abstract))


def link_triples(x):
    return {(l.head, l.type, l.tail) for l in x.links}


def links(extractor, abstract, title="Songs of birds"):
    """The (head, type, tail) links of one invented abstract under a neutral title."""
    return link_triples(extract(extractor, title, abstract))


def typed(got, kind):
    """The links of one type among (head, type, tail) triples."""
    return {l for l in got if l[1] == kind}


def titled_links(extractor, title, abstract):
    """The (head, type, tail) links of one invented record, title first."""
    return link_triples(extract(extractor, title, abstract))
