"""The ``kg`` command line: a thin click layer; each command calls one library function."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from . import __version__
from .sources import FORMATS as INPUT_FORMATS
RDF_FORMATS = ("turtle", "ntriples", "nquads", "jsonld", "rdfxml")


class _Progress:
    """A one-line counter on stderr, only when stderr is a terminal."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, n: int) -> None:
        now = time.monotonic()
        if self.enabled and now - self._last > 0.2:
            self._last = now
            click.echo(f"\r  {self.what}: {n:,} papers", nl=False, err=True)

    def done(self) -> None:
        if self.enabled and self._last:
            click.echo("\r" + " " * 60 + "\r", nl=False, err=True)


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr, force=True)


class _KgGroup(click.Group):
    """The entry point's one place for failures: whatever a command raises
    becomes one line on stderr and exit status 1 (:func:`kg.errors.describe`),
    credentials masked; ``--debug`` or ``-vv`` lets the traceback through."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.meta.get("kg.debug"):
                raise
            from .errors import describe, mask_secret

            message = describe(exc)
            if message is None:  # not a user's mistake: a bug; say how to see it
                message = (f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}; "
                           "rerun with --debug for the traceback and report it")
            for secret in ctx.meta.get("kg.secrets", ()):
                message = mask_secret(message, secret)
            raise click.ClickException(message) from None


def _remember_secret(secret: str | None) -> None:
    """Mask ``secret`` in any error message the entry point prints."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and secret:
        ctx.meta.setdefault("kg.secrets", []).append(secret)


@click.group(cls=_KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug, with tracebacks).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.option("--debug", is_flag=True, help="Show the traceback of a failure instead of one line.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool, debug: bool) -> None:
    """Build a knowledge graph of machine-learning research from paper records.

    Reads Hugging Face paper listings, arXiv API feeds and metadata dumps, and
    JSON Lines; extracts the methods, models, datasets, hardware and tasks each
    paper names; writes the graph as JSON Lines, RDF and GraphML.

    A mistake (a missing file, a server that does not answer) is one line on
    stderr and exit status 1 (2 for a wrong option); --debug shows the traceback.
    """
    ctx.meta["kg.debug"] = debug or verbose > 1
    ctx.meta["kg.quiet"] = quiet
    _setup_logging(verbose, quiet)


def _input_options(f):
    f = click.option("--input-format", "input_format", type=click.Choice(INPUT_FORMATS),
                     help="Force the input format instead of sniffing it from content.")(f)
    f = click.option("--strict", is_flag=True,
                     help="Exit non-zero when any record was skipped as unreadable.")(f)
    return f


def _check_strict(strict: bool, skipped: int) -> None:
    if strict and skipped:
        raise click.ClickException(f"{skipped} record(s) skipped (--strict)")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path), default=Path("kg-out"),
              show_default=True, help="Output directory.")
@_input_options
@click.option("--base-iri", default=None, help="Base IRI for minted resources "
              "[default: https://w3id.org/paperkg/resource/].")
@click.option("--rdf-format", "rdf_formats", multiple=True, type=click.Choice(RDF_FORMATS),
              help="RDF serialisation(s) to write; repeat for several [default: turtle].")
@click.option("--no-graphml", is_flag=True, help="Skip graph.graphml.")
@click.option("--format", "formats", multiple=True, type=click.Choice(("csv",)),
              help="Further output format(s) of kg.writers.REGISTRY, e.g. csv (edges.csv); repeat for several.")
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="Extraction processes [default: number of cores]. Output is identical for any value.")
@click.option("--update", is_flag=True,
              help="Add to an existing OUTDIR: unchanged input files are not read, only new or changed "
                   "papers are extracted, and the outputs are patched, not rewritten. Same result as a "
                   "full build when new INPUTS come after the old ones.")
