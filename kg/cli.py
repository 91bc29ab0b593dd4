"""The ``kg`` command line: a thin click layer; each command calls one library function."""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path

import click

from . import __version__
RDF_FORMATS = ("turtle", "ntriples", "nquads", "jsonld", "rdfxml")


class _InputFormats(click.Choice):
    """kg.sources.FORMATS as a choice, imported when an option is parsed or shown (the readers cost
    some 0.07 s to import: ``kg build --update`` forks its extraction worker before that)."""

    def __init__(self) -> None:
        super().__init__(())  # (the choices are not known yet: the property below reads them)

    @property  # type: ignore[override]
    def choices(self):
        from .sources import FORMATS

        return tuple(FORMATS)

    @choices.setter
    def choices(self, _value) -> None:  # click.Choice.__init__ sets them
        pass


def _display():
    """The progress display for this run (kg.progress): live on a terminal, nothing with -q or a pipe."""
    from .progress import for_terminal, reporting

    ctx = click.get_current_context(silent=True)
    return reporting(for_terminal(quiet=bool(ctx and ctx.meta.get("kg.quiet"))))


def _note(message: str) -> None:
    """An informational line on stderr, unless -q (errors only)."""
    ctx = click.get_current_context(silent=True)
    if not (ctx and ctx.meta.get("kg.quiet")):
        click.echo(message, err=True)


class _StderrHandler(logging.StreamHandler):
    """Logs to whatever sys.stderr is now, so a live progress display keeps them above itself."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # The Neo4j driver logs each retry and dropped connection itself; what
    # failed reaches the user as kg's one line, the driver's own story with -v.
    logging.getLogger("neo4j").setLevel(level if verbose else logging.CRITICAL)


class _ExamplesLast:
    """The docstring's "Examples:" section is shown after the options (as
    click's epilog), so every command's --help ends with its examples."""

    def __init__(self, *args, **kwargs) -> None:
        import inspect

        help_text = inspect.cleandoc(kwargs.get("help") or "")
        at = help_text.find("\b\nExamples:")
        if at >= 0 and not kwargs.get("epilog"):
            kwargs["help"], kwargs["epilog"] = help_text[:at].rstrip(), help_text[at:]
        super().__init__(*args, **kwargs)


class _KgCommand(_ExamplesLast, click.Command):
    pass


class _KgGroup(_ExamplesLast, click.Group):
    """The entry point's one place for failures: whatever a command raises
    becomes one line on stderr and exit status 1 (:func:`kg.errors.describe`),
    credentials masked; ``--debug`` or ``-vv`` lets the traceback through."""

    command_class = _KgCommand
    group_class = type  # sub-groups (push, export) are _KgGroups too

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

    \b
    Examples:
      kg build -o kg-out
      kg stats kg-out
      kg sparql scripts/queries/01_papers_proposing_models.rq --data kg-out
    """
    ctx.meta["kg.debug"] = debug or verbose > 1
    ctx.meta["kg.quiet"] = quiet
    _setup_logging(verbose, quiet)


def _stdin_inputs(inputs):
    """INPUTS with ``-`` (standard input) spooled to a temporary file named
    ``stdin``, removed when the command ends (reading makes two passes)."""
    if not any(str(p) == "-" for p in inputs):
        return inputs
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="kg-stdin-"))
    click.get_current_context().call_on_close(lambda: shutil.rmtree(tmp, ignore_errors=True))
    with open(tmp / "stdin", "wb") as fh:
        shutil.copyfileobj(click.get_binary_stream("stdin"), fh)
    return [tmp / "stdin" if str(p) == "-" else p for p in inputs]


@contextlib.contextmanager
def _output_file(out: Path):
    """The file a command writes: ``out``, or for ``-`` a temporary file whose
    bytes go to standard output when the command is done."""
    from .errors import ensure_writable_file

    if str(out) != "-":
        ensure_writable_file(out)
        yield out
        return
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kg-out-") as tmp:
        yield Path(tmp) / "out"
        with open(Path(tmp) / "out", "rb") as fh:
            shutil.copyfileobj(fh, click.get_binary_stream("stdout"))


