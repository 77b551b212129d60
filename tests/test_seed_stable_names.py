"""Issue 14.18: the demo's people keep their names at every stage; no two share one."""

from io import StringIO

import pytest
from django.core.management import call_command

from haet.models import User
from haet.seed import DEMO_ACCOUNTS
from reviews.seed import reviewer_name

pytestmark = pytest.mark.django_db

EXPECTED = {f"reviewer{n}@haet.example": reviewer_name(n) for n in range(1, 13)}
EXPECTED |= {email: name for _, email, name, _ in DEMO_ACCOUNTS}


@pytest.mark.parametrize("stage", ["cfp", "review", "decision"])
def test_every_stage_gives_each_demo_account_the_same_unique_name(stage):
    call_command(
        "seed_haet2022", stage=stage, papers=6, reviewers=12, stdout=StringIO()
    )
    names = dict(User.objects.filter(email__in=EXPECTED).values_list("email", "name"))
    assert names == EXPECTED
    reviewers = [v for k, v in names.items() if k.startswith("reviewer")]
    assert len(set(reviewers)) == len(reviewers) == 13


def test_reviewer_names_are_unique_for_a_large_committee():
    names = [reviewer_name(n) for n in range(1, 81)]
    assert len(set(names)) == 80
