"""Demo tags and saved searches (issue 15) for `manage.py seed_haet2022`, from the
review stage on: what a chair of HAET 2022 would have set up to follow reviewing.
Written through the tagging services, so the demo obeys the same rules as a chair;
deterministic (no `rng` draws, so the other seeds' random names stay put)."""

from haet.models import Conference, User
from submissions import tagging
from submissions.models import Submission, Tag

# (name, colour, who sees it, the numbers it is put on by hand)
MANUAL_TAGS = [
    ("needs-4th-review", Tag.Colour.ORANGE, Tag.Visibility.REVIEWERS, (2, 5)),
    ("award-candidate", Tag.Colour.GREEN, Tag.Visibility.CHAIRS, (1, 4, 7)),
    ("read-again", Tag.Colour.PURPLE, Tag.Visibility.PRIVATE, (3,)),
]
# (name, query, shared, automatic tag and its colour)
SAVED_SEARCHES = [
    ("Short of reviews", "reviews:<3 AND status:submitted", True, "short-of-reviews"),
    ("Split reviewers", "spread:>=2", True, None),
]


def seed_tags(
    sender: object,
    *,
    conference: Conference,
    stage: str,
    accounts: dict[str, User],
    **_: object,
) -> None:
    """Receiver of haet.signals.seed_demo."""
    chair: User | None = accounts.get("chair")
    if stage == "cfp" or chair is None or Tag.objects.filter(conference=conference):
        return
    submissions = Submission.objects.filter(conference=conference).exclude(
        state=Submission.State.DRAFT
    )
    for name, colour, visibility, numbers in MANUAL_TAGS:
        tag = tagging.create_tag(
            conference, name=name, colour=colour, visibility=visibility, by=chair
        )
        tagging.tag_submissions(tag, submissions.filter(number__in=numbers), by=chair)
    for name, query, shared, auto in SAVED_SEARCHES:
        auto_tag = None
        if auto:
            auto_tag = tagging.create_tag(
                conference,
                name=auto,
                colour=Tag.Colour.RED,
                visibility=Tag.Visibility.CHAIRS,
                by=chair,
            )
        tagging.save_search(
            conference,
            name=name,
            query=query,
            shared=shared,
            auto_tag=auto_tag,
            by=chair,
        )