#: How commands that print rows print them: one option set (:func:`_table_options`).
TABLE_FORMATS = {"table": "Rows as an aligned table (the default).",
                 "csv": "Rows as CSV with a header line.",
                 "tsv": "Rows as tab-separated values with a header line.",
                 "json": "Rows as one JSON document.",
                 "nl": "Rows as newline-delimited JSON: one object a line."}


def _table_options(f):
    """--table / --csv / --tsv / --json / --nl, shared by the query commands and
    kg stats; the command gets one argument, ``fmt`` (at most one flag may be given)."""
    import functools

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        chosen = [name for name in TABLE_FORMATS if kwargs.pop(f"fmt_{name}")]
        if len(chosen) > 1:
            raise click.UsageError(f"give one of --{' / --'.join(TABLE_FORMATS)}, not {len(chosen)}")
        return f(*args, fmt=chosen[0] if chosen else "table", **kwargs)

    for name in reversed(TABLE_FORMATS):
        wrapper = click.option(f"--{name}", f"fmt_{name}", is_flag=True, help=TABLE_FORMATS[name])(wrapper)
    return wrapper


def _emit_rows(header: list[str], rows: list, fmt: str) -> None:
    """Print rows in ``fmt`` (csv/tsv with a header; json an array of objects; nl one object a line)."""
    import csv
    import json

    if fmt in ("csv", "tsv"):
        out = click.get_text_stream("stdout")
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows([v if isinstance(v, (str, int, float)) or v is None else json.dumps(v, default=str)
                          for v in row] for row in rows)
    elif fmt == "json":
        click.echo(json.dumps([dict(zip(header, row)) for row in rows], ensure_ascii=False, indent=2, default=str))
    else:
        for row in rows:
            click.echo(json.dumps(dict(zip(header, row)), ensure_ascii=False, default=str))


def _input_options(f):
    f = click.option("--input-format", "input_format", type=_InputFormats(),
                     help="Force the input format instead of sniffing it from content.")(f)
    f = click.option("--strict", is_flag=True,
                     help="Exit 1 when any record was skipped as unreadable or an input held no record.")(f)
    f = click.option("--include", "include", multiple=True, metavar="GLOB",
                     help="In directory inputs, read only files matching GLOB (path relative to the "
                          "directory, or name), e.g. '*.jsonl'; repeatable.")(f)
    f = click.option("--exclude", "exclude", multiple=True, metavar="GLOB",
                     help="In directory inputs, skip files matching GLOB; repeatable.")(f)
    return f


def _extra_formats() -> list[str]:
    """The registry's formats no other build option (--rdf-format, --no-graphml) covers."""
    from .writers import ALWAYS, REGISTRY

    return [n for n in REGISTRY if n not in (*ALWAYS, *RDF_FORMATS, "graphml")]


def _check_strict(strict: bool, skipped: int, empty: list[str], papers: int) -> None:
    if papers == 0 and not empty:
        _note("warning: the inputs hold no record at all")
    for path in empty:
        _note(f"warning: {path}: no records" + (" (--strict)" if strict else ""))
    if strict and skipped:
        raise click.ClickException(f"{skipped} record(s) skipped (--strict)")
    if strict and empty:
        raise click.ClickException(f"{len(empty)} input(s) with no records, first {empty[0]} (--strict)")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path), default=Path("kg-out"),
              show_default=True, help="Output directory.")
@_input_options
@click.option("--base-iri", default=None, help="Base IRI for minted resources "
              "[default: https://w3id.org/paperkg/resource/].")
@click.option("--rdf-format", "rdf_formats", multiple=True, type=click.Choice(RDF_FORMATS),
              help="RDF serialisation(s) to write; repeat for several [default: turtle].")
