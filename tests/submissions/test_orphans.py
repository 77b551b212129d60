"""The daily sweep of stored files that no row references."""

import os
import time

import pytest

from submissions.models import SubmissionVersion
from submissions.tasks import sweep_orphan_files

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


def write(root, name: str, *, age: float) -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 orphan\n")
    moment = time.time() - age
    os.utime(path, (moment, moment))
    return name


def files(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_sweep_removes_old_orphans_only_and_twice_is_harmless(
    conference, author, make_submission, settings
):
    root = settings.PRIVATE_STORAGE_ROOT
    make_submission(author)  # a version: its original and reviewer copy
    version = SubmissionVersion.objects.get()
    referenced = {version.original.name, version.reviewer_copy.name}
    for name in referenced:  # old, but referenced
        os.utime(root / name, (time.time() - 3 * DAY, time.time() - 3 * DAY))
    old_orphans = {
        write(root, "papers/old.pdf", age=2 * DAY),
        write(root, "reviewer-copies/old.pdf", age=2 * DAY),
        write(root, "supplementary/old.zip", age=2 * DAY),
    }
    fresh_orphan = write(root, "papers/fresh.pdf", age=60 * 60)
    other_app = write(root, "camera-ready/old.pdf", age=2 * DAY)

    first = sweep_orphan_files()
    second = sweep_orphan_files()

    assert (first, second) == (3, 0)
    assert files(root) == referenced | {fresh_orphan, other_app}
    assert not old_orphans & files(root)
