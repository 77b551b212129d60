"""The area chair's mail about a new post in the discussion of a submission they
oversee (the reviewers' mail is `reviews.reviewing.notify_reviewers`), and the
one "new review / new post" mail both queue (`queue_posted_mail`).

Same template, preference and blindness as the reviewers' mail: the submission by
number and title, the poster as on the area chair's page ("Reviewer 2", "Chair",
"Area chair"), never an author or a reviewer's name. Queued in the caller's
transaction under a dedupe key: once per post.
"""

from django.urls import reverse

from haet.models import User
from haet.outbox.models import OutboxMail
from haet.outbox.preferences import DISCUSSION_POSTED
from haet.outbox.services import queue_mail
from reviews.models import DiscussionPost
from reviews.rules import area_chair_id_of, is_active_area_chair
from submissions.models import Submission


def notify_area_chair(
    submission: Submission, *, post: DiscussionPost, by_label: str
) -> bool:
    """Queue a "discussion_posted" mail to the submission's area chair unless they
    wrote the post, review it too (they got the reviewers' mail), may not read the
    discussion now (`is_active_area_chair`: in the role, unconflicted, submission
    live) or turned the mail off. Posters by pseudonym, as on their page."""
    area_chair_id = area_chair_id_of(submission)
    if area_chair_id is None or area_chair_id == post.author_id:
        return False
    area_chair = User.objects.filter(pk=area_chair_id, is_active=True).first()
    if (
        area_chair is None
        or not is_active_area_chair(area_chair, submission)
        or submission.assignments.filter(reviewer_id=area_chair_id).exists()
    ):
        return False
    url = reverse("reviews:area-chair-submission", args=[submission.number])
    mail = queue_posted_mail(
        area_chair,
        submission,
        about=DISCUSSION_POSTED,
        greeting=area_chair.display_name,
        by_label=by_label,
        url=f"{url}#discussion",
        dedupe_key=f"{DISCUSSION_POSTED}:{post.pk}:area-chair:{area_chair_id}",
    )
    return mail is not None


def queue_posted_mail(
    to: User,
    submission: Submission,
    *,
    about: str,
    greeting: str,
    by_label: str,
    url: str,
    dedupe_key: str,
) -> OutboxMail | None:
    """A "review_posted"/"discussion_posted" mail: not essential, under the
    preference of the same name, hidden from chairs conflicted with the
    submission. ``greeting``: how the mail addresses them (a pseudonym)."""
    return queue_mail(
        to=to,
        template=about,
        context={
            "number": submission.number,
            "title": submission.title,
            "pseudonym": greeting,
            "by_label": by_label,
            "url": url,
            "preference": about,
            "conference": submission.conference,
        },
        dedupe_key=dedupe_key,
        essential=False,
        preference=about,
        submissions=[submission],
    )
