"""Files uploaded on the chairs' import page, kept in private storage between
the dry run and the confirmation (the job reads them back), then removed."""

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile

from submissions.models import private_storage

ROOT = "import-staging"
KINDS = ("data", "pdfs")


def _safe(name: str) -> str:
    stem = PurePosixPath(name.replace("\\", "/")).name
    return (
        "".join(c if c.isalnum() or c in "._-" else "_" for c in stem)[:120] or "file"
    )


def stage(data: list[tuple[str, bytes]], pdfs: list[tuple[str, bytes]]) -> str:
    """Keep the files; the token names them."""
    token = secrets.token_hex(16)
    for kind, files in zip(KINDS, (data, pdfs), strict=True):
        for name, content in files:
            private_storage.save(
                f"{ROOT}/{token}/{kind}/{_safe(name)}", ContentFile(content)
            )
    return token


def _names(token: str, kind: str) -> list[str]:
    if not token.isalnum():
        return []
    try:
        return sorted(private_storage.listdir(f"{ROOT}/{token}/{kind}")[1])
    except FileNotFoundError:
        return []


def staged_data(token: str) -> list[tuple[str, bytes]]:
    files = []
    for name in _names(token, "data"):
        with private_storage.open(f"{ROOT}/{token}/data/{name}") as handle:
            files.append((name, handle.read()))
    return files


def has_pdfs(token: str) -> bool:
    return bool(_names(token, "pdfs"))


@contextmanager
def staged_pdfs(token: str) -> Iterator[Path | None]:
    """The staged PDFs copied to a local folder (the checks read local files)."""
    names = _names(token, "pdfs")
    if not names:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="haet-import-") as folder:
        for name in names:
            with private_storage.open(f"{ROOT}/{token}/pdfs/{name}") as handle:
                (Path(folder) / name).write_bytes(handle.read())
        yield Path(folder)


def unstage(token: str) -> None:
    for kind in KINDS:
        for name in _names(token, kind):
            private_storage.delete(f"{ROOT}/{token}/{kind}/{name}")
