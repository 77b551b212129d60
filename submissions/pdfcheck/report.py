"""The values the PDF check takes and returns (no parsing here)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

_EMAIL_IN_BRACKETS = re.compile(r"<\s*([^<>]*?)\s*>")
_BARE_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class AuthorIdentity:
    """Who must not be named in a submission (or must be, in a camera-ready)."""

    name: str
    email: str = ""
    affiliation: str = ""

    @classmethod
    def parse(cls, text: str) -> AuthorIdentity:
        """Read ``"Jane Q. Nobody <jane@x.org> (Nowhere Institute)"``.

        The email (in angle brackets) and the affiliation (in parentheses, taken
        from the first ``(`` to the last ``)`` so nested parentheses survive) are
        both optional and may come in either order.
        """
        rest = text.strip()
        email = ""
        if match := _EMAIL_IN_BRACKETS.search(rest):
            email = match.group(1)
            rest = rest[: match.start()] + " " + rest[match.end() :]
        affiliation = ""
        start, end = rest.find("("), rest.rfind(")")
        if 0 <= start < end:
            affiliation = rest[start + 1 : end].strip()
            rest = rest[:start] + " " + rest[end + 1 :]
        if not email and (match := _BARE_EMAIL.search(rest)):
            email = match.group(0)
            rest = rest[: match.start()] + " " + rest[match.end() :]
        name = " ".join(rest.replace(",", " ").split())
        return cls(name=name, email=email.strip(), affiliation=affiliation)


@dataclass(frozen=True)
class CheckOptions:
    """Everything the check needs besides the file; travels to the sandbox as JSON."""

    authors: tuple[AuthorIdentity, ...] = ()
    page_limit: int | None = 4
    max_pages: int = 50
    mode: str = "submission"
    declared_main_body_pages: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = [asdict(author) for author in self.authors]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckOptions:
        data = dict(data)
        authors = tuple(AuthorIdentity(**author) for author in data.pop("authors"))
        return cls(authors=authors, **data)


@dataclass
class Issue:
    code: str
    message: str


@dataclass
class CheckReport:
    ok: bool
    pages: int | None
    main_body_pages: int | None
    references_page: int | None
    page_size: str
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckReport:
        return cls(
            ok=bool(data["ok"]),
            pages=data["pages"],
            main_body_pages=data["main_body_pages"],
            references_page=data["references_page"],
            page_size=data["page_size"],
            errors=[Issue(**issue) for issue in data["errors"]],
            warnings=[Issue(**issue) for issue in data["warnings"]],
        )

    @classmethod
    def failed(
        cls, code: str, message: str, *, pages: int | None = None
    ) -> CheckReport:
        """A report for a file that could not be analysed at all."""
        return cls(
            ok=False,
            pages=pages,
            main_body_pages=None,
            references_page=None,
            page_size="",
            errors=[Issue(code, message)],
        )


def join_numbers(numbers: Sequence[int]) -> str:
    """Numbers as a phrase: 3; 3 and 5; 1, 3 and 5."""
    items = [str(n) for n in numbers]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def pages_phrase(numbers: Sequence[int]) -> str:
    """Page numbers as a phrase: page 3; pages 3 and 5."""
    return f"page{'s' if len(numbers) > 1 else ''} {join_numbers(numbers)}"
