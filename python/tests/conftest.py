"""Shared fixtures: the repository's files and the callcap CLI to compare with."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "rates" / "audit" / "sample"
EXAMPLES = ROOT / "rates" / "examples"


def _cli() -> str:
    for candidate in (
        os.environ.get("CALLCAP_BIN"),
        ROOT / "target" / "debug" / "callcap",
        ROOT / "target" / "release" / "callcap",
        shutil.which("callcap"),
    ):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail("no callcap CLI to compare with: build it (cargo build) or set CALLCAP_BIN")


@pytest.fixture(scope="session")
def cli():
    """Runs the CLI with --format json; returns the parsed JSON and the exit code."""
    binary = _cli()

    def run(*args):
        p = subprocess.run([binary, *map(str, args), "--format", "json"],
                           capture_output=True, text=True)
        assert p.returncode in (0, 1), p.stderr
        return json.loads(p.stdout), p.returncode

    return run


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """A seeded file of about 20,000 calls and its facilities, from the repository's
    generator (examples/generate_calls.rs)."""
    out = tmp_path_factory.mktemp("generated")
    gen = os.environ.get("CALLCAP_GENERATE_CALLS")
    cmd = [gen] if gen else ["cargo", "run", "--quiet", "--example", "generate_calls", "--"]
    subprocess.run([*cmd, "--rows", "20000", "--seed", "7", "--out", str(out)], cwd=ROOT,
                   check=True)
    return out / "calls.csv", out / "facilities.csv"
