"""`make fuzz`: schemathesis over HTTP against a real server, at least 2,000 requests.

Starts `amends serve` on a free loopback port, runs the schemathesis CLI against its
`/openapi.json` with every default check plus `tests/fuzz_checks.py`, prints the summary and
exits non-zero on any failure (a server error, a non-conforming answer, schema-valid input
rejected) or when fewer than `--min-cases` test cases ran.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import live_server  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=150, help="per operation and phase")
    parser.add_argument("--min-cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    with live_server({}) as server:
        command = [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{server.base_url}/openapi.json",
            "--max-examples",
            str(args.max_examples),
            "--seed",
            str(args.seed),
            "--workers",
            "2",
            "--generation-database",
            "none",
            "--no-color",
            # Hypothesis' own check that generating data is fast enough: the nested rewrite
            # request (a whole draft request as its context) is slow to generate on a busy
            # machine. It says nothing about the API.
            "--suppress-health-check",
            "too_slow",
        ]
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.fuzz_checks", "PYTHONPATH": str(ROOT)}
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    output = run.stdout + run.stderr
    # Failure reports quote whole generated bodies (100 KB lines); clip each line so that the
    # summary and every failure's explanation stay readable.
    lines = [line if len(line) <= 400 else line[:400] + " …" for line in output.splitlines()]
    print("\n".join(lines[-400:]))
    counted = re.search(r"(\d+) generated", output)
    cases = int(counted.group(1)) if counted else 0
    print(f"schemathesis test cases: {cases} (at least {args.min_cases} required)")
    if run.returncode != 0:
        return run.returncode
    return 0 if cases >= args.min_cases else 1


if __name__ == "__main__":
    sys.exit(main())
