"""The ``kg`` command line, run as a real subprocess on a temporary store."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED


def kg(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_SHARED_DIR": str(SHARED)}
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert kg(path, "init").returncode == 0
    return path


def test_query_visits_to_as_csv(store: Path):
    r = kg(store, "query", "visits-to", "--param", "place=Pyongyang", "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert ("Vladimir Putin", "2024-11-06") in {(x["leaderLabel"], x["start"]) for x in rows}


def test_query_table_and_json(store: Path):
    table = kg(store, "query", "visits-by", "--param", "leader=Q56226")
    assert table.returncode == 0 and "Moscow" in table.stdout and "(1 row)" in table.stdout
    out = kg(store, "query", "statements-by", "--param", "speaker=stoltenberg", "--format", "json")
    texts = {b["text"]["value"] for b in json.loads(out.stdout)["results"]["bindings"]}
    assert "dependent" in texts


def test_queries_lists_names(store: Path):
    r = kg(store, "queries")
    assert "visits-to" in r.stdout and "place=<area>" in r.stdout


def test_query_from_a_file(store: Path, tmp_path: Path):
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    r = kg(store, "query", str(rq), "--format", "csv")
    assert r.returncode == 0 and int(r.stdout.splitlines()[1]) > 100


def test_load_into_a_named_graph_and_export(store: Path, tmp_path: Path):
    ttl = tmp_path / "extra.ttl"
    ttl.write_text("<http://e.test/s> <http://e.test/p> 'cli-loaded' .")
    r = kg(store, "load", str(ttl), "--graph", "http://e.test/g")
    assert r.returncode == 0 and "loaded 1 quads" in r.stdout
    trig = kg(store, "export", "--format", "trig")
    assert "cli-loaded" in trig.stdout and "<http://e.test/g>" in trig.stdout
    nq = kg(store, "export", "--format", "nquads")
    assert '"cli-loaded" <http://e.test/g> .' in nq.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "no-such-query"), "unknown query 'no-such-query'"),
        (("query", "visits-to"), "missing parameter 'place'"),
        (("query", "visits-to", "--param", "oops"), "bad --param 'oops'"),
        (("load", "/nonexistent/file.ttl"), "no such file"),
        (("query", "/nonexistent/q.rq"), "no such file"),
    ],
)
def test_bad_input_is_one_clear_line(store: Path, args: tuple[str, ...], message: str):
    r = kg(store, *args)
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_bad_rdf_file_is_refused(store: Path, tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://e.test/s> <http://e.test/p> .")
    r = kg(store, "load", str(bad))
    assert r.returncode == 2 and "not valid Turtle" in r.stderr


def test_extract_explain_lists_the_quotes_left_out(store: Path, tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text(
        'published: 2024-05-08\n\nMinister Jo Lund spoke in Oslo. "We are ready to help '
        'everyone," she said. Someone wrote "nobody knows who said this at all" on a wall.\n',
        "utf-8",
    )
    r = kg(store, "extract", str(article), "--explain")
    assert r.returncode == 0, r.stderr
    said = [s["text"] for s in json.loads(r.stdout)["statements"]]
    assert said == ["We are ready to help everyone,"]
    assert "left out (no speaker) at " in r.stderr and "nobody knows who said" in r.stderr
    assert "We are ready" not in r.stderr  # only the quotes that became no statement