@click.option("--no-graphml", is_flag=True, help="Skip graph.graphml.")
@click.option("--format", "formats", multiple=True, type=click.Choice(_extra_formats()),
              help="Further output format(s) of kg.writers.REGISTRY, e.g. csv (edges.csv); repeat for several.")
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="Extraction processes [default: number of cores]. Output is identical for any value.")
@click.option("--update", is_flag=True,
              help="Add to an existing OUTDIR: unchanged input files are not read, only new or changed "
                   "papers are extracted, and the outputs are patched, not rewritten. Same result as a "
                   "full build when new INPUTS come after the old ones.")
@click.option("--prune", is_flag=True,
              help="With --update: drop every paper that is not in this run's INPUTS (so give all inputs, old "
                   "and new: the papers of inputs left out are pruned, and deleted from --neo4j).")
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
def build(inputs, outdir, input_format, strict, include, exclude, base_iri, rdf_formats, no_graphml, workers,
          update, prune, dask_address, neo4j_uri, neo4j_database, formats=(), aliases=None):
    """Build the graph from INPUTS (files or directories; - is standard input; none = the bundled sample).

    Writes papers.jsonl, graph.jsonl, graph.ttl, graph.graphml and summary.json
    into the output directory. Unreadable records are skipped with a warning
    naming file and line, and counted in the summary.

    \b
    Examples:
      kg build -o kg-out                          # the bundled sample
      kg build papers/ --include '*.jsonl' -o out --strict
      kg build papers/ new.jsonl -o out --update   # all inputs, old first
    """
    from .build import BuildOptions, build as run_build, default_workers
    from .errors import ensure_writable_dir
    from .types import DEFAULT_BASE_IRI  # (not kg.writers.rdf: rdflib would load before the workers fork)

    opts = BuildOptions(inputs=_stdin_inputs(inputs), outdir=outdir, input_format=input_format,
                        base_iri=base_iri or DEFAULT_BASE_IRI, rdf_formats=rdf_formats or ("turtle",),
                        graphml=not no_graphml, formats=formats, workers=workers or default_workers(),
                        update=update, prune=prune, dask=dask_address, include=include, exclude=exclude,
                        aliases=aliases)
    if prune and not update:
        raise click.UsageError("--prune only makes sense with --update")
    ensure_writable_dir(outdir)
    if neo4j_uri:  # ask for a password before the build, not after it
        import os

        auth = _neo4j_auth(neo4j_uri, os.environ.get("NEO4J_USERNAME", "neo4j"))
    from .curation import CurationError

    try:
        with _display() as progress:
            summary = run_build(opts, progress)
    except CurationError as exc:
        raise click.ClickException(str(exc)) from None
    _note(f"wrote {', '.join(sorted(summary.outputs.values()))} to {outdir}")
    if summary.pruned:
        _note(f"pruned {summary.pruned} paper(s) whose input was not given this time (--prune)")
    if neo4j_uri:
        _push_to_neo4j(outdir, neo4j_uri, auth, neo4j_database, 500)
    click.echo(summary.one_line())
    _check_strict(strict, summary.skipped, summary.empty_inputs, summary.papers)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              required=True, help="The papers.jsonl-style file to write ('-': standard output).")
@_input_options
def extract(inputs, out, input_format, strict, include, exclude):
    """Extract entities and relations from INPUTS (- is standard input) into one JSON Lines file (no graph).

    \b
    Examples:
      kg extract papers.jsonl -o extracted.jsonl
      zcat dump.jsonl.gz | kg extract - -o - | head
    """
    from .build import extract as run_extract

    with _output_file(out) as path, _display() as progress:
        n, report = run_extract(_stdin_inputs(inputs), path, input_format, progress, include=include,
                                exclude=exclude)
    line = f"{n} papers, {report.duplicates} duplicates merged, {len(report.skipped)} skipped -> {out}"
    _note(line) if str(out) == "-" else click.echo(line)
    _check_strict(strict, len(report.skipped), report.empty_files, n)


@main.command()
@click.argument("outdir", type=click.Path(exists=True, path_type=Path), default=Path("kg-out"))
@click.option("--resolution", is_flag=True,
              help="Print the resolution audit (OUTDIR/resolution.tsv): every node with its surface forms "
                   "and paper counts, then candidate merges not made.")
