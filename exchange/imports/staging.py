"""Files uploaded on the chairs' import page, kept in private storage between
the dry run and the confirmation (the job reads them back), then removed.

Each upload is a `StagedUpload` row (its token names the folder). It is removed
once imported; one a chair abandoned is swept by `sweep_staged` (hourly, by beat)
once older than IMPORT_STAGING_MAX_AGE_HOURS, files and row, since it holds
people's names and addresses."""

import logging
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from exchange.models import StagedUpload
from haet import audit
from haet.models import User
from submissions.models import private_storage

logger = logging.getLogger(__name__)

ROOT = "import-staging"
KINDS = ("data", "pdfs")


def _safe(name: str) -> str:
    stem = PurePosixPath(name.replace("\\", "/")).name
    return (
        "".join(c if c.isalnum() or c in "._-" else "_" for c in stem)[:120] or "file"
    )


def stage(
    data: list[tuple[str, bytes]],
    pdfs: list[tuple[str, bytes]],
    *,
    by: User | None = None,
) -> str:
    """Keep the files; the token names them. Side effects: a StagedUpload row,
    the files in private storage."""
    token = secrets.token_hex(16)
    # The row first: files whose row is lost (a rolled-back request) are swept
    # by their own age instead.
    StagedUpload.objects.create(
        token=token, created_by=by, file_count=len(data) + len(pdfs)
    )
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


def keep(token: str) -> None:
    """Restart the upload's age (an import is starting): never swept mid-import."""
    StagedUpload.objects.filter(token=token).update(created_at=timezone.now())


def unstage(token: str) -> None:
    """Remove the row now and the files once committed (a job that fails keeps
    them for its retry). Harmless when they are gone already."""
    for row in StagedUpload.objects.filter(token=token):
        row.delete()  # one by one: each is an audit entry
    transaction.on_commit(partial(_remove_files, token))


def _remove_files(token: str) -> None:
    for kind in KINDS:
        for name in _names(token, kind):
            try:
                private_storage.delete(f"{ROOT}/{token}/{kind}/{name}")
            except FileNotFoundError:  # removed meanwhile (a concurrent sweep)
                continue
    _remove_empty_folders(token)


def _remove_empty_folders(token: str) -> None:
    """A file system storage keeps empty folders; an object store has none."""
    try:
        folder = Path(private_storage.path(f"{ROOT}/{token}"))
    except NotImplementedError:
        return
    for path in [folder / kind for kind in KINDS] + [folder]:
        try:
            path.rmdir()
        except OSError:  # missing, or not empty (a file staged meanwhile)
            continue


def max_age() -> timedelta:
    return timedelta(hours=settings.IMPORT_STAGING_MAX_AGE_HOURS)


def _is_old(token: str, cutoff: datetime) -> bool:
    """A folder without a row: old when its newest file is."""
    names = [f"{ROOT}/{token}/{k}/{n}" for k in KINDS for n in _names(token, k)]
    try:
        return all(private_storage.get_modified_time(n) <= cutoff for n in names)
    except FileNotFoundError:
        return False


def sweep_staged(*, older_than: timedelta | None = None) -> list[str]:
    """Delete the staged uploads older than `older_than` (by default the setting
    IMPORT_STAGING_MAX_AGE_HOURS), files and rows; return their tokens. Also the
    folders no row names whose files are that old. Running it twice is
    harmless: the second run finds nothing."""
    cutoff = timezone.now() - (older_than if older_than is not None else max_age())
    # Listed before the rows are read: a folder staged in between has its row.
    try:
        folders = [f for f in private_storage.listdir(ROOT)[0] if f.isalnum()]
    except FileNotFoundError:
        folders = []
    rows = StagedUpload.objects.filter(token__in=folders).values_list(
        "token", flat=True
    )
    known = set(rows)
    tokens = list(
        StagedUpload.objects.filter(created_at__lt=cutoff).values_list(
            "token", flat=True
        )
    )
    tokens += [f for f in folders if f not in known and _is_old(f, cutoff)]
    with audit.action("exchange.staged_upload_swept"):
        for token in tokens:
            unstage(token)
    if tokens:
        logger.info("Swept %d abandoned import upload(s).", len(tokens))
    return tokens
