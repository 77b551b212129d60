"""decision:accept, oral, poster, reject, desk-reject, undecided, withdrawn (chairs
only; released or not). Registered by `DecisionsConfig.ready()`."""

from django.db.models import Q

from decisions.models import Decision, Outcome
from submissions.models import Submission
from submissions.search import register_term
from submissions.search.parser import Term
from submissions.search.registry import Context

OUTCOMES = {
    "accept": [Outcome.ACCEPT_ORAL, Outcome.ACCEPT_POSTER],
    "accepted": [Outcome.ACCEPT_ORAL, Outcome.ACCEPT_POSTER],
    "oral": [Outcome.ACCEPT_ORAL],
    "poster": [Outcome.ACCEPT_POSTER],
    "reject": [Outcome.REJECT, Outcome.DESK_REJECT],
    "rejected": [Outcome.REJECT, Outcome.DESK_REJECT],
    "desk-reject": [Outcome.DESK_REJECT],
}
WITHDRAWN = Q(state=Submission.State.WITHDRAWN)


def decision(term: Term, context: Context) -> Q:
    """Withdrawn wins over a stored outcome, as on the decisions dashboard."""
    value = term.value.strip().lower()
    if value == "withdrawn":
        return WITHDRAWN
    if value == "undecided":
        return ~Q(pk__in=Decision.objects.values("submission")) & ~WITHDRAWN
    if value not in OUTCOMES:
        choices = ", ".join([*OUTCOMES, "undecided", "withdrawn"])
        raise term.error(
            f"Unknown decision “{term.value}”: use {choices}.", at_value=True
        )
    decided = Decision.objects.filter(outcome__in=OUTCOMES[value])
    return Q(pk__in=decided.values("submission")) & ~WITHDRAWN


def register() -> None:
    register_term(
        "decision",
        decision,
        chairs_only=True,
        help="decision:accept, oral, poster, reject, desk-reject, undecided",
    )