@_table_options
def stats(outdir, fmt, resolution=False):
    """Print a build's summary (OUTDIR/summary.json) as a table.

    \b
    Examples:
      kg stats kg-out
      kg stats kg-out --json                       # summary.json as is
      kg stats kg-out --resolution                 # the resolution audit (resolution.tsv)
    """
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
    if fmt == "json":
        click.echo(json.dumps(s, indent=2, sort_keys=True))
        return
    rows = [("papers", s["papers"]), ("extracted this run", s.get("extracted", s["papers"])),
            ("pruned", s.get("pruned", 0)), ("duplicates merged", s["duplicates_merged"]), ("skipped", s["skipped"])]
    rows += [(f"entities: {k}", v) for k, v in sorted(s["entities"].items())]
    rows += [("entities: total", sum(s["entities"].values()))]
    rows += [(f"edges: {k}", v) for k, v in sorted(s["edges"].items())]
    rows += [("edges: total", sum(s["edges"].values())), ("mentions", s["mentions"]),
             ("extractor", s["extractor"]), ("seconds", s["seconds"])]
    if fmt != "table":
        _emit_rows(["what", "value"], [list(r) for r in rows], fmt)
        return
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
@click.option("--input-format", "input_format", type=_InputFormats(),
              help="Force the format of INPUT instead of sniffing it from content.")
@click.option("--split", "split_spec", metavar="K/N",
              help="Score apart the gold papers whose 1-based line number leaves remainder K when divided by N "
                   "(0/5: lines 5, 10, 15, ...), and the rest.")
