"""The chairs' conflict table: declare, remove, waive and unwaive conflicts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from haet.listing import Listing, Sort
from haet.models import User
from haet.views import ChairRequiredMixin, current_conference
from reviews.conflicts import ConflictIndex, conflicted_submission_ids
from reviews.declared_conflicts import (
    declare_conflict,
    remove_declared_conflict,
    unwaive_conflict,
    waive_conflict,
)
from reviews.forms.assigning import ConflictAddForm, ConflictWaiveForm
from reviews.models import ConflictLog, ConflictSource
from reviews.queries import visible_to
from submissions.models import Submission

CONFLICT_SORTS = [
    Sort("submission", "Submission", value=lambda r: r["submission"].number),
    Sort("person", "Person", value=lambda r: r["person"].display_name.casefold()),
    Sort("status", "Status", value=lambda r: not r["is_conflicted"]),
]


def conflict_text(row: dict) -> str:
    """What search reads: the submission and the person, as the row shows them."""
    submission, person = row["submission"], row["person"]
    return (
        f"#{submission.number} {submission.title} {person.display_name} {person.email}"
    )


class ConflictListView(ChairRequiredMixin, TemplateView):
    """Every conflict with its reasons; add, waive, withdraw. Submissions the
    viewing chair is conflicted with are left out."""

    template_name = "reviews/conflict_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        user = self.request.user
        hidden = conflicted_submission_ids(user)
        submissions = visible_to(Submission.objects.filter(conference=conference), user)
        number = self.request.GET.get("submission", "")
        if number.isdigit():
            submissions = submissions.filter(number=int(number))
        submissions = submissions.in_bulk()
        index = ConflictIndex.build(submissions=submissions.values())
        people = User.objects.in_bulk({u for u, _ in index.reasons})
        rows = [
            {
                "submission": submissions[s],
                "person": people[u],
                # A co-authorship reason never names a hidden submission.
                "reasons": [r.shown_to(hidden) for r in reasons],
                "is_conflicted": index.is_conflicted(u, s),
            }
            for (u, s), reasons in index.reasons.items()
            if s in submissions and u in people
        ]
        rows.sort(key=lambda r: (r["submission"].number, r["person"].email))
        listing = Listing(self.request, CONFLICT_SORTS, default="submission")
        page = listing.page_list(rows, text=conflict_text)
        context.update(
            listing=listing,
            rows=page.object_list,
            hidden_count=len(hidden),
            number=number,
            add_form=kwargs.get("add_form") or ConflictAddForm(user=user),
            log=visible_to(ConflictLog.objects.all(), user)
            .select_related("submission", "user", "by")
            .order_by("-at", "-pk")[:50],
        )
        return context

    def post(self, request):
        action = request.POST.get("action")
        # The forms answer a hidden submission's number as one that does not exist.
        if action == "add":
            form = ConflictAddForm(request.POST, user=request.user)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(add_form=form))
            data = form.cleaned_data
            declare_conflict(
                data["submission"],
                data["user"],
                source=ConflictSource.CHAIR_ADDED,
                reason=data["reason"],
                by=request.user,
            )
            messages.success(request, "Conflict added.")
            return redirect("reviews:conflicts")
        form = ConflictWaiveForm(request.POST, user=request.user)
        if not form.is_valid() or action not in ("waive", "unwaive", "remove"):
            messages.error(request, "That conflict could not be changed.")
            return redirect("reviews:conflicts")
        data = form.cleaned_data
        args = (data["submission"], data["user"])
        try:
            if action == "waive":
                waive_conflict(
                    *args, source=data["source"], reason=data["reason"], by=request.user
                )
            elif action == "unwaive":
                unwaive_conflict(*args, source=data["source"], by=request.user)
            else:
                remove_declared_conflict(*args, source=data["source"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Conflict updated.")
        return redirect(f"{reverse('reviews:conflicts')}#c{data['submission'].number}")
