"""A knowledge graph of diplomatic visits: states, leaders, visits and statements.

The package mirrors the flow of data, one direction only::

    extract/ -> link/ -> mapping -> validate -> store/ -> service/

``kg.ingest`` is the one place that composes the stages; the CLI and the service call it.
"""

__version__ = "0.1.0"
