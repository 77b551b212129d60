"""Every time haet writes matches the zone it is labelled with, whatever the server's
zone (issue 13 step 2, issue 14 items 3 and 4).

The bug this guards against: the prize entry deadline, 30 June 2022 23:59 UTC-11,
was shown in the server's zone but labelled with the conference's ("1 July 2022,
10:59 (UTC-11)" on a UTC server: eleven hours off).

The seeded conference is built under each of three server zones (settings.TIME_ZONE:
UTC, Asia/Tokyo, America/Los_Angeles), at two stages (reviewing; after the workshop).
Every page of the project is read as the chair, an author and a reviewer, and every
mail in the outbox (the seed's, and the deadline reminders sent a day before each
deadline). Then:

1. Every date written with a time and a zone ("27 May 2022, 11:59 pm UTC-11",
   "28 May 2022 10:59 UTC", "AoE (UTC-12)") names, read in that zone, an instant the
   database holds (a stored time, or the last open minute before a stored closing
   instant). A time converted to the wrong zone names no such instant.
2. No date is written with a time and without a zone.
3. Each <time datetime> says in words the instant of its attribute.
4. Every deadline of the seed is written the haet way (conference zone and UTC) on
   the pages and in the mails that show it, and the chair's date inputs hold it in
   the conference's zone.
"""

import os
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from awards.models import AwardSettings
from haet import deadlines
from haet.models import AwardCategory, Conference, ImportantDate, User
from haet.outbox.models import OutboxMail
from haet.outbox.reminders import send_due_reminders
from haet.seed import STAGE_NOW
from submissions.models import Submission
from tests.crawler import url_patterns, urls_of
from tests.test_conflicted_chair_crawl import argument_values, not_crawled

pytestmark = pytest.mark.django_db

SERVER_ZONES = ["UTC", "Asia/Tokyo", "America/Los_Angeles"]
URLS_PER_PATTERN = 1
PERSONAS = ["chair@haet.example", "author@haet.example", "reviewer@haet.example"]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_CLOCK = (
    rf"(?P<day>\d{{1,2}}) (?P<month>{_MONTH})\.? (?P<year>\d{{4}}),? \(?"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?: ?(?P<ampm>am|pm))?"
)
ABBREVIATIONS = {
    "UTC": 0,
    "GMT": 0,
    "JST": 9,
    "PDT": -7,
    "PST": -8,
    "EDT": -4,  # the seeded venue's zone (America/New_York), for the programme
    "EST": -5,
    "CEST": 2,
    "CET": 1,
}
_ZONE = r"AoE \(UTC-12\)|UTC(?:[+\-\u2212]\d{1,2}(?::?\d{2})?)?|" + "|".join(
    sorted(ABBREVIATIONS, key=len, reverse=True)
)
LABELLED = re.compile(rf"{_DATE_CLOCK},? \(?(?P<zone>{_ZONE})(?![\w+\-])")
DATE_CLOCK = re.compile(_DATE_CLOCK)
DATE_INPUT = re.compile(r'<input type="date"[^>]*?value="([^"]*)"')
TIME_ELEMENT = re.compile(r'<time datetime="([^"]+)"[^>]*>([^<]*)</time>')


def zone_offset(label: str) -> timedelta:
    if label.startswith("AoE"):
        return timedelta(hours=-12)
    if label in ABBREVIATIONS:
        return timedelta(hours=ABBREVIATIONS[label])
    match = re.fullmatch(r"UTC([+\-\u2212])(\d{1,2})(?::?(\d{2}))?", label)
    assert match, label
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return -delta if sign in "-\u2212" else delta


def instant(match: re.Match) -> datetime:
    """The instant a labelled wall-clock text names, read in its own zone."""
    hour = int(match["hour"])
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    local = datetime(
        int(match["year"]),
        MONTHS[match["month"]],
        int(match["day"]),
        hour,
        int(match["minute"]),
        int(match["second"] or 0),
        tzinfo=timezone(zone_offset(match["zone"])),
    )
    return local.astimezone(UTC)


