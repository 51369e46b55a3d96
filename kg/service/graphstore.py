"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``.

Graphs are named indirectly (``/store?graph=IRI``, ``/store?default``) or directly (the
request URL ``/store/...`` is the graph's IRI). GET and HEAD read; PUT replaces, POST merges,
DELETE removes, only with the bearer token, each whole or not at all. POST to ``/store``
itself creates a new graph and answers its IRI in ``Location``.

A POST, and a PUT into an absent or empty graph, hand the body to the store's loader without
parsing it in Python (4 MB or more: the bulk loader, see ``OxigraphStore.load``); a PUT over
content drops and inserts in one update request.
"""

from __future__ import annotations

import email.parser
import email.policy
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kg.formats import GRAPH_FORMATS
from kg.service.auth import require_token
from kg.service.body import media_type, read_body
from kg.service.errors import HTTPProblem, store_problem
from kg.service.negotiation import choose
from kg.service.state import ServiceState, get_state
from kg.store import BadDataError, StoreError, StoreIOError

router = APIRouter()
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
# A PUT into an empty graph is a load; the look and the load must not interleave with another.
_PUT_INTO_EMPTY = threading.Lock()


@dataclass(frozen=True)
class Target:
    """The graph a request addresses: ``iri`` None is the default graph."""

    iri: str | None
    new: bool = False  # POST to the store itself: a graph to create

    @property
    def sparql(self) -> str:
        """The graph as SPARQL Update names it (``DEFAULT`` or ``GRAPH <iri>``)."""
        return "DEFAULT" if self.iri is None else f"GRAPH {ox.NamedNode(self.iri)}"

    @property
    def term(self) -> ox.NamedNode | ox.DefaultGraph:
        """The graph as a pyoxigraph term."""
        return ox.DefaultGraph() if self.iri is None else ox.NamedNode(self.iri)


def _iri(value: str) -> str:
    """``value`` if it is an IRI pyoxigraph accepts; else 400."""
    try:
        return ox.NamedNode(value).value
    except ValueError as exc:
        raise HTTPProblem(400, f"the graph {value!r} is not an IRI: {exc}") from exc


def target_of(request: Request, path: str) -> Target:
    """The graph a request names, by ``?graph=``, ``?default`` or its own URL."""
    params = parse_qsl(request.url.query, keep_blank_values=True)
    graphs = [v for k, v in params if k == "graph"]
    default = any(k == "default" for k, _ in params)
    if path:
        if graphs or default:
            raise HTTPProblem(
                400, "a graph URL under /store takes no 'graph' or 'default' parameter"
            )
        return Target(_iri(str(request.url.replace(query=""))))
    if len(graphs) > 1 or (graphs and default):
        raise HTTPProblem(400, "name one graph: '?graph=IRI' once, or '?default'")
    if default:
        return Target(None)
    if graphs:
        return Target(_iri(graphs[0]))
    if request.method == "POST":
        base = request.app.state.kg.settings.graph_base
        return Target(f"{base}store/{uuid.uuid4()}", new=True)
    raise HTTPProblem(400, "name a graph: '?graph=IRI' or '?default'")


def _rdf_format(kind: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(kind) if kind else None
    if fmt is None or fmt.supports_datasets:
        offered = ", ".join(
            f.media_type for f in GRAPH_FORMATS.values() if f.name not in ("nquads", "trig")
        )
        raise HTTPProblem(
            415, f"cannot read a graph from {kind or '(no content type)'!r}; send one of: {offered}"
        )
    return fmt


def _parts(kind_header: str, body: bytes) -> list[tuple[str, bytes]]:
    """The (media type, content) of each part of a multipart/form-data body."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + kind_header.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise HTTPProblem(400, "the multipart body has no parts")
    out = []
    for part in message.iter_parts():
        kind = part.get_content_type()
        if kind == "text/plain" and part.get_filename():  # browsers guess; trust the file suffix
            fmt = ox.RdfFormat.from_extension(part.get_filename().rsplit(".", 1)[-1])
            kind = fmt.media_type if fmt else kind
        out.append((kind, part.get_payload(decode=True) or b""))
    return out


def parse_triples(request: Request, body: bytes, base_iri: str) -> list[ox.Triple]:
    """The triples of a request body (RDF, or multipart/form-data of RDF files); 400/415."""
    kind = media_type(request)
    parts = (
        _parts(request.headers["content-type"], body)
        if kind == "multipart/form-data"
        else [(kind, body)]
    )
    triples: list[ox.Triple] = []
    for part_kind, content in parts:
        fmt = _rdf_format(part_kind)
        try:
            triples += [q.triple for q in ox.parse(content, format=fmt, base_iri=base_iri)]
        except SyntaxError as exc:
            raise HTTPProblem(400, f"the body is not valid {fmt.name}: {exc}") from exc
    return triples


def _exists(state: ServiceState, target: Target) -> bool:
    if target.iri is None:
        return True  # the default graph always exists (it may be empty)
    return state.store.has_graph(target.iri)


def _write(state: ServiceState, target: Target, triples: list[ox.Triple], replace: bool) -> bool:
    """PUT (``replace``) or POST ``triples`` into the target graph in one transaction."""
    existed = _exists(state, target)
    try:
        # Through the store's own atomic writes: a graph is replaced whole or not at all.
        if replace:
            state.store.replace_graph(target.iri, triples)  # type: ignore[arg-type]
        else:
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            state.store.load(data, ox.RdfFormat.N_TRIPLES, target.iri)
        _made(state, target)
    except StoreIOError:
        raise  # 503/507 (kg.service.errors)
    except StoreError as exc:
        raise store_problem(exc, "could not store the graph") from exc
    return existed


def _made(state: ServiceState, target: Target) -> None:
    """An empty body still makes the graph, so that a GET after it finds the graph."""
    if target.iri is not None and not _exists(state, target):
        state.store.update(f"CREATE SILENT {target.sparql}")


def _load(state: ServiceState, target: Target, body: bytes, fmt: ox.RdfFormat, base: str) -> None:
    """Parse and add the body in the store (no parse in Python; large bodies bulk load)."""
    try:
        # Not counted: the protocol's answer does not say how many triples were new.
        state.store.load(body, fmt, target.iri, base_iri=base, count=False)
        _made(state, target)
    except BadDataError as exc:
        raise HTTPProblem(400, f"the body is not valid {fmt.name}: {exc}") from exc
    except StoreIOError:
        raise  # 503/507 (kg.service.errors)
    except StoreError as exc:
        raise store_problem(exc, "could not store the graph") from exc


def _merge(state: ServiceState, target: Target, body: bytes, fmt: ox.RdfFormat, base: str) -> bool:
    """POST: add the body's triples to the target graph (nothing written on a syntax error)."""
    existed = _exists(state, target)
    _load(state, target, body, fmt, base)
    return existed


def _is_empty(state: ServiceState, target: Target) -> bool:
    if target.iri is None:
        return not state.store.query("ASK { ?s ?p ?o }", union_default=False)
    return not state.store.query(f"ASK {{ GRAPH {ox.NamedNode(target.iri)} {{ ?s ?p ?o }} }}")


def _put_into_empty(
    state: ServiceState, target: Target, body: bytes, fmt: ox.RdfFormat, base: str
) -> bool | None:
    """PUT into an absent or empty graph is a load; None when the graph holds something."""
    with _PUT_INTO_EMPTY:
        existed = _exists(state, target)
        if existed and not _is_empty(state, target):
            return None
        _load(state, target, body, fmt, base)
        return existed


def _read(state: ServiceState, target: Target, fmt: ox.RdfFormat) -> bytes | None:
    if not _exists(state, target):
        return None
    return ox.serialize(state.store.graph_triples(target.iri), format=fmt)


def _delete(state: ServiceState, target: Target) -> bool:
    existed = _exists(state, target)
    if existed:
        state.store.update(f"{'CLEAR DEFAULT' if target.iri is None else 'DROP ' + target.sparql}")
    return existed


async def read_graph(request: Request, state: ServiceState, target: Target) -> Response:
    """GET or HEAD: the graph in the negotiated format; 404 when it does not exist."""
    fmt = choose(request.headers.get("accept"), GRAPH_FORMATS, "turtle")
    if fmt is None:
        offered = ", ".join(f.media_type for f in GRAPH_FORMATS.values())
        raise HTTPProblem(406, f"no acceptable format for a graph; offered: {offered}")
    body = await anyio.to_thread.run_sync(_read, state, target, fmt.ox_format)
    if body is None:
        raise HTTPProblem(404, f"no graph <{target.iri}> in the store")
    media = fmt.media_type + ("; charset=utf-8" if fmt.name != "rdfxml" else "")
    headers = {"Vary": "Accept", "Content-Length": str(len(body))}
    if request.method == "HEAD":
        return Response(b"", media_type=media, headers=headers)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


async def write_graph(request: Request, state: ServiceState, target: Target) -> Response:
    """PUT replaces, POST merges; 201 when the graph is new, else 204."""
    body = await read_body(request)
    base = target.iri or str(request.url.replace(query=""))
    existed: bool | None = None
    if media_type(request) != "multipart/form-data":
        # No parse in Python: the store loads the body in one step, or writes nothing.
        fmt = _rdf_format(media_type(request))
        if request.method == "POST":
            existed = await anyio.to_thread.run_sync(_merge, state, target, body, fmt, base)
        else:
            existed = await anyio.to_thread.run_sync(
                _put_into_empty, state, target, body, fmt, base
            )
    if existed is None:  # multipart, or a PUT over content: replaced in one transaction
        triples = await anyio.to_thread.run_sync(parse_triples, request, body, base)
        replace = request.method == "PUT"
        existed = await anyio.to_thread.run_sync(_write, state, target, triples, replace)
    if target.new:
        return Response(status_code=201, headers={"Location": target.iri or ""})
    return Response(status_code=204 if existed else 201)


@router.api_route("/store", methods=METHODS, summary="Graph Store HTTP Protocol (indirect)")
@router.api_route(
    "/store/{path:path}", methods=METHODS, summary="Graph Store HTTP Protocol (direct)"
)
async def graph_store(
    request: Request, path: str = "", state: ServiceState = Depends(get_state)
) -> Response:
    """One handler for every method; writes need the bearer token."""
    target = target_of(request, path)
    if request.method in ("GET", "HEAD"):
        return await read_graph(request, state, target)
    require_token(request)
    if request.method == "DELETE":
        if not await anyio.to_thread.run_sync(_delete, state, target):
            raise HTTPProblem(404, f"no graph <{target.iri}> in the store")
        return Response(status_code=204)
    return await write_graph(request, state, target)
