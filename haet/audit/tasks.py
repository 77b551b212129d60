"""Celery tasks run under their own audit context: the task id as the request id,
no actor (the system), unless the task binds one itself (haet.jobs: the job's
starter)."""

from contextlib import suppress
from contextvars import Token
from typing import Any

from haet.audit import context

_tokens: dict[str, Token[context.Context]] = {}


def bind_task(task_id: str = "", **kwargs: Any) -> None:
    _tokens[task_id] = context.bind(request_id=f"task-{task_id}", actor=lambda: None)


def unbind_task(task_id: str = "", **kwargs: Any) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        # ValueError: bound in another context (not in a worker, nor eagerly).
        with suppress(ValueError):
            context.unbind(token)
