"""Names vulture reports as unused in kg/ that stay, each with its reason.

`.ci/run` runs ``python3 -m vulture kg/ .ci/vulture_whitelist.py --min-confidence 60``:
anything else vulture finds unused in kg/ must go, or be listed here with why.
(A bare name below counts as a use for vulture; nothing imports this file.)
"""

# click commands: registered by their decorators, called by click
stats, evaluate_cmd, push_neo4j_cmd, push_falkordb_cmd, export_neo4j_import_cmd, export_cypher_cmd  # noqa
sparql  # kg/cli.py's `kg sparql`, and kg/rdf/sparql.py's public query function

# spaCy pipeline factories: registered by @Language.factory, created by name in add_pipe()
make_sentences, make_vocab, make_hardware, make_abbreviations, make_cues, make_assemble  # noqa
fast_tokenizer_factory  # kg/nlp/pipeline.py: registered with spacy.registry.tokenizers, named in blank()'s config
__getattr__  # kg/nlp/__init__.py: PEP 562 module attribute (lazy import)

# renderers: instantiated by name from kg.writers.REGISTRY ("module:Class")
PapersJsonl, GraphJsonl, Turtle, NTriples, NQuads, RdfXml, JsonLd, GraphMl, CsvEdges  # noqa

# dataclass fields: serialised (summary.json, asdict) or read by templates and other stages
skipped_records, truncated_records  # BuildSummary -> summary.json
date_iso, tail_type, shape  # PaperRecord, Link, validate's Violation: part of the records' shape
SECTION_KINDS  # kg.types: the section kinds kg/sources/sections.py documents and assigns
degree, url_label, detail, paper_total  # kg/serve/nodes.py view fields, read by the Jinja templates
row_factory  # sqlite3.Connection attribute, read by sqlite3
pids  # kg/serve/sparql.py property, used by tests/servekit.py
writable  # kg/serve/worker.py io.RawIOBase protocol method

# namespace terms declared for completeness of the vocabulary module (kg/vocab.py)
string, Algorithm, ONTOLOGY_VERSION_IRI  # XSD.string, MLS alignment, the owl:versionIRI tests check
all_terms  # tests/test_vocab.py checks every emitted term is declared

# library API used by tests, scripts/bench.py and the README
get_edge, GraphFile  # kg.graph: reading a graph in memory / streaming graph.jsonl
iter_triples, iter_quads, write_rdf_outputs, bench_rdf  # kg.writers.rdf
write_graph_jsonl  # kg.writers.graph_jsonl: a hand-made graph as graph.jsonl (tests)
all_statements, split_script, push_falkordb, bench_falkordb  # kg.writers cypher/falkordb API

# kg/nlp/assemble.py: compiled cues the nlp helper's rules-table work (#12, other half) is moving
outperform, based_on, trained_on  # noqa

# kgo: classes and properties of the entity and edge types: looked up by name (KGO[...]) from the
# declarations in kg.types (ENTITY_TYPE_TABLE, ROLE_TABLE, LINK_TABLE); the MLS alignment's Model and Task
Method, Model, Hardware, Task, proposes, uses, evaluatesOn, usesHardware, addresses  # noqa
basedOn, outperforms, trainedOn, isA  # noqa

# just added by other helpers' work, unused so far (theirs to use or drop)
terminate_with_parent  # kg/lifetime.py (reliab)
command_class, group_class  # kg/cli.py: click.Group attributes click reads to make subcommands
__path__  # kg/nlp/light_spacy.py: makes the placeholder spacy.cli a package, read by the import system
__cause__  # kg/workpool.py: a failed task's exception gets the worker's traceback as its cause (read by traceback printing)
