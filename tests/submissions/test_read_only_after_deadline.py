"""Issue #14 item 13: after the deadline the submission form is shown read-only
with the reason, instead of staying editable until Submit is refused."""

import re

import pytest
from django.urls import reverse

from submissions.models import DeadlineExtension, Submission
from tests.submissions.conftest import BEFORE_DEADLINE
from tests.submissions.test_views import form_data

pytestmark = pytest.mark.django_db

AFTER_DEADLINE = "2022-05-28T11:00:00Z"  # 27 May, 11:59 pm UTC-11 has passed
REASON = "This form is read-only: the deadline"
CONTROL = re.compile(r"<(input|textarea|select)\b[^>]*>")


def controls(page: str) -> list[str]:
    return [m.group(0) for m in CONTROL.finditer(page)]


def changeable(page: str) -> list[str]:
    return [
        tag
        for tag in controls(page)
        if 'type="hidden"' not in tag and " disabled" not in tag
    ]


@pytest.fixture
def draft(author, coauthor, make_submission, frozen):
    frozen(BEFORE_DEADLINE)
    return make_submission(author, authors=[coauthor], state="draft")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("author", 200),
        ("coauthor", 200),
        ("other_author", 404),
        ("reviewer", 404),
        ("chair", 404),
    ],
)
def test_edit_page_after_the_deadline_per_role(
    client, request, draft, other_author, frozen, persona, status
):
    frozen(AFTER_DEADLINE)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("submissions:edit", args=[draft.number]))

    assert response.status_code == status
    if status != 200:
        return
    page = response.content.decode()
    assert REASON in page
    assert "27 May 2022, 11:59 pm UTC-11" in page
    assert changeable(page) == []
    assert len(controls(page)) > 10  # the saved values are still shown
    assert 'value="Sparse Training at Scale"' in page
    assert 'name="action"' not in page  # neither Save nor Submit
    assert "An upload counts from the moment you send it" not in page  # no advice
    assert f'href="{reverse("submissions:detail", args=[draft.number])}"' in page


def test_edit_page_before_the_deadline_is_editable(client, draft, author, frozen):
    frozen(BEFORE_DEADLINE)
    client.force_login(author)

    page = client.get(reverse("submissions:edit", args=[1])).content.decode()

    assert REASON not in page
    assert "An upload counts from the moment you send it" in page
    assert 'name="title"' in " ".join(changeable(page))
    assert 'value="submit"' in page


def test_an_extension_keeps_the_form_editable(client, draft, author, chair, frozen):
    DeadlineExtension.objects.create(
        submission=draft,
        until="2022-05-31T11:00:00Z",
        reason="Hospital",
        granted_by=chair,
        granted_at="2022-05-27T12:00:00Z",
    )
    frozen(AFTER_DEADLINE)
    client.force_login(author)

    page = client.get(reverse("submissions:edit", args=[1])).content.decode()

    assert REASON not in page
    assert 'value="submit"' in page


def test_new_submission_after_the_deadline_is_read_only(
    client, conference, author, frozen
):
    frozen(AFTER_DEADLINE)
    client.force_login(author)

    page = client.get(reverse("submissions:new")).content.decode()

    assert REASON in page
    assert changeable(page) == []
    assert 'name="action"' not in page


def test_a_refused_post_shows_the_saved_values_read_only(
    client, conference, draft, author, frozen
):
    frozen(AFTER_DEADLINE)
    client.force_login(author)

    response = client.post(
        reverse("submissions:edit", args=[1]),
        form_data(conference, author, title="Typed too late"),
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "Nothing was changed." in page
    assert REASON in page
    assert changeable(page) == []
    assert 'value="Sparse Training at Scale"' in page
    assert Submission.objects.get().title == "Sparse Training at Scale"
