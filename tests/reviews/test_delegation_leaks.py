"""The delegate is bound by the same blind rules as a reviewer: nothing they open,
download or receive names the authors (the leaky PDF of tests/reviews/test_leaks.py,
through the real upload), nor the reviewer they write for; and the emergency
reviewer's mail names no author either."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from haet.outbox.models import OutboxMail
from reviews.delegation import (
    accept_delegation,
    comment_on_delegation,
    propose_delegation,
    save_delegated_draft,
)
from reviews.emergency import invite_emergency_reviewer
from reviews.models import ReviewSettings
from tests.factories import UserFactory
from tests.reviews.conftest import answers
from tests.reviews.test_leaks import (  # noqa: F401  (fixtures)
    found,
    leaky_pdf,
    pdf_texts,
    uploaded,
)

pytestmark = pytest.mark.django_db

DELEGATE_EMAIL = "dora@student-lab.example.net"


@pytest.fixture
def delegate(world, uploaded):  # noqa: F811
    ReviewSettings.objects.filter(conference=world.conference).update(
        delegation_needs_approval=False
    )
    delegation = propose_delegation(
        world.assignment, name="Dora Student", email=DELEGATE_EMAIL, by=world.reviewer
    )
    person = UserFactory(email=DELEGATE_EMAIL, name="Dora Student")
    accept_delegation(delegation, user=person)
    save_delegated_draft(delegation, answers(), by=person)
    comment_on_delegation(delegation, "Looks good, thanks.", by=world.reviewer)
    return person


def test_the_delegates_pages_and_download_name_nobody(
    client,
    world,
    delegate,
    tmp_path,
):
    client.force_login(delegate)

    page = client.get(reverse("reviews:delegated", args=[1])).text
    response = client.get(reverse("reviews:delegated-paper", args=[1]))
    data = b"".join(response.streaming_content)

    assert "Reviewer 1" in page
    assert (found(page), world.reviewer.name in page) == ([], False)
    assert data.startswith(b"%PDF")
    assert found(data) == []
    assert [t for t in pdf_texts(data, tmp_path) if found(t)] == []
    assert response["Content-Disposition"] == 'attachment; filename="HAET2022-1.pdf"'


def test_no_mail_of_delegation_or_emergency_names_the_authors(world, delegate):
    invite_emergency_reviewer(
        world.submission,
        world.unassigned_reviewer,
        due_at=datetime(2022, 6, 15, 23, 59, tzinfo=UTC),
        by=world.chair,
    )
    mails = OutboxMail.objects.filter(
        template__in=["delegation_invitation", "emergency_invitation"]
    )

    assert sorted(m.template for m in mails) == [
        "delegation_invitation",
        "emergency_invitation",
    ]
    for mail in mails:
        text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html}"
        assert found(text) == [], mail.subject
        assert world.reviewer.name not in text  # the delegate never learns who
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", mail.subject)
