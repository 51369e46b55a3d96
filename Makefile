# Two commands on a fresh machine: `make serve` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install serve test lint format clean conformance bench-sparql bench-scale eval eval-heldout \
        bench-extract bench-import bench-link fuzz schemathesis load bench-pages

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: install
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

# Conformance first, so that pytest's summary is the closing line.
test: install
	$(MAKE) conformance
	$(BIN)/python -m pytest -q

# The W3C SPARQL 1.1 suites against a fresh service over HTTP (about 30 s).
conformance: install
	$(BIN)/python -m tests.conformance.run

# Benchmark: this service vs the Oxigraph server vs rdflib-endpoint on a 1M-triple visit graph.
bench-sparql: install
	$(BIN)/python -m pip install --quiet 'oxigraph>=0.5,<0.6' 'rdflib-endpoint[cli]>=0.5'
	$(BIN)/python -m bench.sparql

# Scale: the embedded store vs Virtuoso (started on loopback) at 1M and 10M generated triples.
bench-scale: install
	$(BIN)/python -m bench.scale --sizes 1000000,10000000

eval: install  ## extractor precision/recall/F1 on the seven development sets, with the misses
	$(BIN)/python -m bench.eval_extract

eval-heldout: install  ## the same figures on the blind held-out set (bench/heldout), no misses shown
	$(BIN)/python -m bench.eval_heldout

bench-extract: install  ## articles per second for extract and ingest on the shared corpus
	$(BIN)/python bench/bench_extract.py

bench-import: install
	$(BIN)/python bench/import_historyatstate.py

bench-link: install  ## kg link / kg check against the Wikidata-shaped fixture (Oxigraph server)
	$(BIN)/python -m bench.link_wikidata
# Reliability (not part of make test): see README "Reliability".
fuzz: install  ## 10,000 generated requests and articles against the real service; counts by status
	$(BIN)/python -m bench.fuzz

schemathesis: install  ## a larger schemathesis run (all phases, stateful too) than make test's
	$(BIN)/python -m bench.schemathesis

load: install  ## 50 clients for 60 s (locust): throughput, latency percentiles, errors
	$(BIN)/python -m pip install --quiet 'locust>=2.20,<3'
	$(BIN)/python -m bench.load

bench-pages: install  ## each page and named query once after a write and warm, one client, on the load store
	$(BIN)/python -m bench.pages

lint: install
	$(BIN)/ruff check kg tests bench
	$(BIN)/ruff format --check kg tests bench

format: install
	$(BIN)/ruff format kg tests bench
	$(BIN)/ruff check --fix kg tests bench

clean:
	rm -rf var .pytest_cache .ruff_cache
