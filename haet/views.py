"""Public pages (call for papers, calendar, health) and the chairs' settings area."""

from datetime import UTC, timedelta

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from haet import clock
from haet.deadlines import describe_deadline
from haet.forms import (
    ConferenceForm,
    ImportantDateForm,
    RoleForm,
)
from haet.home import render_home_sections
from haet.listing import PERSON_FIELDS, Listing, Sort, person_match
from haet.models import Conference, DateChange, ImportantDate, User
from haet.posted import posted_id
from haet.rules import CHAIRS, REVIEWERS
from haet.services import (
    cascade_losses,
    change_date,
    delete_award_category,
    keep_days_in_new_zone,
    set_role,
)


class NotFoundOnDeny(PermissionRequiredMixin):
    """rules' permission mixin that answers 404, so probing reveals nothing.

    Anonymous visitors are sent to the login page instead: they may well be allowed
    once signed in, and the login page reveals nothing about the object.
    """

    def has_permission(self):
        try:
            return super().has_permission()
        except Http404:
            # The permission object did not exist. Signed-in people get the 404 they
            # get for an object they may not see; anonymous visitors get the login
            # page they get for an existing one, so probing /submissions/<n>/ does
            # not tell existing numbers from missing ones.
            if self.request.user.is_authenticated:
                raise
            return False

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return redirect_to_login(self.request.get_full_path())
        raise Http404


class ChairRequiredMixin(NotFoundOnDeny):
    permission_required = "haet.manage_conference"

    def get_permission_object(self):
        return None


def current_conference(request) -> Conference:
    cached = getattr(request, "_haet_conference", None)
    if cached is None:
        cached = Conference.objects.current()
        request._haet_conference = cached
    return cached


def public_dates(conference: Conference):
    return conference.dates.filter(is_public=True).prefetch_related(
        Prefetch("changes", queryset=DateChange.objects.order_by("changed_at", "pk"))
    )


class CallForSubmissionsView(TemplateView):
    """The call for papers, rendered from what chairs edit: the home page until the
    workshop is over, then archived on its own page (/call-for-papers/)."""

    template_name = "haet/call_for_papers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = Conference.objects.prefetch_related(
            "topics", "award_categories"
        ).get(pk=current_conference(self.request).pk)
        now = clock.now()
        dates = list(public_dates(conference))
        for date in dates:
            date.conference = conference  # spare a query per date for the zone
            # Every superseded instant, struck through before the current one.
            date.superseded = [
                c.old_at for c in date.changes.all() if c.old_at != date.at
            ]
        upcoming = [d for d in dates if d.has_time and d.closes_at > now]
        # From the dates already read: the workshop is a public date.
        workshop = next(
            (d for d in dates if d.kind == ImportantDate.Kind.WORKSHOP), None
        )
        context.update(
            conference=conference,
            dates=dates,
            next_deadline=min(upcoming, key=lambda d: d.closes_at)
            if upcoming
            else None,
            now=now,
            workshop=workshop,
            workshop_is_over=workshop is not None and workshop.closes_at <= now,
        )
        return context


class HomeView(CallForSubmissionsView):
    """The home page follows the stage (haet.home): the call for papers; after the
    release of decisions, the accepted papers and the programme first; after the
    workshop, what it produced, with the call for papers archived on its own page.
    It stays the call for papers while nothing public replaces it (a conference
    whose dates passed but never released anything)."""

    template_name = "haet/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = render_home_sections(
            self.request, context["conference"], is_over=context["workshop_is_over"]
        )
        context.update(
            sections=sections,
            cfp_archived=bool(sections) and context["workshop_is_over"],
        )
        return context


class DatesCalendarView(View):
    """/dates.ics: the public dates for Google Calendar, Outlook and Thunderbird."""

    def get(self, request):
        conference = current_conference(request)
        cal = icalendar.Calendar()
        cal.add("prodid", "-//haet//conference dates//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", f"{conference.acronym} important dates")
        stamp = clock.now()
        host = request.get_host().split(":")[0]
        for date in public_dates(conference):
            date.conference = conference
            event = icalendar.Event()
            event.add("uid", f"date-{date.pk}@{host}")
            event.add("dtstamp", stamp)
            event.add("summary", f"{conference.acronym}: {date.label}")
            if date.has_time:
                # A deadline is a moment: a zero-length event at the instant, in UTC so
                # every client shows it in its own zone.
                event.add("dtstart", date.at.astimezone(UTC))
                event.add("dtend", date.at.astimezone(UTC) + timedelta(minutes=1))
                event.add(
                    "description",
                    f"{date.label}: {describe_deadline(date.closes_at, conference)}",
                )
            else:
                day = date.local_at.date()
                event.add("dtstart", day)
                event.add("dtend", day + timedelta(days=1))
            cal.add_component(event)
        response = HttpResponse(
            cal.to_ical(), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{conference.acronym.replace(" ", "")}-dates.ics"'
        )
        return response


def healthz(request):
    """200 when the database answers; 503 otherwise. Redis, when configured, is
    reported but does not make the web unhealthy: without it the web still serves
    everyone (the cache falls back to local memory, mail waits in the outbox), and
    a load balancer that dropped every web server during a Redis outage would lock
    everybody out. The worker's health check (a Celery ping) is what fails then."""
    status = {"database": "ok"}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        status["database"] = f"error: {type(exc).__name__}"
        healthy = False
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
            status["redis"] = "ok"
        except Exception as exc:
            status["redis"] = f"error: {type(exc).__name__}"
    return JsonResponse(status, status=200 if healthy else 503)