@click.option("--allow-missing", is_flag=True, help="Score gold papers without a prediction as empty instead of failing.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), help="Write per-item errors (JSONL) here.")
@_table_options
def evaluate_cmd(inputs, gold_path: str, pred_path: str | None, input_format: str | None, split_spec: str | None,
                 allow_missing: bool, errors_path: str | None, fmt: str) -> None:
    """Score extraction against a gold file: entities per type, roles, links.

    The extractor runs on INPUT (files or directories of any input format);
    with no INPUT and no --pred, on the gold file's own titles and abstracts.
    Predictions find their gold paper by id, or by the id the readers derive
    from the title; when some gold paper has no prediction, the command says
    so and exits 1 (--allow-missing scores it as empty). --json prints the
    scores as one document; --csv / --tsv / --nl print one row per part and
    scored item (each type, overall, roles, links).

    \b
    Examples:
      kg evaluate --gold dev-gold.jsonl
      kg evaluate --gold dev-gold.jsonl --split 0/5 --csv    # lines 5, 10, ... apart from the rest
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
    if fmt == "json":
        click.echo(json.dumps(scored.as_dict(), indent=2))
    elif fmt == "table":
        click.echo(scored.table())
    else:
        _emit_rows(scored.ROW_HEADER, scored.rows(), fmt)

# -- Cypher targets: Neo4j, FalkorDB, neo4j-admin import, cypher-shell script ---------------

@main.group()
def push() -> None:
    """Write a build's graph into a graph database: only what changed since the last push there.

    What each target was sent is kept in OUTDIR/.kg/pushed; the delta assumes
    nobody else changed the pushed graph since (else use --full).

    \b
    Examples:
      kg push falkordb kg-out
      kg push neo4j kg-out --uri bolt://localhost:7687
    """


_full_option = click.option(
    "--full", is_flag=True,
    help="Send the whole graph and reset the push state (after the database was wiped or edited by hand).")


@push.command("neo4j")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--uri", envvar="NEO4J_URI", required=True, help="Bolt URI, e.g. bolt://localhost:7687 [env NEO4J_URI].")
@click.option("--username", "-u", envvar="NEO4J_USERNAME", default="neo4j", show_default=True,
              help="User name [env NEO4J_USERNAME].")
@click.option("--database", default=None, help="Database name [default: the server's default].")
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Rows per UNWIND batch (one managed write transaction each).")
@click.option("--retry-time", type=click.FloatRange(min=0), default=30.0, show_default=True, metavar="SECONDS",
              help="How long the driver retries a batch that failed (a transient error, a lost connection).")
@_full_option
def push_neo4j_cmd(outdir, uri, username, database, batch_size, retry_time, full):
    """Push OUTDIR's graph to Neo4j over Bolt (the changes since the last push to this URI and database).

    The password comes from NEO4J_PASSWORD or a hidden prompt; it is never
    printed, logged or stored.

    \b
    Examples:
      NEO4J_PASSWORD=... kg push neo4j kg-out --uri bolt://localhost:7687
      kg push neo4j kg-out --uri bolt://db:7687 --database papers --full
    """
    _push_to_neo4j(outdir, uri, _neo4j_auth(uri, username), database, batch_size, full, retry_time)


def _neo4j_auth(uri: str, username: str) -> tuple[str, str] | None:
    """(user, password) from NEO4J_PASSWORD or a hidden prompt; None when the
    URI holds them. The password is masked in any error message."""
    import os
    from urllib.parse import urlsplit

    password = urlsplit(uri).password
    if password is not None:  # credentials in the URI (bolt://user:pw@host) are used as they are
        _remember_secret(password)
        return None
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
    _remember_secret(password)
    return username, password


def _push_to_neo4j(outdir: Path, uri: str, auth: tuple[str, str] | None, database: str | None, batch_size: int,
                   full: bool = False, retry_time: float = 30.0) -> None:
    from .progress import stage
    from .writers.neo4j import push_neo4j_outdir, redact_uri

    with _display():
        stage(f"pushing to {redact_uri(uri)}", unit="rows")
        summary = push_neo4j_outdir(outdir, uri, auth, database, batch_size, full, retry_time)
    click.echo(str(summary))


@push.command("falkordb")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--url", default=None, help="redis://host:port of a running FalkorDB "
              "[default: start a local one on OUTDIR/.falkordb].")
@click.option("--graph", "graph_name", default="paperkg", show_default=True, help="FalkorDB graph key.")
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True)
@_full_option
def push_falkordb_cmd(outdir, url, graph_name, batch_size, full):
    """Push OUTDIR's graph to FalkorDB (the same write statements as Neo4j; the changes since the last push).

    \b
    Examples:
      kg push falkordb kg-out                      # the local engine in kg-out/.falkordb
      kg push falkordb kg-out --url redis://localhost:6379 --graph papers
    """
    from .writers.falkordb import push_falkordb_outdir

    from .progress import stage
    from .writers.push_state import redact_uri

    with _display():
        stage(f"pushing to {redact_uri(url) if url else 'the local FalkorDB'}", unit="rows")
        summary = push_falkordb_outdir(outdir, url=url, graph_name=graph_name, batch_size=batch_size, full=full)
    click.echo(str(summary))


@main.group()
def export() -> None:
    """Export a build's graph for other tools.

    \b
    Examples:
      kg export cypher kg-out graph.cypher
      kg export neo4j-import kg-out neo4j-import/
    """


@export.command("neo4j-import")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--database", default="neo4j", show_default=True, help="Database name in import.sh.")
def export_neo4j_import_cmd(outdir, dest, database):
    """CSV files and import.sh for `neo4j-admin database import full`.

    \b
    Examples:
      kg export neo4j-import kg-out neo4j-import/
      sh neo4j-import/import.sh neo4j
    """
    from .errors import ensure_writable_dir
    from .writers.neo4j_import import export_neo4j_import

    ensure_writable_dir(dest, "export directory")
    files = export_neo4j_import(outdir, dest, database)
    click.echo(f"wrote {len(files.node_files)} node files, {len(files.rel_files)} relationship files "
               f"and {files.script.name} to {dest}")


@export.command("cypher")
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
def export_cypher_cmd(outdir, file):
    """A cypher-shell script that rebuilds the graph (cypher-shell -f FILE; FILE - is standard output).

    \b
    Examples:
      kg export cypher kg-out graph.cypher
      cypher-shell -a bolt://localhost:7687 -u neo4j -f graph.cypher
    """
    from .writers.cypher_script import export_cypher_script

    with _output_file(file) as path:
        n = export_cypher_script(outdir, path)
    line = f"wrote {n} statements to {file}"
    _note(line) if str(file) == "-" else click.echo(line)


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a file (e.g. scripts/queries/01_papers_proposing_models.cypher).")
@click.option("-d", "--data", "outdir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("kg-out"), show_default=True, help="Build output whose local FalkorDB to query.")
@click.option("--url", default=None, help="Query a running FalkorDB at redis://host:port instead.")
@click.option("--graph", "graph_name", default="paperkg", show_default=True)
@click.option("--param", "params", multiple=True, metavar="NAME=JSON",
              help="Query parameter, value as JSON (or a bare string); repeatable.")
@_table_options
def cypher(query, query_file, outdir, url, graph_name, params, fmt):
    """Run a read-only Cypher QUERY on the local FalkorDB engine and print a table.

    With no --url, a FalkorDB server is started on OUTDIR/.falkordb (loaded
    from OUTDIR/graph.jsonl when the build changed since the last load) and
    stopped afterwards.

    \b
    Examples:
      kg cypher "MATCH (m:Model) RETURN m.name LIMIT 5" --data kg-out
      kg cypher -f scripts/queries/08_outperforms.cypher --data kg-out --nl
      kg cypher 'MATCH (m:Method) WHERE $name IN m.aliases RETURN m.name' --param name=LoRA
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
    if fmt == "table":
        click.echo(format_table(header, rows))
    else:
        _emit_rows(header, rows, fmt)


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
    """Check a build's RDF against the SHACL shapes; exit 1 on violations.

    \b
    Examples:
      kg validate kg-out
      kg validate kg-out --limit 10
    """
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
@_table_options
@click.option("--output", type=click.Choice(("table", "csv", "tsv", "json")), default=None, hidden=True,
              help="Older spelling of --table/--csv/--tsv/--json.")
@click.option("-b", "--bind", "bindings", multiple=True, metavar="NAME=VALUE",
              help="Bind a variable (it must be projected): <iri>, prefix:local, "
                   "'\"5\"^^xsd:integer' or plain text. Repeatable.")
@click.option("--base-iri", default=None, help="Base IRI of the build (for the kg:, paper:, model: … prefixes).")
def sparql(query, outdir, fmt, output, bindings, base_iri):
    """Run a SPARQL QUERY (text or a .rq file) on a build's RDF, locally.

    The prefixes kgo, rdf, rdfs, xsd, dcterms, skos, schema, prov and kg, paper,
    method, model, dataset, hardware, task, stmt are predeclared.

    \b
    Examples:
      kg sparql scripts/queries/01_papers_proposing_models.rq --data kg-out
      kg sparql "SELECT ?p WHERE { ?p kgo:proposes ?m }" --data kg-out --csv
    """
    from .rdf.sparql import format_results, load_store, parse_binding, read_query, run_query

    query_text = read_query(query)  # a missing .rq file fails before the store is loaded
    loaded = load_store(outdir, _build_base_iri(outdir, base_iri))
    subs = dict(parse_binding(b, loaded.prefixes) for b in bindings)
    result = run_query(loaded, query_text, {k.value: v for k, v in subs.items()})
    fmt = output or fmt
    if fmt == "nl":  # one object a solution, from the standard JSON results
        import json

        doc = json.loads(format_results(result, "json", loaded.prefixes))
        if "results" not in doc:  # ASK or a graph result: as --json prints it
            click.echo(json.dumps(doc, ensure_ascii=False))
            return
        header = doc["head"]["vars"]
        rows = [[b.get(v, {}).get("value") for v in header] for b in doc["results"]["bindings"]]
        _emit_rows(header, rows, "nl")
        return
    click.echo(format_results(result, fmt, loaded.prefixes), nl=False)


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