def stored_instants() -> set[datetime]:
    """Every instant the project's tables hold, to the minute and to the second,
    and the last open minute before each (a closing instant is written so)."""
    root = Path(settings.BASE_DIR).resolve()
    found: set[datetime] = set()
    for config in apps.get_app_configs():
        if root not in Path(config.path).resolve().parents:
            continue
        for model in config.get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.DateTimeField)
            ]
            for row in model.objects.values_list(*fields) if fields else ():
                for at in row:
                    if at is None:
                        continue
                    at = at.astimezone(UTC)
                    found |= {
                        at.replace(microsecond=0),
                        at.replace(second=0, microsecond=0),
                        deadlines.last_open_minute(at),
                    }
    return found


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",")


def problems_in(where: str, html: str, known: set[datetime]) -> list[str]:
    problems = []
    text = text_of(html)
    labelled = {m.start(): m for m in LABELLED.finditer(text)}
    for match in labelled.values():
        if instant(match) not in known:
            problems.append(f"{where}: {match[0]!r} names no stored instant")
    for match in DATE_CLOCK.finditer(text):
        if match.start() not in labelled:
            context = text[match.start() : match.end() + 20]
            problems.append(f"{where}: {context!r} has no zone")
    for value in DATE_INPUT.findall(html):
        if value and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            problems.append(f"{where}: a date input a browser cannot show: {value!r}")
    for attribute, words in TIME_ELEMENT.findall(html):
        match = LABELLED.fullmatch(" ".join(words.split()))
        if match is None:
            continue
        stated = datetime.fromisoformat(attribute.replace("Z", "+00:00"))
        if instant(match) != stated.astimezone(UTC).replace(second=0):
            problems.append(f"{where}: <time datetime={attribute}> says {words!r}")
    return problems


def crawl(client, numbers: list[int] | None = None) -> dict[str, str]:
    """url -> HTML (or the text of an export) of every page this person opens;
    `numbers`: the submissions to open (an author's own), else every one."""
    pages = {}
    for name, pattern in url_patterns():
        if not_crawled(name) is not None:
            continue
        values = argument_values(name)
        if numbers is not None:
            values["number"] = numbers
        urls, _ = urls_of(name, pattern, values)
        for url, _number in urls[:URLS_PER_PATTERN]:
            response = client.get(url)
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            kind = response.get("Content-Type", "")
            if "html" in kind or "text" in kind or "json" in kind:
                pages[url] = response.content.decode()
    return pages


def send_reminders_before_each_deadline(frozen) -> None:
    """The reminders mailed a day before each deadline, with `deadline_text`."""
    for date in ImportantDate.objects.filter(has_time=True):
        frozen(date.closes_at - timedelta(hours=23))
        send_due_reminders()


