"""The schedule's pages for every role: chairs' editor (no-JS forms), the public
programme before and after publishing, the talk pages, files, JSON and .ics."""

import json
from datetime import UTC, datetime
from html import unescape

import icalendar
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from awards.models import AwardResult, AwardSettings
from decisions.deciding import decide
from decisions.models import Outcome
from haet.models import AwardCategory
from proceedings.models import CameraReady
from schedule.models import Item, Session
from schedule.services import (
    assign_poster_boards,
    fill_orals,
    publish_schedule,
    save_item,
)
from tests.factories import SubmissionFactory
from tests.schedule.conftest import venue

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["schedule:timetable", "schedule:by-room", "schedule:print"]
FILES = ["schedule:json", "schedule:ics"]


def published(day):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    assign_poster_boards(day.schedule, by=day.chair)
    day.release()
    publish_schedule(day.schedule, by=day.chair)
    return day


def chair_urls(day) -> list[str]:
    slot = day.slots[1]
    return [
        reverse("schedule:edit"),
        reverse("schedule:session-new"),
        reverse("schedule:session-edit", args=[day.morning.pk]),
        reverse("schedule:item-new", args=[day.morning.pk]),
        reverse("schedule:item-edit", args=[slot.code]),
    ]


CHAIR_POSTS = [
    ("schedule:fill-orals", None),
    ("schedule:boards", None),
    ("schedule:publish", None),
    ("schedule:settings", None),
    ("schedule:session-delete", "session"),
    ("schedule:item-move", "item"),
    ("schedule:item-delete", "item"),
]


@pytest.mark.parametrize("persona", ["author", "reviewer", "other_author"])
def test_chair_pages_are_404_for_everyone_else(day, client, persona):
    day.build()
    client.force_login(day.user(persona))

    statuses = {url: client.get(url).status_code for url in chair_urls(day)}
    for name, arg in CHAIR_POSTS:
        args = {"session": [day.morning.pk], "item": [day.slots[0].code]}.get(arg, [])
        statuses[name] = client.post(reverse(name, args=args)).status_code

    assert set(statuses.values()) == {404}
    assert (Item.objects.count(), Session.objects.count()) == (4, 2)


def test_chair_pages_send_anonymous_visitors_to_log_in(day, client):
    day.build()
    responses = [client.get(url) for url in chair_urls(day)]
    assert {r.status_code for r in responses} == {302}
    assert all("/accounts/login/" in r["Location"] for r in responses)


def test_chair_pages_open_for_a_chair(day, client):
    day.build()
    client.force_login(day.chair)
    assert {client.get(url).status_code for url in chair_urls(day)} == {200}


@pytest.mark.parametrize("persona", ["anonymous", "author", "reviewer"])
def test_public_pages_are_404_before_publishing(day, client, persona):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    if persona != "anonymous":
        client.force_login(day.user(persona))
    urls = [reverse(n) for n in PUBLIC_PAGES + FILES]
    urls += [reverse("schedule:item", args=[day.slots[0].code])]
    urls += [reverse("schedule:item-ics", args=[day.slots[0].code])]
    assert {client.get(url).status_code for url in urls} == {404}


def test_chairs_preview_the_programme_before_publishing(day, client):
    day.build()
    client.force_login(day.chair)
    response = client.get(reverse("schedule:timetable"))
    assert response.status_code == 200
    assert "Preview: only chairs see the programme" in response.text


@pytest.mark.parametrize("persona", ["anonymous", "author", "reviewer", "chair"])
def test_the_published_programme_is_public(day, client, persona):
    published(day)
    if persona != "anonymous":
        client.force_login(day.user(persona))

    pages = {name: client.get(reverse(name)) for name in PUBLIC_PAGES}

    assert {r.status_code for r in pages.values()} == {200}
    text = pages["schedule:timetable"].text
    assert day.submission.title in text
    assert "Energy models of training on GPUs" not in text  # posters: on its page
    assert "Preview" not in text
    print_page = pages["schedule:print"].text
    assert "Board 1: Energy models of training on GPUs" in print_page
    assert "Room 310" in pages["schedule:by-room"].text