@click.option("--prune", is_flag=True, help="With --update: drop papers that are not in INPUTS any more.")
@click.option("--dask", "dask_address", metavar="SCHEDULER_ADDRESS",
              help="Run extraction on a Dask distributed cluster (needs the 'dask' extra), "
                   "e.g. tcp://10.0.0.5:8786. The output equals a local build's.")
@click.option("--neo4j", "neo4j_uri", metavar="URI",
              help="Also push the graph to Neo4j over Bolt: what changed since the last push there "
                   "(user NEO4J_USERNAME, password NEO4J_PASSWORD or a prompt).")
@click.option("--neo4j-database", default=None, help="Neo4j database for --neo4j [default: the server's].")
@click.option("--aliases", "aliases", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Curation file (TSV): 'surface<TAB>node id' merges, '!surface<TAB>node id' keeps apart. "
                   "See OUTDIR/resolution.tsv (kg stats --resolution) for what to curate.")
def build(inputs, outdir, input_format, strict, base_iri, rdf_formats, no_graphml, workers, update, prune,
          dask_address, neo4j_uri, neo4j_database, formats=(), aliases=None):
    """Build the graph from INPUTS (files or directories; none = the bundled sample).

    Writes papers.jsonl, graph.jsonl, graph.ttl, graph.graphml and summary.json
    into the output directory. Unreadable records are skipped with a warning
    naming file and line, and counted in the summary.
    """
    from .build import BuildOptions, build as run_build, default_workers
    from .errors import ensure_writable_dir
    from .writers.rdf import DEFAULT_BASE_IRI

    opts = BuildOptions(inputs=inputs, outdir=outdir, input_format=input_format,
                        base_iri=base_iri or DEFAULT_BASE_IRI, rdf_formats=rdf_formats or ("turtle",),
                        graphml=not no_graphml, formats=formats, workers=workers or default_workers(),
                        update=update, prune=prune, dask=dask_address, aliases=aliases)
    if prune and not update:
        raise click.UsageError("--prune only makes sense with --update")
    ensure_writable_dir(outdir)
    progress = _Progress("extracting")
    from .curation import CurationError

    try:
        summary = run_build(opts, progress)
    except CurationError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.done()
    click.echo(f"wrote {', '.join(sorted(summary.outputs.values()))} to {outdir}", err=True)
    if neo4j_uri:
        import os

        _push_to_neo4j(outdir, neo4j_uri, os.environ.get("NEO4J_USERNAME", "neo4j"), neo4j_database, 500)
    click.echo(summary.one_line())
    _check_strict(strict, summary.skipped)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The papers.jsonl-style file to write.")
@_input_options
def extract(inputs, out, input_format, strict):
    """Extract entities and relations from INPUTS into one JSON Lines file (no graph)."""
    from .build import extract as run_extract
    from .errors import ensure_writable_file

    ensure_writable_file(out)
    progress = _Progress("extracting")
    try:
        n, report = run_extract(inputs, out, input_format, progress)
    finally:
        progress.done()
    click.echo(f"{n} papers, {report.duplicates} duplicates merged, {len(report.skipped)} skipped -> {out}")
    _check_strict(strict, len(report.skipped))


@main.command()
@click.argument("outdir", type=click.Path(exists=True, path_type=Path), default=Path("kg-out"))
@click.option("--json", "as_json", is_flag=True, help="Print summary.json as is.")
@click.option("--resolution", is_flag=True,
              help="Print the resolution audit (OUTDIR/resolution.tsv): every node with its surface forms "
                   "and paper counts, then candidate merges not made.")
