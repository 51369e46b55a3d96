"""Adversarial input, shared by the property tests (hypothesis strategies) and ``make fuzz``
(plain random choices): nasty strings, bytes, XML and RDF that a service must refuse cleanly.
"""

from __future__ import annotations

import random

from hypothesis import strategies as st

# Strings aimed at the places input is pasted: SPARQL text, IRIs, HTML, JSON, paths.
INJECTIONS = [
    "",
    " ",
    '"',
    "'",
    '"" ',
    "\\",
    '\\"',
    "}",
    "{",
    "} UNION { ?s ?p ?o }",
    '" } UNION { ?s ?p ?o } #',
    'Putin" } ; DROP ALL ; INSERT DATA { <x> <y> <z> } #',
    "'; DROP ALL; --",
    "?s ?p ?o",
    "Pyongyang\n} ; CLEAR ALL",
    "Pyongyang\r\nX-Injected: 1",
    "line\nbreak",
    "http://a b",
    "http://x>",
    "<http://evil>",
    "http://[::1",
    "http://x/\x00",
    "http://example.org/a>b",
    "https://w3id.org/diplovisit/ontology#Visit> . ?s ?p ?o . <x",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Q7747",
    "wd:Q7747",
    "Q0",
    "Q99999999999999999999999",
    "%00",
    "%",
    "%zz",
    "\x00",
    "\ufeff",
    "\u202e",
    "😀" * 10,
    "a" * 3000,
    "../../../../etc/passwd",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "SELECT * WHERE { ?s ?p ?o }",
    "FILTER(true)",
    "VALUES ?x { 1 }",
    "Pyongyang",
    "Vladimir Putin",
    "Russia",
    "2024-11-06",
    "2024-13-45",
    "-1",
    "99999999999999999999999999",
]

# Bodies that are no article, no RDF, no SPARQL.
BAD_BYTES = [
    b"",
    b" \n\t",
    b"\x00" * 64,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\xff\xfe" + "text in UTF-16".encode("utf-16-le"),
    "Präsident in Zürich".encode("latin-1"),
    b"\xc3\x28\xa0\xa1",
    b"{" * 10_000,
    b"[" * 10_000 + b"]" * 10_000,
    b"<a>" * 20_000,
    b'{"text": null}',
    b'{"text": 5, "title": ["x"], "dateline": {}, "url": 7}',
    b'{"text": "x", "url": {"a": 1}}',
    b'["text"]',
    b'"just a string"',
    b"null",
    b"@prefix : <http://x/> . :a :b",
    b"<http://a> <http://b> <http://c>",
    b"<http://a b> <http://b> <http://c> .",
    b'_:a <http://b> "unterminated .',
]

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE visits [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "' + (f"&{chr(97 + i)};" * 10) + '">' for i in range(9))
    + "]><visits><visit><id>1</id><visitor>&j;</visitor>"
    "<start-date>2000-01-01</start-date></visit></visits>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE visits [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<visits><visit><id>1</id><visitor>President &x;</visitor>"
    '<start-date>2000-01-01</start-date><from id="france">France</from></visit></visits>'
)
XXE_PARAMETER = (
    '<?xml version="1.0"?><!DOCTYPE visits [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd">'
    "%p;]><visits/>"
)
# Record files that must give a clear error (or nothing), never a crash, hang or leak.
BAD_XML: dict[str, bytes] = {
    "empty": b"",
    "blank": b"   \n",
    "binary": b"\x00\x01\x02\xff" * 100,
    "not xml": b"visit: Putin, 2000-01-01",
    "unclosed": b"<visits><visit><id>1</id>",
    "wrong encoding": '<?xml version="1.0" encoding="UTF-8"?><visits><visit><visitor>'
    "Président</visitor></visit></visits>".encode("latin-1"),
    "utf-16": '<?xml version="1.0" encoding="UTF-16"?><visits/>'.encode("utf-16"),
    "deeply nested": b"<visits>" + b"<visit>" * 100_000 + b"</visit>" * 100_000 + b"</visits>",
    "deep text": b"<visits><visit><visitor>"
    + b"<b>" * 50_000
    + b"President X"
    + b"</b>" * 50_000
    + b"</visitor><start-date>2000-01-01</start-date></visit></visits>",
    "billion laughs": BILLION_LAUGHS.encode(),
    "xxe": XXE.encode(),
    "xxe parameter entity": XXE_PARAMETER.encode(),
    "huge text": b"<visits><visit><id>1</id><visitor>President "
    + b"A" * 3_000_000
    + b"</visitor><start-date>2000-01-01</start-date></visit></visits>",
    "many records": b"<visits>"
    + b"<visit><id>1</id><start-date>not a date</start-date></visit>" * 20_000
    + b"</visits>",
}

# A query that needs gigabytes at once: sorting 60^4 solutions (LIMIT 1 cannot stream past
# ORDER BY), from VALUES alone, so it works on an empty store.
MEMORY_HUNGRY_QUERY = (
    "SELECT ?a ?b ?c ?d { "
    + " ".join(f"VALUES ?{v} {{ {' '.join(map(str, range(60)))} }}" for v in "abcd")
    + " } ORDER BY DESC(?a) ?b ?c ?d LIMIT 1"
)

# Content types a client may send with RDF: the formats the store reads, and some it does not.
RDF_TYPES = [
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/n-quads",
    "text/plain",
    "image/png",
    "",
]
NASTY_TEXT = st.sampled_from(INJECTIONS) | st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60
)
NASTY_BYTES = st.sampled_from(BAD_BYTES) | st.binary(max_size=300)


def json_values() -> st.SearchStrategy[object]:
    """Any JSON value, strings drawn from the nasty ones."""
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | NASTY_TEXT,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NASTY_TEXT, inner, max_size=3),
        max_leaves=6,
    )


def article_records() -> st.SearchStrategy[dict]:
    """JSON article records with fields of every type, some of them valid."""
    text = st.sampled_from(
        [
            "President Emmanuel Macron arrived in Berlin on Monday for talks with Chancellor "
            "Olaf Scholz.",
            'Vladimir Putin visited Pyongyang. "We are friends," Putin said.',
        ]
    )
    field = json_values()
    return st.fixed_dictionaries(
        {},
        optional={
            "text": text | field,
            "html": field,
            "title": NASTY_TEXT | field,
            "dateline": st.sampled_from(["2024-05-08", "2024", "2024-13", "May 8"]) | field,
            "url": st.sampled_from(["https://news.example/a", "javascript:x", ""]) | field,
        },
    )


def random_text(rng: random.Random) -> str:
    """A nasty string for the fuzz run: a pool entry, mutated or joined with another."""
    a, b = rng.choice(INJECTIONS), rng.choice(INJECTIONS)
    return rng.choice([a, a + b, a[: rng.randint(0, len(a))], b + " " + a])


def random_bytes(rng: random.Random) -> bytes:
    """A bad body for the fuzz run."""
    if rng.random() < 0.5:
        return rng.choice(BAD_BYTES)
    return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200)))
