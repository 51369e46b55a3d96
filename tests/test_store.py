"""Both stores, the embedded one and a real Virtuoso (each test runs on each): atomic
per-graph writes, loading RDF files, the union default graph, typed errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest import store_facts
from kg.mapping import Producer
from kg.model import Article, Entity, Facts, Visit
from kg.settings import Settings
from kg.store import BadDataError, OxigraphStore, QuerySyntaxError, Store, format_for, open_store
from kg.store.oxigraph import BULK_BYTES, BULK_THREADS, PENDING_LOAD, WHOLE_STORE, input_size
from kg.validate import ShapeViolationError

S, P = ox.NamedNode("http://e.test/s"), ox.NamedNode("http://e.test/p")


def triple(o: str) -> ox.Triple:
    return ox.Triple(S, P, ox.Literal(o))


def quads(store: Store) -> set[str]:
    """The store's content as a set of N-Quads lines (order differs between backends)."""
    return set(store.dump(ox.RdfFormat.N_QUADS).decode().splitlines())


@pytest.fixture
def store(backend_settings: Settings) -> Iterator[Store]:
    s = open_store(backend_settings.store, settings=backend_settings)
    yield s
    s.close()


def test_replace_graph_replaces_only_that_graph(store: Store):
    store.replace_graph("http://g/1", [triple("a"), triple("b")])
    store.replace_graph("http://g/2", [triple("x")])
    store.replace_graph("http://g/1", [triple("c")])
    assert {t.object.value for t in store.graph_triples("http://g/1")} == {"c"}
    assert {t.object.value for t in store.graph_triples("http://g/2")} == {"x"}


def test_a_failing_write_leaves_the_store_as_it_was(store: Store):
    store.replace_graph("http://g/1", [triple("a")])
    before = quads(store)

    def broken():
        yield triple("b")
        raise RuntimeError("extractor died half-way")

    with pytest.raises(RuntimeError):
        store.replace_graph("http://g/1", broken())
    assert quads(store) == before


def test_an_invalid_source_graph_is_refused_whole(store: Store, backend_settings: Settings):
    settings = backend_settings
    good = Facts(
        article=Article(key="k"),
        entities=[Entity(id="p", label="P", type="Leader"), Entity(id="c", label="C", type="City")],
        visits=[Visit(visitor="p", destination="c")],
    )
    stored = store_facts(store, good, settings, Producer("t", "1"))
    before = quads(store)
    # The destination is a person: the mapping produces it, SHACL refuses it.
    bad = good.model_copy(update={"visits": [Visit(visitor="p", destination="p")]})
    with pytest.raises(ShapeViolationError, match="VisitShape"):
        store_facts(store, bad, settings, Producer("t", "1"))
    assert quads(store) == before
    assert stored.graph in store.graphs()


def test_a_store_reopens_with_its_data(backend_settings: Settings):
    store = open_store(backend_settings.store, settings=backend_settings)
    store.replace_graph("http://g/1", [triple("a")])
    store.close()
    del store
    again = open_store(backend_settings.store, settings=backend_settings)
    assert again.count() == 1
    again.close()


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        (".ttl", b"<http://e/s> <http://e/p> 'x' ."),
        (".nt", b'<http://e/s> <http://e/p> "x" .\n'),
        (
            ".rdf",
            b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description rdf:about="http://e/s"><p xmlns="http://e/">x</p>'
            b"</rdf:Description></rdf:RDF>",
        ),
        (".jsonld", b'{"@id": "http://e/s", "http://e/p": "x"}'),
    ],
)
def test_load_triple_formats_into_a_named_graph(store: Store, suffix: str, data: bytes):
    assert store.load(data, format_for("f" + suffix), "http://g/x") == 1
    assert store.graphs() == ["http://g/x"]


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        (".nq", b'<http://e/s> <http://e/p> "x" <http://g/q> .\n'),
        (".trig", b'<http://g/q> { <http://e/s> <http://e/p> "x" . }'),
    ],
)
def test_load_dataset_formats_keep_their_graphs(store: Store, suffix: str, data: bytes):
    store.load(data, format_for("f" + suffix))
    assert store.graphs() == ["http://g/q"]


def test_bad_rdf_is_refused_and_nothing_is_written(store: Store):
    store.replace_graph("http://g/1", [triple("a")])
    with pytest.raises(BadDataError, match="Turtle"):
        store.load(
            b"<http://e/s> <http://e/p> 'ok' .\n<http://e/s> <http://e/p> .", ox.RdfFormat.TURTLE
        )
    assert store.count() == 1