def stats(outdir, as_json, resolution=False):
    """Print a build's summary (OUTDIR/summary.json) as a table."""
    import json

    from .build import read_summary

    if resolution:
        from .curation import RESOLUTION_TSV

        path = outdir / RESOLUTION_TSV
        if not path.is_file():
            raise click.ClickException(f"{path}: no resolution audit here; run `kg build -o {outdir}` first")
        click.echo(path.read_text(encoding="utf-8"), nl=False)
        return

    s = read_summary(outdir)
    if as_json:
        click.echo(json.dumps(s, indent=2, sort_keys=True))
        return
    rows = [("papers", s["papers"]), ("extracted this run", s.get("extracted", s["papers"])),
            ("pruned", s.get("pruned", 0)), ("duplicates merged", s["duplicates_merged"]), ("skipped", s["skipped"])]
    rows += [(f"entities: {k}", v) for k, v in sorted(s["entities"].items())]
    rows += [("entities: total", sum(s["entities"].values()))]
    rows += [(f"edges: {k}", v) for k, v in sorted(s["edges"].items())]
    rows += [("edges: total", sum(s["edges"].values())), ("mentions", s["mentions"]),
             ("extractor", s["extractor"]), ("seconds", s["seconds"])]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        click.echo(f"{k:<{width}}  {v}")
    for rec in s.get("skipped_records", [])[:20]:
        click.echo(f"skipped {rec['source']}:{rec['line']}: {rec['reason']}")


@main.command("evaluate")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold JSONL (GUIDE.md format).")
@click.option("--pred", "pred_path", type=click.Path(exists=True, dir_okay=False),
              help="Score this papers.jsonl-style file instead of running the extractor.")
@click.option("--input-format", "input_format", type=click.Choice(INPUT_FORMATS),
              help="Force the format of INPUT instead of sniffing it from content.")
@click.option("--split", "split_spec", metavar="K/N",
              help="Score apart the gold papers whose 1-based line number leaves remainder K when divided by N "
                   "(0/5: lines 5, 10, 15, ...), and the rest.")
@click.option("--allow-missing", is_flag=True, help="Score gold papers without a prediction as empty instead of failing.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), help="Write per-item errors (JSONL) here.")
def evaluate_cmd(inputs, gold_path: str, pred_path: str | None, input_format: str | None, split_spec: str | None,
                 allow_missing: bool, as_json: bool, errors_path: str | None) -> None:
    """Score extraction against a gold file: entities per type, roles, links.

    The extractor runs on INPUT (files or directories of any input format);
    with no INPUT and no --pred, on the gold file's own titles and abstracts.
    Predictions find their gold paper by id, or by the id the readers derive
    from the title; when some gold paper has no prediction, the command says
    so and exits 1 (--allow-missing scores it as empty).

    \b
    Examples:
      kg evaluate --gold dev-gold.jsonl
      kg evaluate --gold dev-gold.jsonl --split 0/5          # lines 5, 10, ... apart from the rest
      kg evaluate --gold dev-gold.jsonl --pred out/papers.jsonl --errors errors.jsonl
    """
    import json

    from . import evaluate as ev

    if inputs and pred_path:
        raise click.UsageError("give INPUT files or --pred, not both")
    try:
        split = ev.Split.parse(split_spec) if split_spec else None
        gold = ev.read_gold(gold_path)
        if pred_path:
            pred = ev.read_predictions(pred_path)
        elif inputs:
            pred = ev.predict_inputs(inputs, input_format)
        else:
            pred = None
        scored = ev.score(gold, pred, split, allow_missing)
    except ev.EvaluationInputError as exc:
        raise click.ClickException(str(exc)) from exc
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as fh:
            for e in scored.errors():
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    if as_json:
        click.echo(json.dumps(scored.as_dict(), indent=2))
    else:
        click.echo(scored.table())

# -- Cypher targets: Neo4j, FalkorDB, neo4j-admin import, cypher-shell script ---------------

def _load_graph_or_fail(outdir: Path):
    from .graph import load_graph

    return load_graph(outdir)


@main.group()
def push() -> None:
    """Write a build's graph into a graph database: only what changed since the last push there.

    What each target was sent is kept in OUTDIR/.kg/pushed; the delta assumes
    nobody else changed the pushed graph since (else use --full).
    """


_full_option = click.option(
    "--full", is_flag=True,
    help="Send the whole graph and reset the push state (after the database was wiped or edited by hand).")


@push.command("neo4j")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--uri", envvar="NEO4J_URI", required=True, help="Bolt URI, e.g. bolt://localhost:7687 [env NEO4J_URI].")
@click.option("--username", "-u", envvar="NEO4J_USERNAME", default="neo4j", show_default=True,
              help="User name [env NEO4J_USERNAME].")
@click.option("--database", "-d", default=None, help="Database name [default: the server's default].")
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Rows per UNWIND batch (one managed write transaction each).")
@_full_option
def push_neo4j_cmd(outdir, uri, username, database, batch_size, full):
    """Push OUTDIR's graph to Neo4j over Bolt (the changes since the last push to this URI and database).

    The password comes from NEO4J_PASSWORD or a hidden prompt; it is never
    printed, logged or stored.
    """
    _push_to_neo4j(outdir, uri, username, database, batch_size, full)


def _neo4j_auth(uri: str, username: str) -> tuple[tuple[str, str] | None, str | None]:
    """(auth, password): from the URI, else NEO4J_PASSWORD, else a hidden prompt."""
    import os
    from urllib.parse import urlsplit

    password = urlsplit(uri).password
    if password is not None:  # credentials in the URI (bolt://user:pw@host) are used as they are
        return None, password
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        if sys.stdin.isatty():
            password = click.prompt(f"Neo4j password for {username}", hide_input=True, err=True)
        else:  # a line piped to stdin (echo "$PW" | kg push …), else nobody to ask
            line = sys.stdin.readline()
            if not line:
                raise click.ClickException(
                    f"no password for Neo4j user {username!r}: NEO4J_PASSWORD is not set and there is no "
                    "terminal to prompt on; set NEO4J_PASSWORD or put user:password in the URI")
            password = line.rstrip("\r\n")
    return (username, password), password


def _push_to_neo4j(outdir: Path, uri: str, username: str, database: str | None, batch_size: int,
                   full: bool = False) -> None:
    from .writers.neo4j import push_neo4j_outdir

    auth, password = _neo4j_auth(uri, username)
    _remember_secret(password)  # any error message the entry point prints masks it
    summary = push_neo4j_outdir(outdir, uri, auth, database, batch_size, full)
    click.echo(str(summary))


@push.command("falkordb")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--url", default=None, help="redis://host:port of a running FalkorDB "
              "[default: start a local one on OUTDIR/.falkordb].")
