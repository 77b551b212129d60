"""Run one bench row per child process, so each row's peak memory is its own."""

from __future__ import annotations

import json
import subprocess
import sys


def run_children(
    script: str, families: list[str], seeds: list[int], options: list[str]
) -> list[dict]:
    """``script --child FAMILY --seeds SEED *options`` for every family and
    seed: prints each JSON row as it comes and returns them all. Other stdout
    lines go to stderr (HiGHS may print a stray one: ERGO-Code/HiGHS#2783)."""
    rows = []
    for name in families:
        for seed in seeds:
            command = [sys.executable, script, "--child", name, "--seeds", str(seed)]
            output = subprocess.run(
                [*command, *options], check=True, capture_output=True, text=True
            )
            for line in output.stdout.splitlines():
                if line.startswith("{"):
                    print(line, flush=True)
                    rows.append(json.loads(line))
                else:
                    print(line, file=sys.stderr, flush=True)
    return rows
