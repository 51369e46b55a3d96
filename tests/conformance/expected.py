"""W3C tests the service is known to fail, each with the reason (the runner checks this table).

Every entry also fails on pyoxigraph 0.5.13 in-process, the engine the service runs: the
service adds no failures of its own. An entry that starts passing makes the run fail until it
is removed, so the table stays true.
"""

ENGINE = "pyoxigraph 0.5.13 answers differently (fails in-process too)"

EXPECTED_FAILURES: dict[str, str] = {
    "aggregates/agg-empty-group-count-graph": (
        f"COUNT without GROUP BY inside GRAPH ?g, one row per graph: {ENGINE}"
    ),
    "aggregates/agg-groupconcat-04": f"GROUP_CONCAT keeping a shared language tag: {ENGINE}",
    "aggregates/agg-groupconcat-06": f"GROUP_CONCAT language tags (newer erratum): {ENGINE}",
    "bindings/graph": f"VALUES binding ?g inside GRAPH ?g: {ENGINE}",
    "negation/graph-minus": f"MINUS inside GRAPH: {ENGINE}",
    "property-path/zero_or_more_set_end": f"p* to a constant over an empty dataset: {ENGINE}",
    "property-path/zero_or_more_set_start": f"p* from a constant over an empty dataset: {ENGINE}",
    "property-path/zero_or_one_set_end": f"p? to a constant over an empty dataset: {ENGINE}",
    "property-path/zero_or_one_set_start": f"p? from a constant over an empty dataset: {ENGINE}",
}
