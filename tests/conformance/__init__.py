"""The W3C SPARQL 1.1 test suites, run against the service over HTTP (``make conformance``)."""
