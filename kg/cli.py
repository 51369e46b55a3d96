"""The ``kg`` command line: serve, load, query, queries, export, init.

Every command takes ``--store`` (default ``KG_STORE``, else ``var/store``). Errors are one
line on standard error and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import __version__
from kg.formats import GRAPH_FORMATS, RESULT_FORMATS, serialize_result, solutions_table
from kg.queries import NamedQuery, QueryError, load_named_queries, parse_named_query, run
from kg.settings import Settings
from kg.store import Store, StoreError, format_for, open_store

if TYPE_CHECKING:  # imported where used: the command line starts fast
    from kg.enrich import LinkReport
    from kg.link.wikidata import WikidataClient


class CLIError(Exception):
    """A user error: printed as one line, exit status 2."""


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env().with_(store=getattr(args, "store", None))


def _open(args: argparse.Namespace, settings: Settings) -> Store:
    from kg.ingest import ensure_initialised

    store = open_store(settings.store, settings=settings)
    if not getattr(args, "no_init", False):
        ensure_initialised(store, settings)
    return store


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kg.service.app import create_app

    settings = _settings(args).with_(host=args.host, port=args.port, base_iri=args.base_iri)
    # The service's own loggers (kg.*) at the level asked for, beside uvicorn's.
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    open_store(settings.store, settings=settings).close()  # cannot be opened: one line, exit 2
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_level=args.log_level
    )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from kg.ingest import load_shipped_data

    settings = _settings(args)
    store = open_store(settings.store, settings=settings)
    done = load_shipped_data(store, settings)
    store.close()
    triples = sum(d.triples for d in done)
    print(f"loaded {len(done)} graphs, {triples} triples into {settings.store}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    settings = _settings(args)
    path = Path(args.file)
    if not path.is_file():
        raise CLIError(f"cannot read {path}: no such file")
    fmt = format_for(path, args.format)
    if args.graph and fmt.supports_datasets:
        raise CLIError(f"{path.name} is {fmt.name}, which names its own graphs; drop --graph")
    store = _open(args, settings)
    with path.open("rb") as fh:
        added = store.load(fh, fmt, args.graph)
    store.optimize()  # a bulk load's files merged now, not under the service's first queries
    store.close()
    where = f"graph <{args.graph}>" if args.graph else "the default graph"
    print(f"loaded {added} quads from {path} into {where}")
    return 0


def _query_from(name_or_file: str, settings: Settings) -> NamedQuery:
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise CLIError(f"cannot read {path}: no such file")
        return parse_named_query(path.stem, path.read_text("utf-8"), path)
    queries = load_named_queries(settings.queries_dir)
    if name_or_file not in queries:
        raise CLIError(f"unknown query {name_or_file!r}; known: {', '.join(queries)}")
    return queries[name_or_file]


def _params(pairs: Sequence[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CLIError(f"bad --param {pair!r}: write it as name=value")
        params[key] = value
    return params


def cmd_query(args: argparse.Namespace) -> int:
    settings = _settings(args)
    query = _query_from(args.query, settings)
    store = _open(args, settings)
    result = run(store, query, _params(args.param), settings.wikidata_endpoint)
    if isinstance(result, ox.QuerySolutions) and args.format == "table":
        print(solutions_table(result))
    elif isinstance(result, ox.QueryBoolean) and args.format == "table":
        print("yes" if bool(result) else "no")
    elif isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        name = "json" if args.format == "table" else args.format
        if name not in RESULT_FORMATS:
            raise CLIError(f"{args.format!r} is not a result format: {', '.join(RESULT_FORMATS)}")
        sys.stdout.buffer.write(serialize_result(result, RESULT_FORMATS[name]))
    else:
        name = "turtle" if args.format == "table" else args.format
        if name not in GRAPH_FORMATS:
            raise CLIError(f"{args.format!r} is not a graph format: {', '.join(GRAPH_FORMATS)}")
        sys.stdout.buffer.write(serialize_result(result, GRAPH_FORMATS[name]))
    return 0


def cmd_queries(args: argparse.Namespace) -> int:
    settings = _settings(args)
    for q in load_named_queries(settings.queries_dir).values():
        params = " ".join(f"{p.name}=<{p.kind}>" + ("" if p.required else "?") for p in q.params)
        print(f"{q.name:<16} {q.title}" + (f"  [{params}]" if params else ""))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    settings = _settings(args)
    store = _open(args, settings)
    fmt = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[args.format]
    data = store.dump(fmt)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _stdin_if(args_list: Sequence[str]) -> bytes | None:
    return sys.stdin.buffer.read() if "-" in args_list else None


def cmd_extract(args: argparse.Namespace) -> int:
    from kg.extract.quotes import Quote
    from kg.ingest import EXTRACTOR_PRODUCER, extract_facts, read_article
    from kg.mapping import Minter, map_facts
    from kg.ontology import PREFIXES

    settings = _settings(args)
    doc = read_article(args.source, settings, args.dateline, _stdin_if([args.source]))
    skipped: list[tuple[Quote, str]] = []
    facts = extract_facts(doc, settings, skipped)
    if args.explain:
        # Quotes that became no statement, and why: on stderr, so stdout stays the facts.
        for quote, why in skipped:
            words = " ".join(quote.text.split())
            words = words if len(words) <= 70 else words[:67] + "..."
            print(f'left out ({why}) at {quote.start}: "{words}"', file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(facts.model_dump_json(indent=1) + "\n")
        return 0
    sg = map_facts(facts, Minter(settings.base_iri), EXTRACTOR_PRODUCER)
    for prefix, ns in PREFIXES.items():
        sg.graph.bind(prefix, ns)
    if args.format == "turtle":
        sys.stdout.write(sg.graph.serialize(format="turtle"))
    else:
        from rdflib import Dataset, URIRef

        ds = Dataset()
        named = ds.graph(URIRef(sg.iri))
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        for triple in sg.graph:
            named.add(triple)
        sys.stdout.write(ds.serialize(format="trig"))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from kg.ingest import ingest_many, iter_articles

    settings = _settings(args)
    store = _open(args, settings)
    stored = failed = visits = statements = 0
    items = iter_articles(args.sources, settings, args.dateline, _stdin_if(args.sources))
    bar = tqdm(
        ingest_many(store, items, settings),
        desc="ingest",
        unit=" articles",
        file=sys.stderr,
        disable=args.quiet or (not sys.stderr.isatty() and not args.progress),
    )
    try:
        for done in bar:
            if done.stored is None:  # not an article, or refused by the shapes
                failed += 1
                bar.write(f"kg: skipped {done.where}: {done.error}", file=sys.stderr)
                continue
            stored += 1
            visits += done.visits
            statements += done.statements
            if args.verbose:
                bar.write(f"{done.where} -> <{done.stored.graph}> ({done.stored.triples} triples)")
    finally:
        store.close()
    print(
        f"ingested {stored} articles ({visits} visits, {statements} statements); skipped {failed}"
    )
    return 1 if failed else 0


def cmd_import(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from kg.importers.historyatstate import record_files
    from kg.ingest import import_historyatstate

    settings = _settings(args)
    directory = Path(args.directory)
    if not directory.is_dir():
        raise CLIError(f"cannot read {directory}: no such folder")
    total = len(record_files(directory))
    store = _open(args, settings)
    with tqdm(
        total=total, unit="file", desc="importing", file=sys.stderr, disable=args.quiet
    ) as bar:
        report = import_historyatstate(
            store, directory, settings, on_file=lambda _path: bar.update()
        )
    store.close()
    triples = sum(w.triples for w in report.written)
    print(f"records read:   {report.records} in {report.files} files under {directory}")
    print(
        f"visits stored:  {report.visits} in {report.files - len(report.refused)} graphs "
        f"({len(report.written)} written, {triples} triples; {report.unchanged} unchanged)"
    )
    print(f"records skipped: {len(report.skipped)}")
    for s in report.skipped:
        print(f"  {s.file} record {s.record}: {s.reason}")
    for path, why in report.refused:
        print(f"graph refused: {path}: {why}")
    if report.problems:
        print("data problems handled:")
        for problem, n in report.problems.items():
            print(f"  {n:6d}  {problem}")
    print(f"hosts named by surname only and not identified (left out): {report.unresolved_hosts}")
    return 1 if report.refused else 0


def _client(settings: Settings, offline: bool) -> WikidataClient | None:
    from kg.link.wikidata import WikidataClient

    return None if offline else WikidataClient.from_settings(settings)


def cmd_link(args: argparse.Namespace) -> int:
    from kg.enrich import link

    settings = _settings(args)
    store = _open(args, settings)
    client = _client(settings, args.offline)
    try:
        report = link(store, settings, client, dry_run=args.dry_run)
    finally:
        store.close()
    if args.format == "json":
        doc = {
            "endpoint": report.endpoint,
            "requests": report.requests,
            "cache_hits": report.cache_hits,
            "already_linked": report.already_linked,
            "online_error": report.online_error,
            "written": report.written,
            "decisions": [d.as_dict() for d in report.decisions],
        }
        print(json.dumps(doc, indent=1, ensure_ascii=False))
        return 0
    for line in link_report_lines(report, settings, args.all):
        print(line)
    return 0


def link_report_lines(report: LinkReport, settings: Settings, everything: bool) -> list[str]:
    """The text report of ``kg link``."""
    out = []
    if report.endpoint:
        out.append(
            f"endpoint: {report.endpoint} ({report.requests} requests, "
            f"{report.cache_hits} answers from the cache)"
        )
    else:
        out.append("offline: overrides and gazetteer only")
    if report.online_error:
        out.append(f"online look-up failed: {report.online_error}")
    out.append(f"already linked: {report.already_linked}")
    shown = 20 if not everything else None
    for status, title in (
        ("linked", "linked"),
        ("ambiguous", "ambiguous (not linked; candidates kept for review)"),
        ("not-found", "not found"),
        ("skipped", "skipped"),
    ):
        items = report.by_status(status)
        out.append(f"{title}: {len(items)}")
        for d in items[:shown]:
            if status == "linked":
                out.append(
                    f"  {d.label} ({d.type}) -> {d.qid}  score {d.score:.2f}, {d.method}: {d.why}"
                )
            else:
                out.append(f"  {d.label} ({d.type}): {d.why}")
            for c in d.candidates[:3] if status == "ambiguous" else ():
                out.append(f"      {c.qid} {c.label!r} {c.score:.2f}: {'; '.join(c.reasons)}")
        if shown is not None and len(items) > shown:
            out.append(f"  ... {len(items) - shown} more (--all lists them)")
    for line in report.override_conflicts:
        out.append(f"override differs: {line}")
    if report.written:
        out.append(f"links graph written; review file: {settings.link_review}")
    else:
        out.append("dry run: nothing written")
    return out


def cmd_check(args: argparse.Namespace) -> int:
    from kg.enrich import conflicts, refresh_reference
    from kg.link.wikidata import WikidataError

    settings = _settings(args)
    store = _open(args, settings)
    try:
        client = _client(settings, args.offline)
        if client is None:
            print(
                "offline: reference facts are the gazetteer's (and any Wikidata reference "
                "graph fetched before)"
            )
        else:
            try:
                ref = refresh_reference(store, settings, client)
                print(
                    f"reference facts from {client.endpoint}: {ref.holdings} positions held "
                    f"by {ref.people} linked people, {ref.events} events "
                    f"({ref.triples} triples; {client.requests} requests, "
                    f"{client.cache_hits} from the cache)"
                )
            except WikidataError as exc:
                print(f"Wikidata unreachable, checking offline: {exc}")
        found = conflicts(store, settings)
    finally:
        store.close()
    print(f"conflicts: {len(found)}")
    for c in found:
        print(f"  {c.line()}")
    return 1 if found else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, fn: Callable[[argparse.Namespace], int], help_: str):
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--store", help="store path (default: KG_STORE or var/store)")
        p.set_defaults(func=fn)
        return p

    p = command("serve", cmd_serve, "run the HTTP service (fills an empty store first)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--base-iri", help="base of minted IRIs (default: KG_BASE_IRI)")
    p.add_argument("--log-level", default="info")

    command("init", cmd_init, "load the shipped data (ontology, gazetteer, fact files)")

    p = command("load", cmd_load, "load an RDF file into a named or the default graph")
    p.add_argument("file")
    p.add_argument("--graph", help="named graph IRI (default: the default graph)")
    p.add_argument("--format", help="RDF format (default: from the file suffix)")

    p = command("query", cmd_query, "run a named query or a .rq file")
    p.add_argument("query", metavar="NAME|FILE")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--format", default="table", choices=["table", *RESULT_FORMATS, *GRAPH_FORMATS])

    command("queries", cmd_queries, "list the named queries")

    p = command("extract", cmd_extract, "print the facts of one article (stores nothing)")
    p.add_argument("source", metavar="FILE|URL|-")
    p.add_argument("--dateline", help="publication date YYYY-MM-DD (default: from the text)")
    p.add_argument("--format", default="json", choices=["json", "turtle", "trig"])
    p.add_argument(
        "--explain",
        action="store_true",
        help="also list on stderr each quote that became no statement, and why",
    )

    p = command(
        "ingest",
        cmd_ingest,
        "extract, validate and store articles (files, folders, JSON lines, URLs, -)",
    )
    p.add_argument("sources", nargs="+", metavar="PATH|URL|-")
    p.add_argument("--dateline", help="publication date YYYY-MM-DD for articles without one")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--progress", action="store_true", help="progress bar even when not a TTY")
    p.add_argument("--verbose", "-v", action="store_true", help="one line per stored article")
    p = command("import", cmd_import, "import a dataset of visit records (one graph per file)")
    p.add_argument(
        "dataset",
        choices=["historyatstate"],
        help="historyatstate: the US Office of the Historian's visits and travels",
    )
    p.add_argument("directory", metavar="DIR", help="the folder holding visits/ and travels/")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    p = command(
        "link", cmd_link, "link entities and visits without owl:sameAs to Wikidata, and report"
    )
    p.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    p.add_argument("--offline", action="store_true", help="overrides and gazetteer only")
    p.add_argument("--all", action="store_true", help="list every entity, not the first 20")
    p.add_argument("--format", default="text", choices=["text", "json"])

    p = command(
        "check", cmd_check, "list conflicts between sources and reference facts (exit 1 if any)"
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="do not fetch Wikidata reference facts; the gazetteer only",
    )

    p = command("export", cmd_export, "dump every graph as TriG or N-Quads")
    p.add_argument("--format", default="trig", choices=["trig", "nquads"])
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (CLIError, QueryError, StoreError, ValueError, OSError) as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