def test_the_talk_page_shows_title_authors_abstract_and_links(day, client):
    published(day)
    camera = CameraReady.objects.create(
        submission=day.submission,
        title="Sparse training of transformers on FPGAs (final)",
        authors=[{"name": "Ada Author"}, {"name": "Cora Coauthor"}],
    )
    camera.slides.save("s.pdf", ContentFile(b"%PDF-1.4 slides"))
    item = Item.objects.get(submission=day.submission)
    item.video_url = "https://video.example/talk-1"
    item.save()

    response = client.get(reverse("schedule:item", args=[item.code]))
    slides = client.get(reverse("schedule:slides", args=[1]))

    assert response.status_code == 200
    text = response.text
    assert "Sparse training of transformers on FPGAs (final)" in text
    assert "Ada Author, Cora Coauthor" in text
    assert day.submission.abstract in text
    assert reverse("schedule:slides", args=[1]) in text
    assert "https://video.example/talk-1" in text
    assert b"".join(slides.streaming_content) == b"%PDF-1.4 slides"
    assert client.get(reverse("schedule:poster", args=[1])).status_code == 404


def test_an_unreleased_acceptance_stays_to_be_announced(day, client):
    published(day)
    latecomer = SubmissionFactory(
        conference=day.conference,
        number=6,
        contact=day.poster_author,
        title="Late idea",
    )
    decide(latecomer, Outcome.ACCEPT_ORAL, by=day.chair)  # not released
    late = save_item(
        day.morning,
        kind="oral",
        submission=latecomer,
        starts_at=venue(10, 40),
        ends_at=venue(11),
        by=day.chair,
    )

    page = client.get(reverse("schedule:item", args=[late.code])).text
    timetable = client.get(reverse("schedule:timetable")).text
    as_json = client.get(reverse("schedule:json")).json()

    assert "To be announced" in page
    assert "Late idea" not in page + timetable + json.dumps(as_json)
    assert "Pia Poster" not in page


def test_the_conflicted_chair_editor_never_names_the_submission(day, client):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    client.force_login(day.conflicted_chair)
    item = Item.objects.get(submission=day.submission)

    editor = client.get(reverse("schedule:edit"))

    assert editor.status_code == 200
    assert day.submission.title not in editor.text
    assert "#1 " not in editor.text
    assert "A submission you are conflicted with" in editor.text
    edit = client.get(reverse("schedule:item-edit", args=[item.code]))
    assert edit.status_code == 404


def test_a_chair_builds_the_day_with_plain_forms(day, client):
    client.force_login(day.chair)

    client.post(
        reverse("schedule:session-new"),
        {"title": "Orals", "start": "10:00", "end": "11:00", "room": "Room 310"},
    )
    session = Session.objects.get()
    for start, end in [("10:00", "10:20"), ("10:20", "10:40")]:
        client.post(
            reverse("schedule:item-new", args=[session.pk]),
            {"kind": "oral", "start": start, "end": end},
        )
    client.post(reverse("schedule:fill-orals"), {"order": "number"})
    first = Item.objects.get(submission=day.submission)
    response = client.post(
        reverse("schedule:item-move", args=[first.code]),
        {"session": session.pk, "start": "10:40"},
        follow=True,
    )

    assert session.starts_at == datetime(2022, 7, 23, 14, tzinfo=UTC)
    first.refresh_from_db()
    assert first.starts_at == datetime(2022, 7, 23, 14, 40, tzinfo=UTC)
    assert first.ends_at == datetime(2022, 7, 23, 15, tzinfo=UTC)
    assert "Moved from 10:00 to 10:40." in response.text


def test_an_invited_talk_with_a_photo_is_public_after_publishing(day, client):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    buffer.name = "speaker.png"
    day.build()
    client.force_login(day.chair)
    client.post(
        reverse("schedule:item-new", args=[day.morning.pk]),
        {
            "kind": "invited_talk",
            "start": "10:40",
            "end": "11:00",
            "title": "Training on a budget",
            "speaker": "Grace Keynote",
            "bio": "Grace builds chips.",
            "photo": ContentFile(buffer.getvalue(), name="speaker.png"),
        },
    )
    talk = Item.objects.get(kind="invited_talk")
    client.logout()
    photo_url = reverse("schedule:photo", args=[talk.code])
    assert client.get(photo_url).status_code == 404  # private until published

    day.release()
    publish_schedule(day.schedule, by=day.chair)
    page = client.get(reverse("schedule:item", args=[talk.code])).text
    photo = client.get(photo_url)

    assert "Grace Keynote" in page
    assert "Grace builds chips." in page
    assert photo_url in page
    assert photo["Content-Type"] == "image/png"


def test_the_award_ceremony_lists_only_announced_results(day, client):
    published(day)
    award = AwardCategory.objects.filter(conference=day.conference).first()
    AwardResult.objects.create(
        award=award, submission=day.submission, place="winner", confirmed_by=day.chair
    )
    url = reverse("schedule:item", args=[day.ceremony.code])
    before = client.get(url).text

    AwardSettings.objects.filter(award=award).update(announced_at=venue(9))
    after = client.get(url).text

    assert award.name not in before
    assert f"{award.name}</strong> — Winner: {day.submission.title}" in after


