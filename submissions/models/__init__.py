"""Submissions: what authors send before the deadline, and the files they upload.

A `Submission` has a public paper number (#12, HAET2022-12.pdf), an ordered list of
`Author`s, and every accepted upload as a `SubmissionVersion` (the latest is
`Submission.current_version`; reviewers get its reviewer copy). Files live in private
storage under random names and leave only through permission-checked views.
State changes go through the service modules (`submissions.submitting`, ...);
reads are QuerySet methods here.

One module per concept; every model (and the storage helpers the migrations name)
is importable from `submissions.models`.
"""

from submissions.models.conflicts import DeclaredConflict
from submissions.models.extensions import DeadlineExtension, GrantedExtension
from submissions.models.fields import FieldAnswer, SubmissionField
from submissions.models.files import SubmissionVersion, SupplementaryFile
from submissions.models.receipts import Receipt
from submissions.models.storage import (
    MB,
    PrivateStorage,
    original_path,
    private_storage,
    random_name,
    reviewer_copy_path,
    supplementary_path,
)
from submissions.models.submission import (
    Author,
    Submission,
    SubmissionQuerySet,
    SubmissionSettings,
    SubmissionSettingsQuerySet,
)
from submissions.models.tags import SavedSearch, SubmissionTag, Tag

__all__ = [
    "MB",
    "Author",
    "DeadlineExtension",
    "DeclaredConflict",
    "FieldAnswer",
    "GrantedExtension",
    "PrivateStorage",
    "Receipt",
    "SavedSearch",
    "Submission",
    "SubmissionField",
    "SubmissionQuerySet",
    "SubmissionSettings",
    "SubmissionSettingsQuerySet",
    "SubmissionTag",
    "SubmissionVersion",
    "SupplementaryFile",
    "Tag",
    "original_path",
    "private_storage",
    "random_name",
    "reviewer_copy_path",
    "supplementary_path",
]
