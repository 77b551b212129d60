"""Who is acting, under which request, doing what: the audit log's context.

A contextvar carries it, so code that writes never passes it along: the middleware
binds it for a request (the actor is read when an entry is written, so a sign-in
during the request counts), Celery's task signals for a task, `haet.jobs` for a job
(its starter acts). Services name what a person did with `action("…")`; the entries
written inside take that name instead of "<model>.updated".
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Context:
    request_id: str = ""
    # Returns the acting user's id, or None (the system, an anonymous visitor).
    actor: Callable[[], int | None] = lambda: None


_context: ContextVar[Context] = ContextVar("audit_context", default=Context())  # noqa: B039 (immutable default)
_actions: ContextVar[tuple[str, ...]] = ContextVar("audit_actions", default=())
_enabled: ContextVar[bool] = ContextVar("audit_enabled", default=True)


def current() -> Context:
    return _context.get()


def bind(*, request_id: str, actor: Callable[[], int | None]) -> Token[Context]:
    return _context.set(Context(request_id=request_id, actor=actor))


def unbind(token: Token[Context]) -> None:
    _context.reset(token)


def user_id(user: Any) -> int | None:
    """The id of a signed-in user, None for anyone else (or no one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


@contextmanager
def acting(user: Any, *, request_id: str) -> Iterator[None]:
    """Entries written inside are by `user` (a job's starter, a command's operator)."""
    actor_id = user_id(user)
    token = bind(request_id=request_id, actor=lambda: actor_id)
    try:
        yield
    finally:
        unbind(token)


@contextmanager
def action(name: str) -> Iterator[None]:
    """Entries written inside carry `name` ("decision.released"): what the person
    did, rather than which rows changed. The innermost name wins."""
    token = _actions.set((*_actions.get(), name))
    try:
        yield
    finally:
        _actions.reset(token)


def current_action() -> str:
    names = _actions.get()
    return names[-1] if names else ""


@contextmanager
def disabled() -> Iterator[None]:
    """No entries inside (bench/audit.py measures the difference). In application
    code only for a full conference import, which carries the old deployment's log
    over instead (exchange.audit_log): the log's promise is that every write is in
    it."""
    token = _enabled.set(False)
    try:
        yield
    finally:
        _enabled.reset(token)


def is_enabled() -> bool:
    return _enabled.get()
