"""Property tests (hypothesis) in process: bytes of any kind into the article reader and the
extractor, adversarial XML into the record importer (its function and `kg import`), random
RDF into `kg load`, and injection attempts into named-query parameters. Every case ends in
facts or a clear error; a refused input leaves the store exactly as it was.

(tests/test_extract_input.py fuzzes the extractor with random text; here it gets bytes.)
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import cli
from kg.extract.pipeline import extract
from kg.extract.reader import ReaderError, read_any
from kg.ingest import import_historyatstate, load_shipped_data
from kg.queries import QueryError, bind, load_named_queries, values_clause
from kg.settings import Settings
from kg.store import OxigraphStore
from tests.adversarial import BAD_XML, INJECTIONS, NASTY_BYTES, NASTY_TEXT
from tests.conftest import SHARED

FEW = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
ARTICLE = (
    "President Emmanuel Macron arrived in Berlin on Monday for talks with Chancellor Olaf "
    'Scholz. "Europe must stand together," Macron said.'
)


def quads(store: ox.Store) -> set[ox.Quad]:
    return set(store)


def run_cli(*args: str) -> tuple[int, str]:
    """``kg ARGS`` in this process: the exit status and what it wrote to stderr.

    An exception escaping ``main`` (a crash, not a clear error) fails the test.
    """
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(list(args))
    return status, err.getvalue()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Path]]:
    """Settings and an on-disk store holding the shipped data (copied per test that writes)."""
    folder = tmp_path_factory.mktemp("props")
    s = Settings.from_env({}).with_(
        store=str(folder / "store"), shared_dir=SHARED, import_workers=1
    )
    store = OxigraphStore(s.store)
    load_shipped_data(store, s)
    store.close()
    del store
    yield s, folder


def fresh_copy(loaded: tuple[Settings, Path], name: str) -> Path:
    s, folder = loaded
    target = folder / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(s.store, target)
    return target


# --- the reader and the extractor on any bytes ------------------------------------------------


@FEW
@given(
    NASTY_BYTES
    | st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252", "utf-8-sig"]).map(
        lambda enc: ARTICLE.replace("Macron", "Macrón").encode(enc)
    )
    | st.binary(max_size=200).map(lambda b: ARTICLE.encode() + b)
    | st.binary(max_size=200).map(lambda b: b"<html><body><p>" + b + ARTICLE.encode())
)
def test_any_bytes_give_facts_or_a_clear_error(data: bytes) -> None:
    try:
        doc = read_any(data, source=None, dateline="2024-05-08")
    except ReaderError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        return
    facts = extract(doc)
    for item in [*facts.visits, *facts.statements]:
        ev = item.evidence
        assert ev is not None and ev.sentence == doc.text[ev.start : ev.end]


@FEW
@given(
    st.sampled_from([".txt", ".html", ".jsonl"]),
    NASTY_BYTES
    | st.binary(max_size=200).map(lambda b: ARTICLE.encode() + b)
    | st.lists(NASTY_BYTES, max_size=4).map(lambda parts: b"\n".join(parts)),
)
def test_kg_ingest_stores_whole_articles_or_skips_them(
    loaded: tuple[Settings, Path], suffix: str, data: bytes
) -> None:
    _, folder = loaded
    store = folder / "ingest-store"
    if not store.exists():
        shutil.copytree(loaded[0].store, store)
    before = quads(ox.Store.read_only(str(store)))
    path = folder / f"article{suffix}"
    path.write_bytes(data)
    status, err = run_cli("ingest", str(path), "--store", str(store), "--quiet")
    after = quads(ox.Store.read_only(str(store)))
    assert status in (0, 1, 2), err
    # Whatever was stored is whole article graphs (the kill tests compare them with a clean
    # ingest); nothing else changed; a refused article left no trace.
    changed = {q.graph_name for q in after ^ before}
    assert all("/graph/article/" in str(g) for g in changed), changed
    if status:
        assert "kg: " in err, err
    if status == 2:
        assert after == before


# --- the record importer ----------------------------------------------------------------------


def record_dir(root: Path, content: bytes, where: str = "visits/data/2000.xml") -> Path:
    if root.exists():
        shutil.rmtree(root)
    path = root / where
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    return root


@pytest.mark.parametrize("name", list(BAD_XML))
def test_adversarial_record_files_are_refused_or_read_and_the_store_is_kept(
    loaded: tuple[Settings, Path], tmp_path: Path, name: str
) -> None:
    s, _ = loaded
    store = OxigraphStore(None)
    load_shipped_data(store, s)
    before = quads(store.raw)
    directory = record_dir(tmp_path / "records", BAD_XML[name])
    try:
        report = import_historyatstate(store, directory, s)
    except ValueError as exc:
        assert "2000.xml" in str(exc), exc  # the error names the file
        assert quads(store.raw) == before
        return
    # Read: every graph written is whole (its triples are exactly what was counted), and
    # nothing secret or expanded came in.
    for w in report.written:
        assert len(store.graph_triples(w.graph)) == w.triples
    text = " ".join(str(q.object) for q in store.raw)
    assert "root:" not in text and "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" not in text


@pytest.mark.parametrize("name", ["binary", "billion laughs", "xxe", "wrong encoding"])
def test_kg_import_gives_one_line_errors_for_bad_files(
    loaded: tuple[Settings, Path], tmp_path: Path, name: str
) -> None:
    store = fresh_copy(loaded, "import-" + name.replace(" ", "-"))
    before = quads(ox.Store.read_only(str(store)))
    for where in ("visits/data/2000.xml", "travels/presidents/presidents.xml"):
        directory = record_dir(tmp_path / "records", BAD_XML[name], where)
        if where.startswith("travels"):  # a presidents file needs some records beside it
            record_dir(tmp_path / "ok", b"<visits/>", "visits/data/2000.xml")
            shutil.copytree(tmp_path / "ok" / "visits", directory / "visits")
        status, err = run_cli(
            "import", "historyatstate", str(directory), "--store", str(store), "--quiet"
        )
        assert status == 2, err
        assert err.startswith("kg: error:") and err.count("\n") == 1, err
        assert Path(where).name in err
        assert quads(ox.Store.read_only(str(store))) == before


VISIT_RECORD = (
    "<visit><id>{id}</id><start-date>{start}</start-date><end-date>{end}</end-date>"
    '<visitor>{who}</visitor><from id="{cid}">{country}</from>'
    "<description>{text}</description></visit>"
)


def xml_text(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


xml_safe = NASTY_TEXT.map(lambda s: "".join(c for c in s if c.isprintable() or c in "\n\t"))


@FEW
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "id": xml_safe,
                "start": st.sampled_from(["2000-01-01", "1999-02-30", "", "2000", "x"]) | xml_safe,
                "end": st.sampled_from(["2000-01-03", "1990-01-01", ""]) | xml_safe,
                "who": st.sampled_from(
                    ["President Vladimir Putin", "Prime Minster X Y", "", "King Fahd"]
                )
                | xml_safe,
                "cid": st.sampled_from(["russia", "france", "", "xx"]) | xml_safe,
                "country": st.sampled_from(["Russia", "U.S.S.R.", ""]) | xml_safe,
                "text": st.sampled_from(["State Visit.", "Met with President Noboa."]) | xml_safe,
            }
        ),
        max_size=6,
    )
)
def test_random_records_give_whole_graphs_or_skips(records: list[dict[str, str]]) -> None:
    settings_ = Settings.from_env({}).with_(shared_dir=SHARED, import_workers=1)
    body = "".join(VISIT_RECORD.format(**{k: xml_text(v) for k, v in r.items()}) for r in records)
    with tempfile.TemporaryDirectory() as tmp:
        directory = record_dir(Path(tmp), f"<visits>{body}</visits>".encode())
        store = OxigraphStore(None)
        report = import_historyatstate(store, directory, settings_)
    assert report.records == len(records)
    assert len(report.skipped) <= len(records)
    for w in report.written:
        assert len(store.graph_triples(w.graph)) == w.triples
    assert store.count() == sum(w.triples for w in report.written)


# --- the RDF loader: kg load ------------------------------------------------------------------

RDF_SUFFIXES = [".ttl", ".nt", ".nq", ".trig", ".rdf", ".jsonld", ".n3"]


@FEW
@given(
    st.sampled_from(RDF_SUFFIXES),
    NASTY_BYTES
    | st.sampled_from(
        [
            b'<http://a> <http://b> "ok" .\n<http://a> <http://b> .',  # good line, then bad
            b'@prefix : <http://x/> . :a :b "c" . :a :b',
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description rdf:about="http://a"><rdf:value>&x;</rdf:value>'
            b"</rdf:Description></rdf:RDF>",
            b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://a"}',
            b"{" * 5000,
        ]
    ),
)
def test_kg_load_loads_whole_files_or_nothing(
    loaded: tuple[Settings, Path], suffix: str, data: bytes
) -> None:
    _, folder = loaded
    store = folder / "load-store"
    if not store.exists():
        shutil.copytree(loaded[0].store, store)
    before = quads(ox.Store.read_only(str(store)))
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    status, err = run_cli("load", str(path), "--store", str(store))
    after = quads(ox.Store.read_only(str(store)))
    if status == 0:
        parsed = set(ox.parse(data, format=ox.RdfFormat.from_extension(suffix[1:])))
        assert after - before <= parsed  # exactly the file's quads came in
        assert "root:" not in " ".join(str(q) for q in after)
    else:
        assert status == 2 and err.startswith("kg: error:"), err
        assert after == before


# --- named-query parameters -------------------------------------------------------------------


@pytest.fixture(scope="module")
def memory_store(loaded: tuple[Settings, Path]) -> OxigraphStore:
    store = OxigraphStore(None)
    load_shipped_data(store, loaded[0])
    return store


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["visits-to", "visits-by", "visits-between", "statements-by"]),
    NASTY_TEXT,
    NASTY_TEXT,
)
def test_named_query_parameters_cannot_change_the_query(
    memory_store: OxigraphStore, loaded: tuple[Settings, Path], name: str, a: str, b: str
) -> None:
    query = load_named_queries(loaded[0].queries_dir)[name]
    args = dict(zip([p.name for p in query.params], [a, b], strict=False))
    before = memory_store.count()
    try:
        bound = bind(memory_store, query, args)
    except QueryError as exc:
        assert str(exc)
        return
    # The text is the query as written and one VALUES block of escaped terms: nothing else.
    assert bound.text.replace(values_clause(bound.bindings), "").split() == query.text.split()
    for terms in bound.bindings.values():
        for term in terms:
            assert isinstance(term, ox.NamedNode | ox.Literal)
    result = memory_store.query(bound.text)
    assert isinstance(result, ox.QuerySolutions)
    list(result)
    assert memory_store.count() == before


def test_the_injection_pool_names_nothing(memory_store: OxigraphStore, loaded) -> None:  # type: ignore[no-untyped-def]
    # The pool's SPARQL fragments would match everything if they were pasted in.
    query = load_named_queries(loaded[0].queries_dir)["visits-to"]
    for value in INJECTIONS:
        if "UNION" in value or "?s ?p ?o" in value:
            with pytest.raises(QueryError):
                bind(memory_store, query, {"place": value})
