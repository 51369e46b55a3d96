"""The service's own OpenAPI description, and schemathesis run against the real service.

schemathesis reads ``/openapi.json``, generates requests for every route and method (valid
and invalid parameters, bodies, headers) and checks each answer: no 5xx, only documented
status codes and media types, bodies that match their schemas. This bounded run takes about
half a minute; ``make schemathesis`` runs a larger one with the stateful phase.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from kg.service import apidoc
from kg.service.apidoc import OPERATIONS
from tests.conftest import RunningService

TOKEN = "schemathesis-token"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_headers_conformance,response_schema_conformance"
)


def schemathesis_command(url: str, examples: int, phases: str, report: Path) -> list[str]:
    """The ``st run`` command line for the service at ``url`` (also used by bench/fuzz.py)."""
    st = Path(sys.executable).with_name("st")
    return [
        str(st), "run", f"{url}/openapi.json",
        "--checks", CHECKS,
        "--max-examples", str(examples),
        "--phases", phases,
        "--workers", "1",
        "--header", f"Authorization: Bearer {TOKEN}",
        "--suppress-health-check", "filter_too_much,too_slow",
        "--request-timeout", "30",
        "--no-shrink",
        "--seed", os.environ.get("KG_SCHEMATHESIS_SEED", "20261201"),
        "--report", "junit", "--report-dir", str(report),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, wikidata) -> Iterator[RunningService]:  # type: ignore[no-untyped-def]
    # Federated named queries reach the Wikidata-shaped fixture server, as they would reach
    # Wikidata online; an unreachable endpoint is a documented 502/504 (tests/test_federation.py).
    s = RunningService(
        tmp_path_factory.mktemp("openapi") / "store",
        {
            "KG_API_TOKEN": TOKEN,
            "KG_QUERY_TIMEOUT_S": "5",
            "KG_WIKIDATA_ENDPOINT": wikidata.endpoint,
        },
    )
    yield s
    s.stop()


def test_every_route_is_described(svc: RunningService) -> None:
    spec = httpx.get(svc.url + "/openapi.json").json()
    ops = {(p, m) for p, methods in spec["paths"].items() for m in methods}
    assert set(OPERATIONS) <= ops
    assert {("/queries/visits-to", "get"), ("/store/{path}", "delete")} <= ops
    for (path, method), op in ((k, spec["paths"][k[0]][k[1]]) for k in ops):
        assert any(code.startswith(("2", "3")) for code in op["responses"]), (path, method)
        for code, resp in op["responses"].items():
            if code.startswith("4"):  # every error says what it is, in text
                assert {"text/plain", "text/html"} & set(resp["content"]), (path, method, code)
    post = spec["paths"]["/sparql"]["post"]
    assert set(post["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded",
        "application/sparql-query",
        "application/sparql-update",
    }
    visits_to = spec["paths"]["/queries/visits-to"]["get"]
    assert next(p["name"] for p in visits_to["parameters"] if p["in"] == "query") == "place"
    assert len({op["operationId"] for m in spec["paths"].values() for op in m.values()}) == len(ops)


def test_a_route_without_a_description_stops_the_app(tmp_path: Path) -> None:
    # Also inside an included router (FastAPI keeps those as one entry of app.routes).
    router = APIRouter()

    @router.get("/undocumented")
    async def undocumented() -> dict:
        return {}

    app = FastAPI()
    app.include_router(router)
    with pytest.raises(RuntimeError, match="/undocumented"):
        apidoc.install(app, tmp_path)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    svc: RunningService, tmp_path: Path
) -> None:
    before = httpx.get(svc.url + "/health").json()
    run = subprocess.run(
        schemathesis_command(svc.url, 8, "examples,coverage,fuzzing", tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = run.stdout + run.stderr
    summary = out[out.rfind("SUMMARY") :]
    assert run.returncode == 0, out[-6000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", summary)
    tested = re.search(r"Tested: (\d+)", summary)
    generated = re.search(r"(\d+) generated", summary)
    assert selected and tested and generated, summary
    assert selected[1] == selected[2] == tested[1], summary  # every operation was exercised
    assert int(generated[1]) > 500, summary
    assert httpx.get(svc.url + "/health").json()["status"] == before["status"] == "ok"
