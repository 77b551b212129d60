"""Demo campaigns for `manage.py seed_haet2022`: from the review stage on, the
chairs' reminder to reviewers with a review missing; after the workshop, poster
instructions to the authors of accepted posters. Their mails are held in the
outbox (demo data: nothing is sent until a chair releases them). Idempotent: each
has a fixed form token."""

import uuid

from campaigns.composing import Draft, prepare
from campaigns.sending import queue_campaign

DEMO = uuid.UUID("6b1f3c1e-2f0a-4a55-9a43-0c6f1d2e7a10")
CAMPAIGNS = {
    "review": Draft(
        recipients="missing-reviews",
        search="status:submitted",
        subject="[{{ conference }}] Your reviews are due {{ review_deadline }}",
        body="Dear {{ recipient.name }},\n\n"
        "Thank you for reviewing for {{ conference }}. These reviews are still "
        "missing:\n\n{{ submissions }}\n\n"
        "Please submit them by {{ review_deadline }}: {{ site_url }}/reviews/\n\n"
        "The {{ conference }} chairs",
        is_essential=True,
        is_held=True,
    ),
    "over": Draft(
        recipients="authors",
        search="decision:poster",
        subject="[{{ conference }}] Poster instructions for #{{ submission.number }}",
        body="Dear {{ recipient.name }},\n\n"
        "Your poster for “{{ submission.title }}” (#{{ submission.number }}) "
        "hangs on a board of 36 by 48 inches (portrait). Please bring it printed; "
        "boards open at 8:30.\n\n"
        "The {{ conference }} chairs",
        is_held=True,
    ),
}


def seed_campaigns(sender, *, conference, stage, accounts, **_):
    """Receiver of haet.signals.seed_demo."""
    chair = accounts.get("chair")
    stages = {"review": ["review"], "decision": ["review"], "over": ["review", "over"]}
    if chair is None:
        return
    for name in stages.get(stage, []):
        draft = CAMPAIGNS[name]
        prepared = prepare(draft, by=chair, conference=conference)
        if not prepared.recipients:
            continue
        queue_campaign(
            draft,
            token=uuid.uuid5(DEMO, name),
            fingerprint=prepared.fingerprint,
            conference=conference,
            by=chair,
        )
