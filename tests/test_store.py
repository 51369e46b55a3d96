"""The embedded store: atomic per-graph writes, loading RDF files, the union default graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest import store_facts
from kg.mapping import Producer
from kg.model import Article, Entity, Facts, Visit
from kg.store import BadDataError, OxigraphStore, QuerySyntaxError, format_for, open_store
from kg.store.oxigraph import BULK_BYTES, input_size
from kg.validate import ShapeViolationError

S, P = ox.NamedNode("http://e.test/s"), ox.NamedNode("http://e.test/p")


def triple(o: str) -> ox.Triple:
    return ox.Triple(S, P, ox.Literal(o))


def test_replace_graph_replaces_only_that_graph(tmp_path: Path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graph("http://g/1", [triple("a"), triple("b")])
    store.replace_graph("http://g/2", [triple("x")])
    store.replace_graph("http://g/1", [triple("c")])
    assert {t.object.value for t in store.graph_triples("http://g/1")} == {"c"}
    assert {t.object.value for t in store.graph_triples("http://g/2")} == {"x"}


def test_a_failing_write_leaves_the_store_as_it_was(tmp_path: Path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graph("http://g/1", [triple("a")])
    before = store.dump(ox.RdfFormat.N_QUADS)

    def broken():
        yield triple("b")
        raise RuntimeError("extractor died half-way")

    with pytest.raises(RuntimeError):
        store.replace_graph("http://g/1", broken())
    assert store.dump(ox.RdfFormat.N_QUADS) == before


def test_an_invalid_source_graph_is_refused_whole(settings):
    store = open_store(settings.store)
    good = Facts(
        article=Article(key="k"),
        entities=[Entity(id="p", label="P", type="Leader"), Entity(id="c", label="C", type="City")],
        visits=[Visit(visitor="p", destination="c")],
    )
    stored = store_facts(store, good, settings, Producer("t", "1"))
    before = store.dump(ox.RdfFormat.N_QUADS)
    # The destination is a person: the mapping produces it, SHACL refuses it.
    bad = good.model_copy(update={"visits": [Visit(visitor="p", destination="p")]})
    with pytest.raises(ShapeViolationError, match="VisitShape"):
        store_facts(store, bad, settings, Producer("t", "1"))
    assert store.dump(ox.RdfFormat.N_QUADS) == before
    assert stored.graph in store.graphs()


def test_a_store_reopens_with_its_data(tmp_path: Path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graph("http://g/1", [triple("a")])
    store.close()
    del store
    again = OxigraphStore(tmp_path / "s")
    assert again.count() == 1


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
def test_load_triple_formats_into_a_named_graph(tmp_path: Path, suffix: str, data: bytes):
    store = OxigraphStore(None)
    assert store.load(data, format_for("f" + suffix), "http://g/x") == 1
    assert store.graphs() == ["http://g/x"]


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        (".nq", b'<http://e/s> <http://e/p> "x" <http://g/q> .\n'),
        (".trig", b'<http://g/q> { <http://e/s> <http://e/p> "x" . }'),
    ],
)
def test_load_dataset_formats_keep_their_graphs(suffix: str, data: bytes):
    store = OxigraphStore(None)
    store.load(data, format_for("f" + suffix))
    assert store.graphs() == ["http://g/q"]


def test_bad_rdf_is_refused_and_nothing_is_written():
    store = OxigraphStore(None)
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


def test_queries_see_the_union_of_graphs_by_default():
    store = OxigraphStore(None)
    store.replace_graph("http://g/1", [triple("a")])
    store.replace_graph("http://g/2", [triple("b")])
    rows = list(store.query("SELECT ?o { ?s ?p ?o }"))
    assert sorted(r["o"].value for r in rows) == ["a", "b"]
    only = list(store.query("SELECT ?o { ?s ?p ?o }", default_graph=["http://g/2"]))
    assert [r["o"].value for r in only] == ["b"]


def test_syntax_errors_are_typed():
    with pytest.raises(QuerySyntaxError):
        OxigraphStore(None).query("SELECT WHERE {")