def test_the_day_ics_parses_with_utc_times(day, client):
    published(day)

    response = client.get(reverse("schedule:ics"))
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")

    assert response["Content-Type"].startswith("text/calendar")
    assert [str(e["summary"]) for e in events] == [
        f"HAET 2022: {day.submission.title}",
        f"HAET 2022: {day.oral2.title}",
        "HAET 2022: Poster session",
        "HAET 2022: Award ceremony",
    ]
    assert events[0].decoded("dtstart") == datetime(2022, 7, 23, 14, tzinfo=UTC)
    assert events[0].decoded("dtend") == datetime(2022, 7, 23, 14, 20, tzinfo=UTC)
    assert str(events[0]["location"]) == "Room 310"
    one = icalendar.Calendar.from_ical(
        client.get(reverse("schedule:item-ics", args=[day.posters.code])).content
    )
    [poster_event] = one.walk("VEVENT")
    assert poster_event.decoded("dtstart") == datetime(2022, 7, 23, 15, tzinfo=UTC)


def test_the_json_for_the_virtual_site(day, client):
    published(day)

    data = client.get(reverse("schedule:json")).json()

    assert data["time_zone"] == "America/New_York"
    first = data["items"][0]
    assert first["start"] == "2022-07-23T10:00:00-04:00"
    assert first["start_utc"] == "2022-07-23T14:00:00+00:00"
    assert first["paper"]["title"] == day.submission.title
    assert first["paper"]["authors"][0] == "Ada Author"
    posters = next(i for i in data["items"] if i["kind"] == "poster_session")
    assert [p["board"] for p in posters["posters"]] == [1, 2]
    assert first["url"].startswith("http://testserver/schedule/")


def test_a_changed_decision_flags_its_slot_in_the_editor(day, client):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    decide(day.oral2, Outcome.ACCEPT_POSTER, by=day.chair)
    client.force_login(day.chair)
    slot = Item.objects.get(submission=day.oral2)

    text = client.get(reverse("schedule:edit")).text

    assert (
        "The decision on #3 Low-precision optimisers at scale changed from "
        "“Accept (oral)” to “Accept (poster)” since it was placed (slot)."
    ) in text
    assert f'class="editor-item flagged" id="item-{slot.code}"' in text
    assert text.count("editor-item flagged") == 1


def test_a_mistyped_venue_zone_comes_back_typed_with_the_reason(day, client):
    day.build()
    client.force_login(day.chair)
    stored = day.schedule.venue_time_zone

    response = client.post(
        reverse("schedule:settings"),
        {"venue_time_zone": "Europe/Viena", "day": "2022-07-23"},
    )

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert 'value="Europe/Viena"' in page
    assert "'Europe/Viena' is not a time zone" in page
    assert "The settings were not saved: see below." in page
    assert 'value="2022-07-23"' in page
    day.schedule.refresh_from_db()
    assert day.schedule.venue_time_zone == stored


def test_a_moved_workshop_date_is_a_warning_until_the_day_follows(day, client):
    """The schedule keeps its day when the chairs move the workshop date: the
    editor says so; once the day is changed, the warning goes."""
    from datetime import date

    from schedule.models import default_day, workshop_day
    from schedule.services import update_schedule

    day.build()
    workshop = day.conference.dates.get(kind="workshop")
    workshop.at = datetime(2022, 12, 10, 12, 0, tzinfo=UTC)
    workshop.save()
    client.force_login(day.chair)

    editor = client.get(reverse("schedule:edit")).content.decode()

    assert (
        "The schedule is for Saturday 23 July 2022 but the workshop date is "
        "Saturday 10 December 2022" in unescape(editor)
    )
    update_schedule(
        day.schedule,
        venue_time_zone=day.schedule.venue_time_zone,
        day=date(2022, 12, 10),
        by=day.chair,
    )
    assert "but the workshop date is" not in client.get(reverse("schedule:edit")).text
    # A whole-day date is a day in the conference's zone, whatever the venue's.
    day.conference.time_zone = "UTC+13"
    day.conference.save()
    workshop.at = datetime(2022, 12, 9, 11, 0, tzinfo=UTC)  # 10 Dec, 00:00 UTC+13
    workshop.save()
    assert workshop_day(day.conference) == date(2022, 12, 10)
    assert default_day(day.conference) == date(2022, 12, 10)
