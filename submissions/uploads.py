"""Uploads as they stream in: the size limit and the moment a request started.

`SizeLimitedUploadHandler` is first in settings.FILE_UPLOAD_HANDLERS, so it sees
every chunk of every file before Django's memory/temporary-file handlers do. It
works wherever the body is parsed, including haet.middleware.RequestInputMiddleware,
which reads request.POST before any view:

- It stamps `request.upload_started_at` before the first byte of the body is read:
  the moment that counts against the deadline (submissions.deadlines.counted_at),
  so a slow connection is not punished.
- A file over its limit is refused as soon as its bytes pass the limit: the handler
  raises SkipFile, so the handlers after it never store the rest (no spooling of a
  500 MB file to disk). The parser reads and discards the rest of that file only
  to reach the fields after it, so the form comes back with what was typed. The
  refusal is recorded in `request.refused_uploads` for the form to show.

Limits come from the view that will receive the form: a view class with an
`upload_limits(request) -> {field name: bytes}` class method (the submission form's
limits are chair-edited data, SubmissionSettings). Any other file, on any URL, is
capped at settings.HAET_UPLOAD_MAX_BYTES.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.urls import Resolver404, resolve

from haet import clock


@dataclass(frozen=True)
class RefusedUpload:
    """A file the handler refused while it streamed."""

    file_name: str
    limit: int  # bytes
    received_bytes: int  # what the handler saw before it stopped (limit + a chunk)


def upload_limits(request) -> dict[str, int]:
    """{field name: bytes} stated by the view that the request's URL leads to."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return {}
    view_class = getattr(match.func, "view_class", None)
    limits = getattr(view_class, "upload_limits", None)
    return limits(request) if limits is not None else {}


class SizeLimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limits: dict[str, int] | None = None  # looked up at the first file
        self.limit = settings.HAET_UPLOAD_MAX_BYTES
        self.received = 0

    def handle_raw_input(
        self, input_data, META, content_length, boundary, encoding=None
    ):
        # Called before the body is read: what follows is the transfer.
        if self.request is not None:
            # Read by submissions.deadlines and the forms (see the docstring).
            self.request.upload_started_at = clock.now()  # type: ignore[attr-defined]
            self.request.refused_uploads = {}  # type: ignore[attr-defined]
        # None: the parser goes on and feeds us the body.

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.limits is None:
            self.limits = upload_limits(self.request) if self.request else {}
        self.limit = min(
            self.limits.get(field_name, settings.HAET_UPLOAD_MAX_BYTES),
            settings.HAET_UPLOAD_MAX_BYTES,
        )
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                refused = self.request.refused_uploads  # type: ignore[attr-defined]
                refused[self.field_name] = RefusedUpload(
                    file_name=self.file_name or "",
                    limit=self.limit,
                    received_bytes=self.received,
                )
            # The parser closes the other handlers' partial file and skips the
            # rest of this one; the next handlers never see this chunk.
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the memory or temporary-file handler after us builds the file
