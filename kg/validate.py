"""SHACL validation of a source graph before it is stored: a bad graph is refused whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from kg.ontology import PREFIXES, shapes_graph


@dataclass(frozen=True)
class Violation:
    """One failed constraint: the shape, the node it failed on, the property, the message."""

    shape: str
    focus: str
    path: str | None
    message: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.shape}: {self.focus}{where}: {self.message}"


class ShapeViolationError(ValueError):
    """A graph does not conform to the SHACL shapes; ``violations`` says where."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        shown = "; ".join(str(v) for v in violations[:5])
        more = f" (and {len(violations) - 5} more)" if len(violations) > 5 else ""
        super().__init__(f"graph refused by SHACL shapes: {shown}{more}")


def _short(term: object) -> str:
    text = str(term)
    for prefix, ns in (("dvsh", "https://w3id.org/diplovisit/shapes#"), *PREFIXES.items()):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def violations(graph: Graph, ontology_dir: Path) -> list[Violation]:
    """Every constraint ``graph`` fails (empty when it conforms)."""
    conforms, report, _ = shacl_validate(
        graph, shacl_graph=shapes_graph(ontology_dir), inference="none"
    )
    if conforms:
        return []
    found = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        shape = report.value(result, SH.sourceShape)
        # Property constraints are blank nodes: name the node shape that holds them.
        parent = next(report.subjects(SH.property, shape), None) if shape is not None else None
        parent = parent or next(shapes_graph(ontology_dir).subjects(SH.property, shape), None)
        found.append(
            Violation(
                shape=_short(parent if parent is not None else shape),
                focus=_short(report.value(result, SH.focusNode)),
                path=_short(p) if (p := report.value(result, SH.resultPath)) is not None else None,
                message=str(report.value(result, SH.resultMessage) or "constraint failed"),
            )
        )
    return sorted(found, key=lambda v: (v.shape, v.focus, v.path or ""))


def check(graph: Graph, ontology_dir: Path) -> None:
    """Raise :class:`ShapeViolationError` unless ``graph`` conforms to the shapes."""
    found = violations(graph, ontology_dir)
    if found:
        raise ShapeViolationError(found)
