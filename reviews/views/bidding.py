"""Bidding: the reviewer's bidding page and one bid.

Reviewers see a submission as a `BidItem`, never its authors."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views import View
from django.views.generic import TemplateView

from haet.models import Topic
from haet.views import NotFoundOnDeny, current_conference
from reviews.bidding import biddable, mark_bidding_done, place_bid
from reviews.conflicts import ConflictIndex
from reviews.forms.bidding import BidForm
from reviews.models import (
    Bid,
    ConflictSource,
    ReviewerProfile,
)
from reviews.rules import bidding_closes_at, bidding_is_open
from reviews.views.dashboard import ReviewerRequiredMixin
from submissions.models import Submission


# --- what reviewers may see -------------------------------------------------------
@dataclass(frozen=True)
class BidItem:
    """A submission as the bidding page shows it: never its authors."""

    # Never shown: the numbers around a submission hidden by a conflict would show
    # its gap. The page and the bid URL use `key` instead (bid_key).
    number: int
    key: str
    title: str
    abstract: str
    keywords: str
    topics: tuple[str, ...]
    bid: str  # Bid.Value or ""
    is_own_conflict: bool


def bid_key(user, submission_pk: int) -> str:
    """A submission's name on one reviewer's bidding page: an HMAC of the reviewer
    and the submission, so it reveals neither the paper number (no gap where a
    conflicted submission is hidden) nor anything two reviewers could compare."""
    return salted_hmac(
        "haet.reviews.bid", f"{user.pk}:{submission_pk}", algorithm="sha256"
    ).hexdigest()[:20]


# --- bidding -------------------------------------------------------------------------
def own_conflict_only(index: ConflictIndex, user_id: int) -> tuple[set, set]:
    """(hidden, own): submissions hidden by a conflict the reviewer did not declare
    themselves, and those conflicted only by their own declaration (still listed,
    so they can take it back)."""
    hidden, own = set(), set()
    for (u, s), reasons in index.reasons.items():
        if u != user_id:
            continue
        active = {r.source for r in reasons if not r.is_waived}
        if active - {ConflictSource.REVIEWER_DECLARED}:
            hidden.add(s)
        elif active:
            own.add(s)
    return hidden, own


class BiddingView(ReviewerRequiredMixin, TemplateView):
    """Every non-conflicted submitted submission, anonymised, with the reviewer's
    bid; filter by topic, search title/abstract/keywords."""

    template_name = "reviews/bidding.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = current_conference(self.request)
        user = self.request.user
        hidden, own = own_conflict_only(ConflictIndex.build(users=[user]), user.pk)
        submissions = (
            biddable(Submission.objects.filter(conference=conference))
            .exclude(pk__in=hidden)
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by()))
            .only("pk", "number", "title", "abstract", "keywords")
            .order_by("number")
        )
        total = submissions.count()
        topic_id = self.request.GET.get("topic", "")
        query = self.request.GET.get("q", "").strip()
        if topic_id.isdigit():
            submissions = submissions.filter(topics__pk=int(topic_id))
        for word in query.split()[:8]:
            submissions = submissions.filter(
                Q(title__icontains=word)
                | Q(abstract__icontains=word)
                | Q(keywords__icontains=word)
            )
        bids = dict(
            Bid.objects.filter(reviewer=user)
            .exclude(submission_id__in=hidden)
            .values_list("submission_id", "value")
        )
        items = [
            BidItem(
                number=s.number,
                key=bid_key(user, s.pk),
                title=s.title,
                abstract=s.abstract,
                keywords=s.keywords,
                topics=tuple(t.name for t in s.topics.all()),
                bid=bids.get(s.pk, ""),
                is_own_conflict=s.pk in own,
            )
            for s in submissions
        ]
        profile = ReviewerProfile.objects.filter(user=user).first()
        context.update(
            items=items,
            total=total,
            bid_count=len(bids),
            topics=Topic.objects.filter(conference=conference),
            topic_id=int(topic_id) if topic_id.isdigit() else None,
            query=query,
            values=Bid.Value.choices,
            bidding_open=bidding_is_open(conference),
            bidding_closes_at=bidding_closes_at(conference),
            is_done=bool(profile and profile.bidding_done_at),
            filter_query=urlencode(
                {k: v for k, v in (("topic", topic_id), ("q", query)) if v}
            ),
        )
        return context

    def post(self, request):
        """ "I have finished bidding" (or not)."""
        mark_bidding_done(request.user, is_done=request.POST.get("done") == "1")
        messages.success(request, "Thank you: your bids are recorded.")
        return redirect("reviews:dashboard")


class BidView(NotFoundOnDeny, View):
    """POST a bid on one submission; 404 if the reviewer may not see it."""

    permission_required = "reviews.bid"

    def get_permission_object(self):
        return None

    def post(self, request, key):
        # The key names the submission for this reviewer only (bid_key); matching
        # it against the biddable submissions costs one HMAC each, trivial at
        # workshop size. place_bid still decides whether the bid is allowed.
        candidates = biddable(
            Submission.objects.filter(conference=current_conference(request))
        ).values_list("pk", flat=True)
        pk = next((pk for pk in candidates if bid_key(request.user, pk) == key), None)
        if pk is None:
            raise Http404
        submission = get_object_or_404(Submission.objects.submitted(), pk=pk)
        form = BidForm(request.POST)
        if not form.is_valid():
            raise Http404
        try:
            place_bid(submission, request.user, value=form.cleaned_data["value"])
        except PermissionDenied as exc:
            raise Http404 from exc
        back = reverse("reviews:bidding")
        query = request.POST.get("filter", "")
        return redirect(f"{back}?{query}#b{key}" if query else f"{back}#b{key}")
