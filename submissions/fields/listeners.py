"""Listeners told when a submission's answers change, so that a later app acts on
an answer without submissions importing it (awards: a field option that enters a
prize). Each app registers a function in its AppConfig.ready().

A listener runs inside `services.save_answers`' transaction, after the answers are
written: raising ValidationError refuses the whole save (nothing is stored) and
the form shows the message."""

from collections.abc import Callable
from dataclasses import dataclass

from haet.models import User
from submissions.models import Submission, SubmissionField


@dataclass(frozen=True)
class AnswerChange:
    """One field's answer as text before and after ("" when there is none)."""

    field: SubmissionField
    before: str
    after: str


AnswerListener = Callable[[Submission, list[AnswerChange], User], None]
_LISTENERS: dict[str, AnswerListener] = {}


def register_answer_listener(key: str, listener: AnswerListener) -> None:
    """Idempotent: registering the same key again replaces it."""
    _LISTENERS[key] = listener


def answers_changed(
    submission: Submission, changes: list[AnswerChange], *, by: User
) -> None:
    if not changes:
        return
    for listener in _LISTENERS.values():
        listener(submission, changes, by)