@click.option("--graph", "graph_name", default="paperkg", show_default=True, help="FalkorDB graph key.")
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True)
@_full_option
def push_falkordb_cmd(outdir, url, graph_name, batch_size, full):
    """Push OUTDIR's graph to FalkorDB (the same write statements as Neo4j; the changes since the last push)."""
    from .writers.falkordb import push_falkordb_outdir

    summary = push_falkordb_outdir(outdir, url=url, graph_name=graph_name, batch_size=batch_size, full=full)
    click.echo(str(summary))


@main.group()
def export() -> None:
    """Export a build's graph for other tools."""


@export.command("neo4j-import")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--database", default="neo4j", show_default=True, help="Database name in import.sh.")
def export_neo4j_import_cmd(outdir, dest, database):
    """CSV files and import.sh for `neo4j-admin database import full`."""
    from .errors import ensure_writable_dir
    from .writers.neo4j_import import export_neo4j_import

    ensure_writable_dir(dest, "export directory")
    files = export_neo4j_import(_load_graph_or_fail(outdir), dest, database)
    click.echo(f"wrote {len(files.node_files)} node files, {len(files.rel_files)} relationship files "
               f"and {files.script.name} to {dest}")


@export.command("cypher")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_cypher_cmd(outdir, file):
    """A cypher-shell script that rebuilds the graph (cypher-shell -f FILE)."""
    from .errors import ensure_writable_file
    from .writers.cypher_script import export_cypher_script

    ensure_writable_file(file)
    n = export_cypher_script(_load_graph_or_fail(outdir), file)
    click.echo(f"wrote {n} statements to {file}")


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a file (e.g. scripts/queries/01_papers_proposing_models.cypher).")
@click.option("--data", "outdir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("kg-out"), show_default=True, help="Build output whose local FalkorDB to query.")
@click.option("--url", default=None, help="Query a running FalkorDB at redis://host:port instead.")
@click.option("--graph", "graph_name", default="paperkg", show_default=True)
@click.option("--param", "params", multiple=True, metavar="NAME=JSON",
              help="Query parameter, value as JSON (or a bare string); repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print rows as JSON Lines instead of a table.")
def cypher(query, query_file, outdir, url, graph_name, params, as_json):
    """Run a read-only Cypher QUERY on the local FalkorDB engine and print a table.

    With no --url, a FalkorDB server is started on OUTDIR/.falkordb (loaded
    from OUTDIR/graph.jsonl when the build changed since the last load) and
    stopped afterwards.
    """
    import json

    from .writers.falkordb import format_table, query_local

    if (query is None) == (query_file is None):
        raise click.UsageError("give a QUERY or --file, not both")
    text = query if query is not None else query_file.read_text(encoding="utf-8")
    parsed = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name.isidentifier():
            raise click.BadParameter(f"{p!r}: expected NAME=VALUE", param_hint="--param")
        try:
            parsed[name] = json.loads(value)
        except ValueError:
            parsed[name] = value
    header, rows = query_local(outdir, text, parsed or None, url=url, graph_name=graph_name)
    if as_json:
        for row in rows:
            click.echo(json.dumps(dict(zip(header, row)), ensure_ascii=False, default=str))
    else:
        click.echo(format_table(header, rows))


# -- RDF: validate, sparql, serve (library code in kg/rdf/) -------------------------

def _build_base_iri(outdir: Path, base_iri: str | None) -> str | None:
    """The base IRI a build used: --base-iri, else summary.json's, else the default."""
    if base_iri:
        return base_iri
    import json

    try:
        return json.loads((Path(outdir) / "summary.json").read_text(encoding="utf-8")).get("base_iri")
    except (OSError, ValueError):
        return None


@main.command()
@click.argument("outdir", type=click.Path(exists=True, path_type=Path), default=Path("kg-out"))
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="SHACL shapes [default: ontology/shapes.ttl].")
@click.option("--base-iri", default=None, help="Base IRI of the build, for short names in the report.")
@click.option("--limit", type=int, default=100, show_default=True, help="Print at most this many violations.")
def validate(outdir, shapes, base_iri, limit):
    """Check a build's RDF against the SHACL shapes; exit 1 on violations."""
    from .rdf.validate import SHAPES
    from .rdf.validate import validate as run_validate

    report = run_validate(outdir, shapes or SHAPES, _build_base_iri(outdir, base_iri))
    for v in report.violations[:limit]:
        click.echo(str(v))
    if len(report.violations) > limit:
        click.echo(f"... and {len(report.violations) - limit} more")
    click.echo(report.summary(), err=not report.conforms)
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("-d", "--data", "outdir", type=click.Path(exists=True, path_type=Path), default=Path("kg-out"),
              show_default=True, help="Build output directory (or an RDF file).")
