"""Run the W3C SPARQL 1.1 suites against a fresh service on loopback; print a line per suite.

``python -m tests.conformance.run`` (``make conformance``). The query and update suites also
run on pyoxigraph in this process, printed beside as the engine's own baseline. Exit status 1
when a test fails that is not in :data:`tests.conformance.expected.EXPECTED_FAILURES`, or one
listed there passes (the table must stay true).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.conformance.backends import HttpBackend, InProcessBackend
from tests.conformance.evaluate import run_case
from tests.conformance.expected import EXPECTED_FAILURES
from tests.conformance.manifests import Case, read_cases, read_suite
from tests.conformance.protocol import run_http_case, service_description_checks
from tests.conftest import SHARED, RunningService

SUITES = SHARED / "rdf-tests" / "sparql" / "sparql11"
TOKEN = "conformance-token"


def _short(case_id: str) -> str:
    return case_id.split("sparql11/", 1)[-1].replace("manifest#", "")


def main(argv: list[str] | None = None) -> int:
    """Run every suite; print the summary and the expected-failure table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every failure")
    parser.add_argument(
        "--union-default",
        action="store_true",
        help="run with the product's union default graph, to count what that choice costs",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        svc = RunningService(
            Path(tmp) / "store",
            env={
                "KG_API_TOKEN": TOKEN,
                # W3C tests define the default graph as exactly the data loaded into it.
                "KG_UNION_DEFAULT_GRAPH": "true" if args.union_default else "false",
                "KG_QUERY_TIMEOUT_S": "20",
            },
        )
        try:
            return _run_all(svc, args.verbose)
        finally:
            svc.stop()


def _run_all(svc: RunningService, verbose: bool) -> int:
    http = HttpBackend(svc.url, TOKEN)
    outcomes: dict[str, tuple[bool, str]] = {}
    engine_failures: set[str] = set()
    lines = []

    def load(file: Path | None, graph: str | None) -> None:
        http.reset() if file is None else http.load(file, graph)

    def record(
        suite: str,
        cases: list[Case],
        results: dict[str, tuple[bool, str]],
        baseline: dict[str, tuple[bool, str]] | None = None,
    ) -> None:
        passed = sum(ok for ok, _ in results.values())
        line = f"{suite:<28} {passed:>3} passed, {len(results) - passed:>3} failed"
        if baseline is not None:
            b = sum(ok for ok, _ in baseline.values())
            engine_failures.update(_short(k) for k, (ok, _) in baseline.items() if not ok)
            line += f"   | pyoxigraph in-process: {b} passed, {len(baseline) - b} failed"
        lines.append(line)
        print(line, flush=True)
        outcomes.update(results)

    started = time.monotonic()
    protocol = read_cases(SUITES / "protocol" / "manifest.ttl")
    record("protocol", protocol, {c.id: run_http_case(http.http, c, load) for c in protocol})
    gsp = read_cases(SUITES / "graph-store-protocol" / "manifest-direct.ttl") + read_cases(
        SUITES / "graph-store-protocol" / "manifest-indirect.ttl"
    )
    record("graph store protocol", gsp, {c.id: run_http_case(http.http, c, load) for c in gsp})
    http.reset()
    sd = service_description_checks(http.http, svc.url + "/sparql")
    record("service description", [], {f"service-description/{k}": v for k, v in sd.items()})
    ox_backend = InProcessBackend()
    for suite, top, kinds in (
        ("query evaluation", "manifest-sparql11-query.ttl", ("QueryEvaluationTest",)),
        (
            "update",
            "manifest-sparql11-update.ttl",
            (
                "UpdateEvaluationTest",
                "PositiveUpdateSyntaxTest11",
                "NegativeUpdateSyntaxTest11",
                "NegativeSyntaxTest11",
            ),
        ),
    ):
        cases = [c for c in read_suite(SUITES / top) if c.kind in kinds]
        results = {c.id: run_case(http, c) for c in cases}
        baseline = {c.id: run_case(ox_backend, c) for c in cases}
        record(suite, cases, results, baseline)
    return _report(outcomes, engine_failures, verbose, time.monotonic() - started)


def _report(
    outcomes: dict[str, tuple[bool, str]],
    engine_failures: set[str],
    verbose: bool,
    seconds: float,
) -> int:
    failed = {_short(k): why for k, (ok, why) in outcomes.items() if not ok}
    print(f"\n({len(outcomes)} tests in {seconds:.0f} s)")
    print("\nExpected failures:")
    width = max([len(k) for k in EXPECTED_FAILURES] + [10])
    for name, reason in sorted(EXPECTED_FAILURES.items()):
        state = "fails" if name in failed else "PASSES NOW (remove from the table)"
        engine = "in-process: fails " if name in engine_failures else "in-process: passes"
        print(f"  {name:<{width}}  {state:<6}  {engine}  {reason}")
    unexpected = {k: v for k, v in failed.items() if k not in EXPECTED_FAILURES}
    stale = [k for k in EXPECTED_FAILURES if k not in failed]
    if unexpected:
        print("\nUnexpected failures:")
        for name, why in sorted(unexpected.items()):
            print(f"  {name}: {why}")
    elif verbose:
        for name, why in sorted(failed.items()):
            print(f"  {name}: {why}")
    return 1 if unexpected or stale else 0


if __name__ == "__main__":
    sys.exit(main())