@pytest.fixture(
    params=[(s, z) for s in ("cfp", "review", "over") for z in SERVER_ZONES],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def world(request, settings, frozen):
    stage, zone = request.param
    settings.TIME_ZONE = zone
    frozen(STAGE_NOW[stage])
    call_command(
        "seed_haet2022",
        submissions=6,
        reviewers=5,
        stage=stage,
        reviews=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    # Prize details published, so the public awards page shows the entry deadline.
    AwardCategory.objects.filter(details="").update(details="Rules and prizes.")
    return stage, zone


def test_every_time_is_written_in_the_zone_it_names(world, frozen):
    stage, zone = world
    pages = {}
    for email in PERSONAS:
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        own = list(
            Submission.objects.filter(authors__user=user).values_list(
                "number", flat=True
            )
        )
        crawled = crawl(client, own if email.startswith("author") else None)
        pages.update({f"{email} {u}": h for u, h in crawled.items()})
    pages.update({f"anonymous {u}": h for u, h in crawl(Client()).items()})
    frozen(STAGE_NOW[stage])
    send_reminders_before_each_deadline(frozen)
    mails = {
        f"mail {m.template} to {m.to_email}": "\n".join(
            (m.subject, m.body_text, m.body_html)
        )
        for m in OutboxMail.objects.all()
    }
    assert len(pages) > 60
    assert mails

    known = stored_instants()
    problems = []
    for where, html in {**pages, **mails}.items():
        problems += problems_in(where, html, known)
    assert problems == [], f"server zone {zone}:\n" + "\n".join(sorted(set(problems)))

    deadlines_are_written_the_haet_way(stage, zone)

    # A reminder a day before each deadline names it the same way.
    reminded = {
        m.template: m.body_text
        for m in OutboxMail.objects.filter(dedupe_key__startswith="reminder:")
    }
    assert reminded, zone
    for template, body in reminded.items():
        assert re.search(r"\d{1,2} \w+ 2022, \d{1,2}:\d\d [ap]m UTC-11 \(", body), (
            zone,
            template,
            body,
        )


def deadlines_are_written_the_haet_way(stage: str, zone: str) -> None:
    """Check 4: the seed's deadlines on the pages and forms that show them."""
    conference = Conference.objects.current()
    chair = Client()
    chair.force_login(User.objects.get(email="chair@haet.example"))
    home = text_of(
        Client()
        .get(reverse("home" if stage != "over" else "call-for-papers"))
        .content.decode()
    )
    dates = text_of(chair.get(reverse("chair-dates")).content.decode())
    for date in conference.dates.all():
        written = deadlines.write(date.at, conference)
        if date.has_time:
            assert written.local in dates, (zone, date.label)
            assert written.utc in dates, (zone, date.label)
            if date.is_public:
                assert written.clock in home, (zone, date.label)
                assert written.utc in home, (zone, date.label)
        form = chair.get(reverse("chair-date-edit", kwargs={"pk": date.pk}))
        day, clock = deadlines.local_parts(date.at, conference)
        html = form.content.decode()
        assert f'value="{day:%Y-%m-%d}"' in html, (zone, date.label)
        if date.has_time:
            assert f'value="{clock:%H:%M}"' in html, (zone, date.label)

    awards = text_of(Client().get(reverse("awards:index")).content.decode())
    entered = AwardSettings.objects.exclude(entry_deadline=None)
    assert entered.exists()
    for found in entered:
        text = deadlines.describe_deadline(found.entry_closes_at, conference)
        assert text.startswith("30 June 2022, 11:59 pm UTC-11 (1 July 2022 10:59 UTC")
        if found.accepts_entries:
            assert text in awards, zone
        edit = chair.get(reverse("awards:chair-edit", kwargs={"slug": found.slug}))
        assert 'value="2022-06-30"' in edit.content.decode(), zone


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("zone", "viewer_time"), [("Asia/Tokyo", "19:59"), ("UTC", None)]
)
def test_the_viewer_also_reads_a_deadline_in_their_own_zone(
    browser, live_server, conference, zone, viewer_time
):
    """moments.js adds the viewer's time from the <time datetime> attribute: the
    prize entry deadline, 1 July 2022 10:59 UTC, is 19:59 in Tokyo. For a viewer
    whose clock reads UTC it adds nothing: "your time" would repeat the UTC time
    the page already writes (and so does countdown.js on the call for papers)."""
    AwardCategory.objects.update(details="Rules and prizes.")
    context = browser.new_context(
        base_url=live_server.url, timezone_id=zone, locale="en-GB"
    )
    try:
        page = context.new_page()
        page.goto(reverse("awards:index"))
        card = page.locator(".award-card", has=page.locator(".viewer-time")).first
        assert "30 June 2022, 11:59 pm UTC-11" in card.inner_text()
        assert "(1 July 2022 10:59 UTC)" in card.inner_text()
        viewer = card.locator(".viewer-time")
        assert viewer.is_visible() is (viewer_time is not None)
        assert ("your time" in card.inner_text()) is (viewer_time is not None)
        if viewer_time:
            assert viewer_time in viewer.inner_text()
        page.goto("/")
        local = page.locator("time[data-local]")
        assert local.count() >= 1
        shown = [local.nth(i).is_visible() for i in range(local.count())]
        assert shown == [viewer_time is not None] * len(shown)
    finally:
        context.close()
