"""The public programme: timetable (by time and by room), each item's page, a
printable view, JSON for the host conference's virtual site, and .ics files.

Visible to everyone once the chairs publish the schedule; before that chairs see
it as a preview and everyone else a 404. Papers appear only once their
acceptance is released (schedule.queries.public.public_items).
"""

import mimetypes
from datetime import UTC

import icalendar
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from haet import clock
from haet.views import current_conference
from proceedings.models import CameraReady
from schedule.models import Item, PosterBoard
from schedule.queries.items import is_public
from schedule.queries.public import PublicItem, public_items, rooms_of
from schedule.services import schedule_of


class ScheduleVisibleMixin:
    """404 unless published (or a chair previewing)."""

    def dispatch(self, request, *args, **kwargs):
        self.schedule = schedule_of(current_conference(request))
        if not request.user.has_perm("schedule.view", self.schedule):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def items(self) -> list[PublicItem]:
        return public_items(self.schedule)

    def item(self, code: str) -> PublicItem:
        """One item as the public sees it (404 if it is not on the day)."""
        item = next((i for i in self.items() if i.code == code), None)
        if item is None:
            raise Http404
        return item


class TimetableView(ScheduleVisibleMixin, TemplateView):
    """By time: one row per start time, the parallel items side by side."""

    template_name = "schedule/timetable.html"
    by_room = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = self.items()
        rows: dict = {}
        for item in items:
            rows.setdefault(item.starts_at, []).append(item)
        context.update(
            schedule=self.schedule,
            items=items,
            rows=list(rows.items()),
            rooms=rooms_of(items),
            by_room=self.by_room,
            is_preview=not self.schedule.is_published,
        )
        return context


class PrintView(TimetableView):
    template_name = "schedule/print.html"


class ItemView(ScheduleVisibleMixin, TemplateView):
    template_name = "schedule/item.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            schedule=self.schedule,
            item=self.item(self.kwargs["code"]),
            is_preview=not self.schedule.is_published,
        )
        return context


def _json_item(item: PublicItem, schedule, absolute) -> dict:
    submission = item.submission

    def submission_json(p):
        return {
            "number": p.number,
            "title": p.title,
            "authors": p.authors,
            "presenter": p.presenter,
            "slides_url": absolute(p.slides_url),
            "poster_url": absolute(p.poster_url),
            "pdf_url": absolute(p.pdf_url),
            "arxiv_url": p.arxiv_url,
        }

    return {
        "id": item.code,
        "kind": item.kind,
        "title": item.title,
        "start": schedule.local(item.starts_at).isoformat(),
        "end": schedule.local(item.ends_at).isoformat(),
        "start_utc": item.starts_at.astimezone(UTC).isoformat(),
        "end_utc": item.ends_at.astimezone(UTC).isoformat(),
        "session": item.session,
        "session_chair": item.session_chair,
        "room": item.room,
        "stream_url": item.stream_url,
        "url": absolute(item.url),
        "ics_url": absolute(item.ics_url),
        "paper": submission_json(submission) if submission else None,
        "speakers": item.speakers,
        "abstract": item.abstract,
        "bio": item.bio,
        "photo_url": absolute(item.photo_url),
        "video_url": item.video_url,
        "posters": [
            {
                "board": b.number,
                "paper": submission_json(b.submission) if b.submission else None,
            }
            for b in item.boards
        ],
        "awards": item.awards,
    }


class ScheduleJsonView(ScheduleVisibleMixin, View):
    """The day for the host conference's virtual site: times in the venue zone
    (with offset) and in UTC, absolute links."""

    def get(self, request):
        conference = current_conference(request)

        def absolute(path: str) -> str:
            return request.build_absolute_uri(path) if path else ""

        data = {
            "conference": conference.name,
            "acronym": conference.acronym,
            "day": self.schedule.day.isoformat(),
            "time_zone": self.schedule.venue_time_zone,
            "published_at": self.schedule.published_at.isoformat()
            if self.schedule.published_at
            else None,
            "items": [
                _json_item(item, self.schedule, absolute) for item in self.items()
            ],
        }
        response = JsonResponse(data, json_dumps_params={"indent": 1})
        response["Content-Disposition"] = 'inline; filename="programme.json"'
        return response


def _event(item: PublicItem, request, acronym: str) -> icalendar.Event:
    event = icalendar.Event()
    host = request.get_host().split(":")[0]
    event.add("uid", f"schedule-{item.code}@{host}")
    event.add("dtstamp", clock.now().astimezone(UTC))
    # UTC: every calendar shows it in its own zone.
    event.add("dtstart", item.starts_at.astimezone(UTC))
    event.add("dtend", item.ends_at.astimezone(UTC))
    event.add("summary", f"{acronym}: {item.title}")
    location = ", ".join(x for x in (item.room, item.stream_url) if x)
    if location:
        event.add("location", location)
    lines = [item.kind_label]
    if item.submission:
        lines.append(", ".join(item.submission.authors))
    if item.speakers:
        lines.append(", ".join(item.speakers))
    if item.abstract:
        lines.append(item.abstract)
    event.add("description", "\n\n".join(lines))
    event.add("url", request.build_absolute_uri(item.url))
    return event


def _calendar(items, request, conference, name: str) -> HttpResponse:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//haet//workshop schedule//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{conference.acronym} programme")
    for item in items:
        cal.add_component(_event(item, request, conference.acronym))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class DayCalendarView(ScheduleVisibleMixin, View):
    def get(self, request):
        conference = current_conference(request)
        stem = conference.acronym.replace(" ", "")
        return _calendar(self.items(), request, conference, f"{stem}-programme.ics")


class ItemCalendarView(ScheduleVisibleMixin, View):
    def get(self, request, code):
        conference = current_conference(request)
        return _calendar([self.item(code)], request, conference, f"{code}.ics")


class PhotoView(ScheduleVisibleMixin, View):
    """A speaker's photo: private storage until the schedule is public."""

    def get(self, request, code):
        item = get_object_or_404(Item, code=code, session__schedule=self.schedule)
        if not item.photo:
            raise Http404
        content_type = mimetypes.guess_type(item.photo.name)[0] or "image/jpeg"
        if not content_type.startswith("image/"):
            raise Http404
        response = FileResponse(item.photo.open("rb"), content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class PresentationFileView(ScheduleVisibleMixin, View):
    """The slides or poster (from the camera-ready) of a scheduled paper whose
    acceptance is released."""

    kind = "slides"

    def get(self, request, number):
        scheduled = (
            Item.objects.filter(
                session__schedule=self.schedule, submission__number=number
            ).exists()
            or PosterBoard.objects.filter(
                item__session__schedule=self.schedule, submission__number=number
            ).exists()
        )
        camera = (
            CameraReady.objects.select_related("submission__decision")
            .filter(
                submission__number=number,
                submission__conference=self.schedule.conference,
            )
            .first()
        )
        if not scheduled or camera is None or not is_public(camera.submission):
            raise Http404
        file = getattr(camera, self.kind)
        if not file:
            raise Http404
        stem = camera.submission.file_stem
        return FileResponse(
            file.open("rb"),
            content_type="application/pdf",
            filename=f"{stem}-{self.kind}.pdf",
        )
