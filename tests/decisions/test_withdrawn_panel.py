"""Issue #14 item 14 (part): a withdrawn submission's page does not promise a
decision mail."""

import pytest
from django.urls import reverse

from submissions.models import Submission

pytestmark = pytest.mark.django_db

PROMISE = "you will get an email when it is"
WITHDRAWN = "This submission is withdrawn: it gets no decision and no decision email."


def test_a_submitted_submission_promises_the_decision_mail(world, client):
    client.force_login(world.author)

    page = client.get(reverse("submissions:detail", args=[1])).content.decode()

    assert PROMISE in page
    assert WITHDRAWN not in page


def test_a_withdrawn_submission_does_not(world, client):
    Submission.objects.filter(pk=world.submission.pk).update(
        state=Submission.State.WITHDRAWN
    )
    client.force_login(world.author)

    page = client.get(reverse("submissions:detail", args=[1])).content.decode()

    assert PROMISE not in page
    assert WITHDRAWN in page
