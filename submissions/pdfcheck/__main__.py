"""Child-process entry point used by the sandbox.

    python -m submissions.pdfcheck check FILE OPTIONS_JSON
    python -m submissions.pdfcheck copy SRC DST [SRC DST ...]

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
    valid = (len(argv) == 3 and argv[0] == "check") or (
        len(argv) >= 3 and argv[0] == "copy" and len(argv) % 2 == 1
    )
    if not valid:
        sys.stderr.write(__doc__ or "")
        return 2
    # Limits go on before the file is opened (the imports above are trusted).
    limit_resources()
    command, paths = argv[0], argv[1:]
    with contextlib.redirect_stdout(sys.stderr):
        if command == "check":
            options = CheckOptions.from_json(json.loads(paths[1]))
            answer = analyze(Path(paths[0]), options).to_dict()
        else:
            pairs = zip(paths[::2], paths[1::2], strict=True)
            errors = [copy_problem(src, dst) for src, dst in pairs]
            answer = {"ok": errors[0] is None, "error": errors[0], "errors": errors}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
