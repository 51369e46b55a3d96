"""The HTTP service: SPARQL endpoint, named queries, health (FastAPI on uvicorn)."""
