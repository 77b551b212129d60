"""The chairs' settings area: chairs edit, others see nothing."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from haet.models import Conference, DateChange, ImportantDate, Topic

pytestmark = pytest.mark.django_db

CHAIR_PAGES = [
    ("chair-home", {}),
    ("chair-conference", {}),
    ("chair-dates", {}),
    ("chair-date-new", {}),
    ("chair-topics", {}),
    ("chair-awards", {}),
    ("chair-people", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), CHAIR_PAGES)
def test_anonymous_gets_the_login_page(client, conference, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "kwargs"), CHAIR_PAGES)
@pytest.mark.parametrize("persona", ["author", "reviewer", "outsider"])
def test_signed_in_non_chair_gets_404(
    client, conference, request, persona, name, kwargs
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    assert client.post(reverse(name, kwargs=kwargs), {}).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), CHAIR_PAGES)
def test_chair_sees_every_page(client, conference, chair, name, kwargs):
    client.force_login(chair)

    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_chair_edits_the_conference(client, conference, chair):
    client.force_login(chair)
    form = client.get(reverse("chair-conference")).context["form"]
    data = {
        k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields
    }
    data.update(name="Hardware Aware Efficient Training, edited", page_limit=5)

    response = client.post(reverse("chair-conference"), data)

    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.name == "Hardware Aware Efficient Training, edited"
    assert conference.page_limit == 5
    assert "edited" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Europe"])
def test_a_bad_time_zone_keeps_what_was_typed(client, conference, chair, zone):
    client.force_login(chair)
    form = client.get(reverse("chair-conference")).context["form"]
    data = {
        k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields
    }
    data.update(time_zone=zone, tagline="Typed tagline")

    response = client.post(reverse("chair-conference"), data)

    assert response.status_code == 200
    assert "is not a time zone" in response.content.decode()
    assert 'value="Typed tagline"' in response.content.decode()
    assert Conference.objects.current().time_zone == "UTC-11"


def test_extending_the_deadline_keeps_its_history(client, conference, chair):
    client.force_login(chair)
    deadline = conference.dates.get(kind=ImportantDate.Kind.SUBMISSION_DEADLINE)

    response = client.post(
        reverse("chair-date-edit", args=[deadline.pk]),
        {
            "kind": "submission",
            "label": "Paper submission deadline",
            "is_public": "on",
            "order": 0,
            "day": "2022-06-03",
            "clock": "23:59",
        },
    )

    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.at == datetime(2022, 6, 4, 10, 59, tzinfo=UTC)
    history = list(
        DateChange.objects.filter(date=deadline).values_list("old_at", "changed_by")
    )
    assert history == [
        (datetime(2022, 5, 21, 10, 59, tzinfo=UTC), None),
        (datetime(2022, 5, 28, 10, 59, tzinfo=UTC), chair.pk),
    ]
    html = client.get(reverse("home")).content.decode()
    line = re.search(r'<li id="date-submission">(.*?)</li>', html, re.S).group(1)
    assert "<s>20 May 2022</s> <s>27 May 2022</s>" in line
    assert "3 June 2022" in line


def test_chair_adds_an_internal_date(client, conference, chair):
    client.force_login(chair)

    client.post(
        reverse("chair-date-new"),
        {
            "kind": "other",
            "label": "Poster upload",
            "order": 9,
            "day": "2022-07-15",
            "clock": "",
        },
    )

    date = ImportantDate.objects.get(label="Poster upload")
    assert (date.has_time, date.is_public) == (False, False)
    html = client.get(reverse("home")).content.decode()
    dates_section = re.search(r'<section id="dates">(.*?)</section>', html, re.S).group(
        1
    )
    assert "Poster upload" not in dates_section


def test_a_second_date_of_the_same_kind_is_refused(client, conference, chair):
    client.force_login(chair)

    response = client.post(
        reverse("chair-date-new"),
        {"kind": "submission", "label": "Again", "order": 1, "day": "2022-07-15"},
    )

    assert response.status_code == 200
    assert "already has a date of this kind" in response.content.decode()


def test_chair_edits_topics(client, conference, chair):
    client.force_login(chair)
    formset = client.get(reverse("chair-topics")).context["formset"]
    data = {f"topics-{k}": v for k, v in formset.management_form.initial.items()}
    data["topics-TOTAL_FORMS"] = len(formset.forms)
    for i in range(len(formset.forms)):
        data[f"topics-{i}-order"] = 0
    for i, form in enumerate(formset.forms):
        if form.instance.pk:
            data[f"topics-{i}-id"] = form.instance.pk
            data[f"topics-{i}-name"] = form.instance.name
            data[f"topics-{i}-order"] = form.instance.order
    data["topics-0-DELETE"] = "on"
    data[f"topics-{len(formset.forms) - 1}-name"] = "Spiking networks"
    data[f"topics-{len(formset.forms) - 1}-order"] = 20

    response = client.post(reverse("chair-topics"), data)

    assert response.status_code == 302, [
        e for e in response.context["formset"].errors if e
    ]
    names = list(Topic.objects.values_list("name", flat=True))
    assert len(names) == 9
    assert names[-1] == "Spiking networks"
    assert "Spiking networks" in client.get(reverse("home")).content.decode()


def test_chair_gives_the_reviewer_role(client, conference, chair, outsider):
    client.force_login(chair)

    client.post(
        reverse("chair-people"),
        {"email": outsider.email, "role": "reviewer", "granted": "1"},
    )

    assert outsider.groups.filter(name="reviewers").exists()
    response = client.post(
        reverse("chair-people"),
        {"email": "nobody@x.org", "role": "chair", "granted": "1"},
    )
    assert "Nobody has an account" in response.content.decode()
