import pytest

from decisions.deciding import decide
from decisions.models import Outcome
from haet import audit
from haet.outbox.services import queue_rendered
from tests.decisions.conftest import PERSONAS, world  # noqa: F401 - fixtures
from tests.factories import ReviewFactory
from tests.reviews.conftest import _eager_celery, login  # noqa: F401 - fixtures

__all__ = ["PERSONAS"]

HIDDEN_TITLE = "Sparse training of transformers on FPGAs"  # #1


@pytest.fixture
def history(world, chair):  # noqa: F811 - the fixture
    """#1 (hidden from the conflicted chair) is reviewed, accepted and mailed about;
    #2 is rejected."""
    with audit.acting(world.reviewer, request_id="review-request"):
        ReviewFactory(assignment=world.assignment, score=3, comments="Strong.")
    # As the chair's request would be.
    with audit.acting(chair, request_id="decide-request"):
        decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
        decide(world.other_submission, Outcome.REJECT, by=chair)
    queue_rendered(
        to=world.author,
        template="test_note",
        subject=f"A note about {HIDDEN_TITLE}",
        body_text="Hello",
        body_html="<p>Hello</p>",
        dedupe_key="audit-test:1",
        submissions=[world.submission],
    )
    return world
