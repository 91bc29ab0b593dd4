"""paperkg: a knowledge-graph builder for machine-learning research papers.

Data flows one way through the stages:

    kg.sources (readers) -> kg.nlp (spaCy extraction) -> kg.resolve (identity)
    -> kg.graph (the graph model) -> kg.writers (outputs) ; kg.cli on top.
"""

__version__ = "0.1.0"
