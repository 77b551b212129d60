"""Child-process entry point used by the sandbox.

    python -m submissions.pdfcheck check FILE OPTIONS_JSON
    python -m submissions.pdfcheck copy SRC DST

Prints one JSON object on stdout; whatever libraries print goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from .checks import CheckOptions, analyze
from .sandbox import limit_resources
from .sanitize import copy_problem


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("check", "copy"):
        sys.stderr.write(__doc__ or "")
        return 2
    # Limits go on before the file is opened (the imports above are trusted).
    limit_resources()
    command, first, second = argv
    with contextlib.redirect_stdout(sys.stderr):
        if command == "check":
            options = CheckOptions.from_json(json.loads(second))
            answer = analyze(Path(first), options).to_dict()
        else:
            problem = copy_problem(first, second)
            answer = {"ok": problem is None, "error": problem}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
