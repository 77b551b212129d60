"""The audit log: one append-only chain of entries, each carrying the hash of the
one before it (haet.audit.chain), so an edited or removed entry shows."""

from django.conf import settings
from django.db import models


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def about_submission(self, submission_id: int) -> "AuditEntryQuerySet":
        """Entries about one submission: its own rows, and the mails linked to it
        (a mail is linked to its submissions only after it is written)."""
        from haet.outbox.models import OutboxMailSubmission

        mails = OutboxMailSubmission.objects.filter(submission_id=submission_id).values(
            "mail_id"
        )
        # An imported mail entry's object_id is a mail of the old deployment: its
        # submission_id says which submission it is about instead.
        return self.filter(
            models.Q(submission_id=submission_id)
            | models.Q(
                object_type=MAIL_TYPE, object_id__in=mails, imported__isnull=True
            )
        )

    def readable_by(self, user_id: int | None) -> "AuditEntryQuerySet":
        """Without the entries about another user's private objects (a chair's
        private tag, what it was put on, a private saved search)."""
        return self.filter(
            models.Q(private_to__isnull=True) | models.Q(private_to=user_id)
        )

    def without_submissions(self, hidden: set[int]) -> "AuditEntryQuerySet":
        """Nothing about the `hidden` submissions: neither their rows nor the mails
        linked to them, nor, for a reader with any, the values that rank other
        objects among them (haet.audit.registry `relative`)."""
        from haet.audit.registry import relative_fields
        from haet.outbox.models import OutboxMailSubmission

        found = self
        if hidden:
            # A value ranking an object among others (a juror's "rank 2" on
            # another paper) could tell the reader where their own paper came.
            for kind, names in relative_fields().items():
                holds = models.Q()
                for name in sorted(names):
                    holds |= models.Q(before__has_key=name) | models.Q(
                        after__has_key=name
                    )
                found = found.exclude(models.Q(object_type=kind) & holds)
        hidden = {*hidden, UNKNOWN_SUBMISSION}
        mails = OutboxMailSubmission.objects.filter(submission_id__in=hidden).values(
            "mail_id"
        )
        return found.exclude(submission_id__in=hidden).exclude(
            object_type=MAIL_TYPE, object_id__in=mails, imported__isnull=True
        )


MAIL_TYPE = "outbox.outboxmail"
# The reader of an entry about a private object whose owner could not be read: no
# user has this id, so no chair sees the entry.
NOBODY = 0
# The submission of an entry whose submission could not be read (a cascade removed
# the row in between): no submission has this id, and no chair sees the entry.
UNKNOWN_SUBMISSION = 0


class AuditEntry(models.Model):
    # The chain's order: 1, 2, 3… with no gap, given when the entry is sealed after
    # its transaction commits (NULL until then: haet.audit.chain); unique, so two
    # sealers that somehow read the same head fail instead of forking the chain.
    seq = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    # No database constraint and nothing on delete: an entry never changes, even
    # when its actor's account is removed (the hash covers actor_id).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100)  # app_label.model
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    submission_id = models.PositiveBigIntegerField(null=True, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()  # the conference clock (haet.clock.now)
    wall_at = models.DateTimeField()  # the real time
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)  # "" until sealed
    # An entry carried over by `import_conference` (issue 18): the ids its hash
    # covers, as written in the deployment it came from ({"actor_id",
    # "submission_id"}), while `actor` and `submission_id` above point at the rows
    # of this deployment (found by email and number), so the pages, filters and
    # timelines work unchanged. NULL for entries written here. See chain.canonical.
    imported = models.JSONField(null=True, blank=True)
    # The one user who may read this entry, when it is about their private object
    # (haet.audit.registry's `private_to`); NULL: every chair. Not covered by the
    # hash: it says who reads the entry, not what happened, and leaving it out keeps
    # the entries written before it verifiable.
    private_to = models.PositiveBigIntegerField(null=True, blank=True)
    # The canonical form the hash was computed over (haet.audit.chain): 1 for the
    # entries written before values could be redacted, 2 since.
    hash_version = models.PositiveSmallIntegerField(default=2)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]  # the order of writing; `seq` is the order of sealing
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["submission_id", "id"], name="audit_submission"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "id"], name="audit_actor"),
            models.Index(fields=["wall_at"], name="audit_wall_at"),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.action} {self.object_type}:{self.object_id}"

    @property
    def is_pending(self) -> bool:
        """Written, but not yet sealed in the chain (haet.audit.chain): no place in
        it and no hash yet, so nothing vouches for it until it is sealed."""
        return self.seq is None

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field named in either side."""
        names = list(dict.fromkeys([*self.before, *self.after]))
        return [(n, self.before.get(n), self.after.get(n)) for n in names]
