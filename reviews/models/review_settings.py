"""The review policy of a conference, as data chairs edit, and mail-domain parsing."""

from django.db import models

from haet.models import BaseModel, Conference

# Webmail providers, and the documentation domains of RFC 2606 (test and demo
# accounts share them without sharing an institution).
PUBLIC_MAIL_DOMAINS = """\
gmail.com
googlemail.com
outlook.com
hotmail.com
live.com
msn.com
yahoo.com
ymail.com
aol.com
icloud.com
me.com
mac.com
proton.me
protonmail.com
pm.me
gmx.de
gmx.net
web.de
mail.ru
yandex.ru
yandex.com
qq.com
163.com
126.com
sina.com
foxmail.com
naver.com
zoho.com
fastmail.com
mail.com
example.com
example.org
example.net
"""


def parse_domains(text: str) -> set[str]:
    """Domains from a text list (one a line, or separated by commas/spaces); an
    address "x@uni.edu" counts as its domain, "@uni.edu" as "uni.edu"."""
    found = set()
    for item in text.replace(",", " ").split():
        item = item.strip().lower().rpartition("@")[2].strip(".")
        if item and "." in item:
            found.add(item)
    return found


# --- settings ----------------------------------------------------------------------
class ReviewSettingsQuerySet(models.QuerySet["ReviewSettings"]):
    def for_conference(self, conference: Conference) -> "ReviewSettings":
        found, _ = self.get_or_create(conference=conference)
        return found


class ReviewSettings(BaseModel):
    """The review policy of a conference, as data chairs edit (pretalx ReviewPhase)."""

    class OtherReviews(models.TextChoices):
        NEVER = "never", "Never"
        AFTER_OWN = "after_own", "After submitting their own review"
        ALWAYS = "always", "Always"

    conference = models.OneToOneField(
        Conference, on_delete=models.CASCADE, related_name="review_settings"
    )
    reviewers_per_submission = models.PositiveSmallIntegerField(
        default=3, help_text="k: how many reviewers each submission gets."
    )
    default_max_load = models.PositiveSmallIntegerField(
        default=6,
        help_text="Most submissions per reviewer, unless their profile says fewer.",
    )
    weight_bid = models.FloatField(
        default=1.0, help_text="Weight of the reviewer's bid in the affinity."
    )
    weight_topic = models.FloatField(
        default=0.5, help_text="Weight of the topic overlap (0 to 1)."
    )
    weight_text = models.FloatField(
        default=1.0,
        help_text="Weight of the text similarity of the submission and the "
        "reviewer's own papers (0 to 1).",
    )
    reviewers_see_other_reviews = models.CharField(
        max_length=12, choices=OtherReviews.choices, default=OtherReviews.AFTER_OWN
    )
    reviewers_see_reviewer_names = models.BooleanField(
        default=False,
        help_text="Off: reviewers see each other as “Reviewer 1, 2, 3”.",
    )
    authors_see_reviews = models.BooleanField(
        default=False, help_text="Authors can read the reviews of their submission."
    )
    is_discussion_open = models.BooleanField(
        default=False, help_text="Assigned reviewers can post in the discussion."
    )
    delegation_needs_approval = models.BooleanField(
        default=True,
        help_text="A reviewer's delegate is invited only once a chair approves.",
    )
    public_mail_domains = models.TextField(
        default=PUBLIC_MAIL_DOMAINS,
        help_text="Webmail domains, one a line: sharing one is not a conflict.",
    )

    objects = ReviewSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "review settings"

    def __str__(self) -> str:
        return f"Review settings of {self.conference}"

    @property
    def public_domains(self) -> set[str]:
        return parse_domains(self.public_mail_domains)
