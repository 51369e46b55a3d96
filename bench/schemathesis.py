"""`make schemathesis`: schemathesis against the real service with every phase, stateful
included, and more examples per operation than the bounded run in make test.

    python -m bench.schemathesis [--examples N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import RunningService
from tests.test_openapi import TOKEN, schemathesis_command


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        svc = RunningService(
            Path(tmp) / "store", {"KG_API_TOKEN": TOKEN, "KG_QUERY_TIMEOUT_S": "10"}
        )
        try:
            phases = "examples,coverage,fuzzing,stateful"
            cmd = schemathesis_command(svc.url, args.examples, phases, Path(tmp) / "report")
            status = subprocess.run(cmd).returncode
            alive = svc.proc.poll() is None
        finally:
            svc.stop()
    print(f"service still up at the end: {'yes' if alive else 'NO'}")
    return status if alive else 1


if __name__ == "__main__":
    sys.exit(main())
