"""The main navigation: base.html names every link; each shows for its role.

The jury's link asks awards (awards.context_processors), the rest the roles
haet's context processor computes once. Links are grouped (issue 14 item 15): the
public ones, "My work" (when there is more than "My submissions"), "Chair" and the
account's menu, each a <details> whose <summary> is listed here like a link; the
current page carries aria-current (haet.templatetags.nav)."""

import re

import pytest
from django.urls import reverse

from awards.models import AwardSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALWAYS = ["Call for papers", "Accepted papers", "Awards"]
SIGNED_IN = ["My submissions"]
ACCOUNT = [  # under the email
    "Email and password",
    "Mail settings",
    "My data and account",
    "API tokens",
    "Log out",
]
CHAIR = [
    "Chair",
    "Overview",
    "Submissions",
    "Reviews",
    "Decisions",
    "Award judging",
    "Schedule",
    "Mail",
    "Outbox",
    "Audit log",
]


@pytest.fixture
def juror(conference):
    user = UserFactory(email="juror@jury.example", name="Judith Juror")
    AwardSettings.objects.first().jury.add(user)
    return user


def nav_labels(client, user=None) -> list[str]:
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("home")).text
    nav = page[page.index('<nav aria-label="Main">') : page.index("</nav>")]
    labels = re.findall(r"<(a|button|summary)[^>]*>([^<]+)</\1>", nav)
    labels = [label for _tag, label in labels]
    return [label for label in labels if "@" not in label]  # the account's email


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", [*ALWAYS, "Log in", "Sign up"]),
        ("outsider", [*ALWAYS, *SIGNED_IN, *ACCOUNT]),
        ("reviewer", [*ALWAYS, "My work", *SIGNED_IN, "Reviewing", *ACCOUNT]),
        ("juror", [*ALWAYS, "My work", *SIGNED_IN, "Jury", *ACCOUNT]),
        ("chair", [*ALWAYS, *SIGNED_IN, *CHAIR, *ACCOUNT]),
    ],
)
def test_each_role_sees_its_links(client, request, conference, persona, expected):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    assert nav_labels(client, user) == expected


def test_the_links_lead_to_their_pages(client, conference, chair, juror):
    client.force_login(chair)
    page = client.get(reverse("home")).text

    assert f'<a href="{reverse("schedule:edit")}">Schedule</a>' in page

    client.force_login(juror)
    page = client.get(reverse("home")).text

    assert f'<a href="{reverse("awards:jury")}">Jury</a>' in page


@pytest.mark.parametrize(
    ("url_name", "current", "in_section"),
    [
        ("home", "Call for papers", None),
        ("mail-preferences", "Mail settings", None),
        ("submissions:list", "My submissions", None),
        ("submissions:chair-list", "Submissions", None),  # not "My submissions" too
        ("decisions:release", None, "Decisions"),
        ("chair-home", "Overview", None),
    ],
)
def test_the_current_page_is_marked(client, chair, url_name, current, in_section):
    client.force_login(chair)
    page = client.get(reverse(url_name)).text
    nav = page[page.index('<nav aria-label="Main">') : page.index("</nav>")]

    marked = re.findall(r'aria-current="(page|true)">([^<]+)<', nav)
    expected = [("page", current)] if current else [("true", in_section)]
    assert marked == expected