@click.option("-o", "--output", type=click.Choice(("table", "csv", "tsv", "json")), default="table",
              show_default=True, help="SELECT results as a table or SPARQL CSV/TSV/JSON results.")
@click.option("-b", "--bind", "bindings", multiple=True, metavar="NAME=VALUE",
              help="Bind a variable (it must be projected): <iri>, prefix:local, "
                   "'\"5\"^^xsd:integer' or plain text. Repeatable.")
@click.option("--base-iri", default=None, help="Base IRI of the build (for the kg:, paper:, model: … prefixes).")
def sparql(query, outdir, output, bindings, base_iri):
    """Run a SPARQL QUERY (text or a .rq file) on a build's RDF, locally.

    The prefixes kgo, rdf, rdfs, xsd, dcterms, skos, schema, prov and kg, paper,
    method, model, dataset, hardware, task, stmt are predeclared.
    """
    from .rdf.sparql import format_results, load_store, parse_binding, read_query, run_query

    query_text = read_query(query)  # a missing .rq file fails before the store is loaded
    loaded = load_store(outdir, _build_base_iri(outdir, base_iri))
    subs = dict(parse_binding(b, loaded.prefixes) for b in bindings)
    result = run_query(loaded, query_text, {k.value: v for k, v in subs.items()})
    text = format_results(result, output, loaded.prefixes)
    click.echo(text, nl=False)


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("kg-out"))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port (0: any free one).")
@click.option("--base-iri", default=None, help="Base IRI of the build [default: the one summary.json records].")
@click.option("--rebuild", is_flag=True, help="Reload OUTDIR/.oxigraph from the RDF even if it looks current.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="SPARQL query worker processes (queries evaluated at once).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may take, waiting included; then its worker is killed and the client gets 503.")
@click.option("--max-queue", type=click.IntRange(0), default=256, show_default=True,
              help="Queries that may wait for a worker; more get 503.")
@click.option("--max-body-kb", type=click.IntRange(1), default=1024, show_default=True,
              help="Largest request body accepted (413 above).")
@click.option("--max-result-mb", type=click.FloatRange(min=0.001), default=32.0, show_default=True,
              help="Largest serialised query result (422 above).")
def serve(outdir, host, port, base_iri, rebuild, workers, timeout_s, max_queue, max_body_kb, max_result_mb):
    """Explore a build in the browser and query it over SPARQL: one server, one port.

    Pages for every node at its IRI's path (/method/mixture-of-experts; also
    Turtle, N-Triples or JSON-LD by content negotiation), search at /search,
    the read-only SPARQL 1.1 endpoint at /sparql. SIGTERM or Ctrl-C stops it
    and every worker.

    \b
    Examples:
      kg serve kg-out
      kg serve kg-out --port 8080 --timeout 10 --workers 4
      curl -H 'Accept: text/turtle' http://127.0.0.1:7878/method/mixture-of-experts
    """
    from .serve.server import PortInUse, ServeOptions
    from .serve.server import serve as run_serve
    from .serve.sparql import Limits

    limits = Limits(workers=workers, timeout=timeout_s, max_queue=max_queue, max_body=max_body_kb * 1024,
                    max_result=int(max_result_mb * (1 << 20)))
    opts = ServeOptions(outdir=outdir, host=host, port=port, base_iri=_build_base_iri(outdir, base_iri),
                        rebuild=rebuild, limits=limits)
    try:
        code = run_serve(opts, echo=click.echo)
    except (FileNotFoundError, RuntimeError, PortInUse) as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code or 0)


@main.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("kg-out"))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.html"),
              show_default=True, help="The HTML file to write.")
@click.option("--title", default="What this corpus contains", show_default=True, help="The report's heading.")
def report(outdir, out, title):
    """Write one self-contained HTML report of OUTDIR with charts (SVG inline, no network).

    Entities by type; the top methods, models, datasets and hardware by papers;
    papers and hardware mentions over time; a method x dataset heat map; the
    best-supported BASED_ON and OUTPERFORMS links.

    \b
    Examples:
      kg report kg-out -o report.html
      kg report kg-out -o kg-out/report.html    # kg serve links it at /report
    """
    from .report import report as run_report

    tty = sys.stderr.isatty()

    def progress(i: int, n: int, name: str) -> None:
        if tty:
            click.echo(f"\rdrawing {i}/{n}: {name:<28}", nl=False, err=True)

    try:
        charts = run_report(outdir, out, title=title, progress=progress)
    except (FileNotFoundError, OSError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if tty:
            click.echo("\r" + " " * 48 + "\r", nl=False, err=True)
    drawn = sum(1 for c in charts if c.svg)
    click.echo(f"wrote {out}: {drawn} of {len(charts)} charts drawn", err=True)