def nt_lines(n: int) -> bytes:
    """``n`` distinct N-Triples lines."""
    return b"".join(b'<http://e/s%d> <http://e/p> "o %d" .\n' % (i, i) for i in range(n))


@pytest.mark.parametrize("bulk", [True, None])  # forced, and chosen by the input's size
def test_a_bulk_load_with_a_syntax_error_at_the_end_writes_nothing(tmp_path: Path, bulk):
    store = OxigraphStore(tmp_path / "s")
    store.load(b'<http://e/s0> <http://e/p> "kept" .\n', ox.RdfFormat.N_TRIPLES, "http://g/1")
    before = store.dump(ox.RdfFormat.N_QUADS)
    body = nt_lines(BULK_BYTES // 30) + b"<http://e/s> <http://e/p> .\n"
    assert len(body) > BULK_BYTES
    with pytest.raises(BadDataError, match="N-Triples"):
        store.load(body, ox.RdfFormat.N_TRIPLES, "http://g/1", bulk=bulk)
    assert store.dump(ox.RdfFormat.N_QUADS) == before


def test_a_bulk_load_from_a_file_counts_the_new_quads(tmp_path: Path):
    store = OxigraphStore(tmp_path / "s")
    path = tmp_path / "data.nt"
    path.write_bytes(nt_lines(1000))
    with path.open("rb") as fh:
        fh.read(10)
        assert input_size(fh) == path.stat().st_size - 10  # what is left decides the loader
        fh.seek(0)
        assert store.load(fh, ox.RdfFormat.N_TRIPLES, "http://g/1", bulk=True) == 1000
    with path.open("rb") as fh:  # the same again: nothing new
        assert store.load(fh, ox.RdfFormat.N_TRIPLES, "http://g/1", bulk=True) == 0
    assert store.load(nt_lines(1), ox.RdfFormat.N_TRIPLES, "http://g/2") == 1
    assert store.count() == 1001


def test_replacing_keeps_each_writes_blank_nodes_apart():
    store = OxigraphStore(None)
    b = ox.BlankNode("same")
    store.replace_graph("http://g/1", [ox.Triple(b, P, ox.Literal("a"))])
    store.replace_graph("http://g/2", [ox.Triple(b, P, ox.Literal("b"))])
    one, two = store.graph_triples("http://g/1"), store.graph_triples("http://g/2")
    assert one[0].subject != two[0].subject  # fresh blank nodes per write, as INSERT DATA
    store.replace_graph("http://g/2", [triple("c")])  # an existing graph: replaced whole
    assert [t.object.value for t in store.graph_triples("http://g/2")] == ["c"]


def test_unknown_suffix_is_a_clear_error():
    with pytest.raises(BadDataError, match="cannot tell the RDF format"):
        format_for("data.csv")


def test_queries_see_the_union_of_graphs_by_default(store: Store):
    store.replace_graph("http://g/1", [triple("a")])
    store.replace_graph("http://g/2", [triple("b")])
    rows = list(store.query("SELECT ?o { ?s ?p ?o }"))
    assert sorted(r["o"].value for r in rows) == ["a", "b"]
    only = list(store.query("SELECT ?o { ?s ?p ?o }", default_graph=["http://g/2"]))
    assert [r["o"].value for r in only] == ["b"]


def test_syntax_errors_are_typed(store: Store):
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT WHERE {")


# --- a large N-Triples load into a new graph: parts side by side, all or nothing -----------


def big_body(extra: bytes = b"") -> bytes:
    return nt_lines(2 * BULK_BYTES // 30) + extra


def test_a_large_load_into_a_new_graph_goes_in_parts(tmp_path: Path, monkeypatch) -> None:
    store = OxigraphStore(tmp_path / "s")
    parts: list[int] = []
    real = store._parallel_bulk
    monkeypatch.setattr(store, "_parallel_bulk", lambda p, *a: (parts.append(len(p)), real(p, *a)))
    body = big_body()
    n = body.count(b"\n")
    assert store.load(body, ox.RdfFormat.N_TRIPLES, "http://g/new") == n
    path = tmp_path / "data.nt"
    path.write_bytes(body)
    with path.open("rb") as fh:  # from a file too (parts read from a map of it)
        assert store.load(fh, ox.RdfFormat.N_TRIPLES, "http://g/file") == n
    assert parts == [BULK_THREADS, BULK_THREADS]
    parsed = {q.triple for q in ox.parse(body, ox.RdfFormat.N_TRIPLES)}
    assert set(store.graph_triples("http://g/new")) == parsed
    assert store.graph_triples("http://g/file") == store.graph_triples("http://g/new")
    # Into a graph that holds something, or with blank nodes: one part, as before.
    assert store.load(big_body(b"<http://e/x> <http://e/p> \"1\" .\n"), ox.RdfFormat.N_TRIPLES,
                      "http://g/new") == 1  # fmt: skip
    assert parts == [BULK_THREADS, BULK_THREADS]


def test_a_failed_part_leaves_no_graph_and_the_error_counts_lines_of_the_whole(
    tmp_path: Path,
) -> None:
    store = OxigraphStore(tmp_path / "s")
    body = big_body(b"<http://e/s> <http://e/p> .\n")  # the error in the last part
    with pytest.raises(BadDataError) as err:
        store.load(body, ox.RdfFormat.N_TRIPLES, "http://g/new")
    last = body.count(b"\n")  # the last line, counted from 1
    assert f"at line {last} column" in str(err.value)
    assert not store.has_graph("http://g/new") and store.count() == 0
    assert not (tmp_path / "s" / PENDING_LOAD).exists()


def test_blank_nodes_keep_one_parse(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    body = b'_:b <http://e/p> "first" .\n' + big_body(b'_:b <http://e/p> "last" .\n')
    store.load(body, ox.RdfFormat.N_TRIPLES, "http://g/new")
    found = store.query('SELECT DISTINCT ?b WHERE { ?b <http://e/p> "first", "last" }')
    assert len(list(found)) == 1  # the same blank node, as one parse reads it


def test_a_load_killed_half_way_is_undone_at_the_next_open(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    store.load(nt_lines(10), ox.RdfFormat.N_TRIPLES, "http://g/half")  # as one part had left
    store.load(nt_lines(3), ox.RdfFormat.N_TRIPLES, "http://g/other")
    store.close()
    del store  # its files' lock goes with it
    (tmp_path / "s" / PENDING_LOAD).write_text("http://g/half", "utf-8")  # the killed load's note
    store = OxigraphStore(tmp_path / "s")
    assert store.graphs() == ["http://g/other"] and store.count() == 3
    assert not (tmp_path / "s" / PENDING_LOAD).exists()


# --- a large N-Quads load into an empty store: the same, for the whole store ----------------


def nq_body(extra: bytes = b"") -> bytes:
    """N-Quads over a few graphs and the default graph, past the bulk threshold."""
    lines = nt_lines(2 * BULK_BYTES // 40).splitlines(keepends=True)
    graphs = [b"<http://g/a> ", b"<http://g/b> ", b"<http://g/c> ", b""]
    return b"".join(line[:-2] + graphs[i % 4] + b".\n" for i, line in enumerate(lines)) + extra


def test_a_large_n_quads_load_into_an_empty_store_goes_in_parts(
    tmp_path: Path, monkeypatch
) -> None:
    store = OxigraphStore(tmp_path / "s")
    parts: list[int] = []
    real = store._parallel_bulk
    monkeypatch.setattr(store, "_parallel_bulk", lambda p, *a: (parts.append(len(p)), real(p, *a)))
    body = nq_body()
    assert store.load(body, ox.RdfFormat.N_QUADS) == body.count(b"\n")
    assert parts == [BULK_THREADS]
    assert set(store.raw) == set(ox.parse(body, ox.RdfFormat.N_QUADS))  # every quad, its graph
    # Into a store that holds something: one part, as before.
    store.load(nq_body(b'<http://e/x> <http://e/p> "1" <http://g/d> .\n'), ox.RdfFormat.N_QUADS)
    assert parts == [BULK_THREADS] and store.has_graph("http://g/d")


def test_a_failed_n_quads_part_leaves_the_store_empty_and_counts_lines_of_the_whole(
    tmp_path: Path,
) -> None:
    store = OxigraphStore(tmp_path / "s")
    body = nq_body(b"<http://e/s> <http://e/p> .\n")  # no object: in the last part
    with pytest.raises(BadDataError) as err:
        store.load(body, ox.RdfFormat.N_QUADS)
    last = body.count(b"\n")  # the last line, counted from 1
    assert f"at line {last} column" in str(err.value)
    assert store.count() == 0 and store.graphs() == []
    assert not (tmp_path / "s" / PENDING_LOAD).exists()


def test_a_whole_store_load_killed_half_way_is_undone_at_the_next_open(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    half = b"".join(nq_body().splitlines(keepends=True)[:50])  # as one part had left
    store.load(half, ox.RdfFormat.N_QUADS)
    assert store.count() > 0
    store.close()
    del store
    (tmp_path / "s" / PENDING_LOAD).write_text(WHOLE_STORE, "utf-8")
    store = OxigraphStore(tmp_path / "s")
    assert store.count() == 0 and store.graphs() == []
    assert not (tmp_path / "s" / PENDING_LOAD).exists()
