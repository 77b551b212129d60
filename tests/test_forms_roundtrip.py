"""Saving a chair's form unchanged changes nothing (issue 14, item 1).

A date input that cannot show its stored value (a localised "30/06/2022" in an
<input type=date>) renders empty, and saving the form unchanged then clears the
date: the award settings lost their prize entry deadline that way. Here the chair
opens every settings page of the seeded conference, submits each of its forms with
exactly the values the page rendered (read as a browser reads them), and the project's
database rows must be the same afterwards (`updated_at` stamps aside), with no mail
queued and no history row written.
"""

import os
import re
from html import unescape
from pathlib import Path

import lxml.html
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from awards.models import AwardSettings
from haet.models import ImportantDate, User
from haet.seed import STAGE_NOW
from schedule.models import Item, Session
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _all(model, key):
    return lambda: [{key: value} for value in model.objects.values_list(key, flat=True)]


# Every chair page with a settings form: (url name, its arguments, which forms to
# send). None: the page's own forms (posting back to the page).
SETTINGS_PAGES = [
    ("chair-conference", lambda: [{}], None),
    ("chair-date-edit", _all(ImportantDate, "pk"), None),
    ("chair-topics", lambda: [{}], None),
    ("awards:chair-edit", _all(AwardSettings, "slug"), None),
    ("submissions:chair-settings", lambda: [{}], None),
    ("reviews:settings", lambda: [{}], None),
    ("decisions:templates", lambda: [{}], None),
    ("outbox:reminders", lambda: [{}], None),
    ("schedule:edit", lambda: [{}], "/schedule/chair/settings/"),
    ("schedule:session-edit", _all(Session, "pk"), None),
    ("schedule:item-edit", _all(Item, "code"), None),
    ("mail-preferences", lambda: [{}], None),
]


def project_models():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and ".venv" not in path.parts:
            yield from config.get_models()


def dump() -> dict[str, list[tuple]]:
    """Every row of the project's own tables, but the `auto_now` stamps."""
    rows = {}
    for model in project_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not getattr(f, "auto_now", False)
        ]
        rows[model._meta.label] = list(
            model.objects.order_by("pk").values_list(*fields)
        )
    return rows


def browser_values(form) -> list[tuple[str, str]]:
    """What a browser sends for a form submitted by its (only) Save button: every
    named, enabled control; an input without a value attribute sends ""."""
    values = []
    for element in form.inputs:
        name = element.get("name")
        if not name or "disabled" in element.attrib:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "image", "reset", "button", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if element.checked:
                    values.append((name, element.get("value", "on")))
                continue
            values.append((name, element.get("value") or ""))
        elif element.tag == "select":
            chosen = element.value
            if element.multiple:
                values.extend((name, v) for v in chosen)
            elif chosen is not None:
                values.append((name, chosen))
        elif element.tag == "textarea":
            # HTML drops the newline right after <textarea> (Django writes one).
            text = element.value or ""
            values.append((name, text[1:] if text.startswith("\n") else text))
    return values


def forms_to_send(page_url: str, html: str, action: str | None):
    document = lxml.html.fromstring(html)
    for form in document.forms:
        if (form.get("method") or "get").lower() != "post":
            continue
        target = form.get("action") or page_url
        if target != (action or page_url):
            continue
        yield target, form


@pytest.fixture
def seeded(frozen):
    frozen(STAGE_NOW["over"])
    call_command(
        "seed_haet2022",
        submissions=6,
        reviewers=5,
        stage="over",
        reviews=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    client = Client()
    client.force_login(User.objects.get(email="chair@haet.example"))
    return client


def test_every_chair_form_saved_unchanged_changes_nothing(seeded):
    client = seeded
    # The seed has what the defects lost: a prize entry deadline, timed dates.
    assert AwardSettings.objects.exclude(entry_deadline=None).exists()
    assert ImportantDate.objects.filter(has_time=True).exists()
    sent = []
    for name, arguments, action in SETTINGS_PAGES:
        every = arguments()
        assert every, f"the seed has nothing to fill {name} with"
        for kwargs in every:
            url = reverse(name, kwargs=kwargs)
            page = client.get(url)
            assert page.status_code == 200, url
            html = page.content.decode()
            forms = list(forms_to_send(url, html, action))
            assert forms, f"{url}: no settings form"
            for target, form in forms:
                values = browser_values(form)
                for element in form.xpath(".//input[@type='date']"):
                    # A browser date input shows only an ISO value.
                    value = element.get("value") or ""
                    assert value == "" or re.fullmatch(r"\d{4}-\d\d-\d\d", value), (
                        f"{url}: {element.get('name')}={value!r}"
                    )
                before = dump()
                data: dict[str, list[str]] = {}
                for key, value in values:
                    data.setdefault(key, []).append(value)
                response = client.post(target, data)
                assert response.status_code == 302, (
                    f"{url}: saving unchanged was refused: "
                    f"{_errors(response.content.decode())}"
                )
                after = dump()
                changed = {
                    label: {
                        "gone": [r for r in before[label] if r not in after[label]],
                        "new": [r for r in after[label] if r not in before[label]],
                    }
                    for label in before
                    if before[label] != after[label]
                }
                assert not changed, f"{url}: saving unchanged changed {changed}"
                sent.append(url)
    assert len(sent) >= len(SETTINGS_PAGES)


def test_the_award_settings_form_shows_the_stored_entry_deadline(seeded):
    client = seeded
    found = AwardSettings.objects.exclude(entry_deadline=None).first()
    url = reverse("awards:chair-edit", kwargs={"slug": found.slug})
    document = lxml.html.fromstring(client.get(url).content.decode())
    day = document.xpath("//input[@name='s-entry_day']")[0]
    clock = document.xpath("//input[@name='s-entry_clock']")[0]
    local = found.entry_deadline.astimezone(found.award.conference.tzinfo)
    assert day.get("value") == local.strftime("%Y-%m-%d")
    assert clock.get("value") == local.strftime("%H:%M")
    # The zone the date is typed in is stated next to it.
    assert "In the conference's zone, UTC-11." in unescape(
        client.get(url).content.decode()
    )


def _errors(html: str) -> str:
    document = lxml.html.fromstring(html)
    found = document.xpath("//*[contains(@class, 'error')]")
    return "; ".join(" ".join(e.text_content().split()) for e in found)[:500]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_browser_shows_and_keeps_the_stored_prize_entry_deadline(
    page, conference, chair
):
    """The defect as a chair met it: the date input was empty (a browser drops a
    value that is not ISO) and saving the page cleared the deadline."""
    found = AwardSettings.objects.exclude(entry_deadline=None).first()
    stored = found.entry_deadline
    page.goto("/accounts/login/")
    page.fill("input[name=login]", chair.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto(reverse("awards:chair-edit", kwargs={"slug": found.slug}))
    day = page.locator("input[name='s-entry_day']")
    assert day.input_value() == "2022-06-30"  # what the browser holds and shows
    assert day.evaluate("e => e.valueAsDate.toISOString().slice(0, 10)") == (
        "2022-06-30"
    )
    assert page.locator("input[name='s-entry_clock']").input_value() == "23:59"
    assert "In the conference's zone, UTC-11." in unescape(page.content())

    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    found.refresh_from_db()
    assert found.entry_deadline == stored
