"""Child-process entry point used by the sandbox.

    python -m submissions.pdfcheck serve
    python -m submissions.pdfcheck check FILE OPTIONS_JSON [COPY]
    python -m submissions.pdfcheck copy SRC DST [SRC DST ...]
    python -m submissions.pdfcheck profile FILE

`serve` is a warm sandbox worker (see sandbox.py): it reads one JSON request a
line on stdin ({"command": "check" | "copy" | "profile", "args": [...]}) and
writes one JSON line per request on stdout, until stdin closes. The others run
one job and print one JSON object. `check` with COPY also writes the reviewer
copy of FILE to COPY when FILE passes (checks.run_job). `profile` reads the
title and abstract of a reviewer's own paper (profile_text.py). Whatever
libraries print goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

from .checks import run_job
from .profile_text import profile_job
from .report import CheckOptions
from .sandbox import (
    CPU_LIMIT_SECONDS,
    JOBS_PER_WORKER,
    MEMORY_LIMIT_BYTES,
    arm_cpu_limit,
    limit_resources,
)
from .sanitize import copy_problem


def _job(command: str, args: list[Any]) -> dict[str, Any]:
    with contextlib.redirect_stdout(sys.stderr):
        if command == "check":
            options = args[1] if isinstance(args[1], dict) else json.loads(args[1])
            copy_to = args[2] if len(args) == 3 else None
            return run_job(Path(args[0]), CheckOptions.from_json(options), copy_to)
        if command == "profile":
            return profile_job(Path(args[0]))
        pairs = zip(args[::2], args[1::2], strict=True)
        errors = [copy_problem(src, dst) for src, dst in pairs]
        return {"ok": errors[0] is None, "error": errors[0], "errors": errors}


def _valid(command: str, args: list[Any]) -> bool:
    if command == "check":
        return len(args) in (2, 3)
    if command == "profile":
        return len(args) == 1
    return command == "copy" and len(args) >= 2 and len(args) % 2 == 0


def _peak_rss_bytes(resource) -> int:
    """This process image's peak resident size. Not ru_maxrss: Linux carries it
    over from the parent across fork and exec, so every worker of a large web
    process (or test run) would look over the limit and retire after one job.
    VmHWM belongs to the current address space and starts afresh at exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def serve() -> int:
    # A whole life's CPU budget; each job is armed with CPU_LIMIT_SECONDS more.
    limit_resources(cpu_hard_seconds=(JOBS_PER_WORKER + 2) * CPU_LIMIT_SECONDS)
    import resource

    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        command, args = request["command"], request["args"]
        if not _valid(command, args) or not arm_cpu_limit():
            return 2
        answer = _job(command, args)
        # A job that came near the memory limit may have left the heap
        # fragmented, so this worker makes way for a fresh one.
        retire = _peak_rss_bytes(resource) > MEMORY_LIMIT_BYTES // 2
        out.write(json.dumps({"answer": answer, "retire": retire}) + "\n")
        out.flush()
        if retire:
            break
    return 0


def main(argv: list[str]) -> int:
    if argv == ["serve"]:
        return serve()
    if not argv or not _valid(argv[0], argv[1:]):
        sys.stderr.write(__doc__ or "")
        return 2
    # Limits go on before the file is opened (the imports above are trusted).
    limit_resources()
    sys.stdout.write(json.dumps(_job(argv[0], argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