class ChairHomeView(ChairRequiredMixin, TemplateView):
    template_name = "haet/chair_home.html"


class ConferenceSettingsView(ChairRequiredMixin, TemplateView):
    template_name = "haet/chair_conference.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "form", ConferenceForm(instance=current_conference(self.request))
        )
        return context

    def post(self, request):
        conference = current_conference(request)
        old_zone = conference.tzinfo
        form = ConferenceForm(request.POST, instance=conference)
        if form.is_valid():
            conference = form.save()
            messages.success(request, "Conference settings saved.")
            if "time_zone" in form.changed_data:
                deadlines = keep_days_in_new_zone(conference, old_zone)
                shown = "; ".join(
                    f"{date.label}: {date.local_at:%d %B %Y, %H:%M} {date.zone_label}"
                    for date in deadlines
                )
                messages.info(
                    request,
                    "Whole-day dates keep their day in the new time zone; "
                    "deadlines keep their moment, now shown as: "
                    f"{shown or 'no deadline yet'}. Change them on the dates "
                    "page if they should move.",
                )
            return redirect("chair-conference")
        return self.render_to_response(self.get_context_data(form=form))


DATE_SORTS = [
    Sort("order", "Usual order", ["order", "at"]),
    Sort("label", "Date", ["label"]),
    Sort("at", "When", ["at"]),
    Sort("public", "Public", ["-is_public"]),
]


class DateListView(ChairRequiredMixin, TemplateView):
    template_name = "haet/chair_dates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        listing = Listing(self.request, DATE_SORTS, default="order")
        dates = listing.page_queryset(
            conference.dates.prefetch_related(
                Prefetch(
                    "changes", queryset=DateChange.objects.select_related("changed_by")
                )
            ),
            ["label", "kind"],
        ).object_list
        for date in dates:
            date.conference = conference
        context.update(listing=listing, dates=dates)
        return context


class DateEditView(ChairRequiredMixin, TemplateView):
    template_name = "haet/chair_date_form.html"

    def get_date(self) -> ImportantDate | None:
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(
            ImportantDate, pk=pk, conference=current_conference(self.request)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            date = self.get_date()
            context["form"] = ImportantDateForm(
                instance=date, conference=current_conference(self.request)
            )
        context["date"] = self.get_date()
        return context

    def post(self, request, pk=None):
        conference = current_conference(request)
        date = self.get_date()
        form = ImportantDateForm(request.POST, instance=date, conference=conference)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        fields = {name: data[name] for name in ("kind", "label", "is_public", "order")}
        fields["has_time"] = data["has_time"]
        if date is None:
            ImportantDate.objects.create(conference=conference, at=data["at"], **fields)
            messages.success(request, f"Added “{fields['label']}”.")
        else:
            change_date(date, at=data["at"], by=request.user, **fields)
            messages.success(request, f"Saved “{fields['label']}”.")
        return redirect("chair-dates")


class AwardsView(ChairRequiredMixin, TemplateView):
    """The awards as the call for papers announces them. One editor changes them
    (issue 14 item 4): the awards app's page (name, sponsor, prize, details, and
    entries, judging, jury), which this page links (base.html's rule: a template
    may link a later app's page). Here a chair may only remove one."""

    template_name = "haet/chair_awards.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        context["awards"] = conference.award_categories.order_by("order", "pk")
        return context

    def post(self, request):
        award = get_object_or_404(
            current_conference(request).award_categories,
            pk=posted_id(request, "delete"),
        )
        if request.POST.get("confirm") != "yes":
            # Ask first (issue 14 item 5): removing cascades to what hangs on the
            # award (entries, jury scores), counted by services.cascade_losses.
            return self.render_to_response(
                self.get_context_data(confirm=award, losses=cascade_losses(award))
            )
        name = delete_award_category(award, by=request.user)
        messages.success(request, f"Removed “{name}” from the call.")
        return redirect("chair-awards")


PEOPLE_SORTS = [
    Sort("name", "Name", ["name", "last_name", "first_name", "email"]),
    Sort("email", "Email", ["email"]),
    Sort("joined", "Joined", ["date_joined"]),
]


class PeopleView(ChairRequiredMixin, TemplateView):
    template_name = "haet/chair_people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RoleForm())
        # One search box for both; the few chairs are not paged.
        listing = Listing(self.request, PEOPLE_SORTS, default="email")
        chairs = User.objects.filter(groups__name=CHAIRS).order_by("email")
        if listing.q:
            chairs = chairs.filter(person_match(listing.q))
        reviewers = User.objects.filter(groups__name=REVIEWERS)
        context.update(
            listing=listing,
            chairs=chairs,
            reviewers=listing.page_queryset(reviewers, PERSON_FIELDS).object_list,
        )
        return context

    def post(self, request):
        form = RoleForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        role, granted = form.cleaned_data["role"], form.cleaned_data["granted"]
        set_role(form.user, role, granted=granted)
        verb = "is now" if granted else "is no longer"
        messages.success(request, f"{form.user.email} {verb} a {role}.")
        return redirect(reverse("chair-people"))
