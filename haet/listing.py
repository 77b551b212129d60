"""Search, sort and paging for list pages, server-side and without JavaScript.

A view declares what may be sorted and searched; `Listing` reads `?q=&sort=&page=&per=`
from the request, ignores anything it does not know (an unknown column, a page past
the end, a `per` not offered) and pages either a QuerySet (two queries: count and
slice, whatever the size) or a list the view already built (no query at all).
`templates/haet/_list_controls.html` draws the search form and the pager,
`{% sort_header listing "key" %}` (haet tag library) a sortable column header.
Every link keeps the page's other GET parameters, such as its filters.

Search runs on the queryset the view already narrowed to what the viewer may see,
so it can neither look at nor reveal anything else.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, QueryDict

PER_PAGE = 50
PER_CHOICES = (25, 50, 100, 200)
MAX_QUERY = 200  # characters of a search kept; the rest is ignored


@dataclass(frozen=True)
class Sort:
    """One sortable column: `key` in the URL, `label` in the header, `fields` the
    ORM order (querysets) or `value` the key function (lists)."""

    key: str
    label: str
    fields: Sequence[str] = ()
    value: Callable[[Any], Any] | None = None


def search_terms(q: str) -> list[str]:
    return q.split()[:10]


def text_filter(fields: Sequence[str], q: str) -> Q:
    """Every word of `q` in at least one of `fields` (case-insensitive)."""
    condition = Q()
    for term in search_terms(q):
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        condition &= any_field
    return condition


PERSON_FIELDS = ("name", "first_name", "last_name", "email")


def person_match(q: str, path: str = "") -> Q:
    """Every word of `q` in a user's name or email, the user reached through `path`."""
    return text_filter([f"{path}{field}" for field in PERSON_FIELDS], q)


def text_matches(text: str, q: str) -> bool:
    """The list counterpart of `text_filter`: every word of `q` is in `text`."""
    haystack = text.casefold()
    return all(term.casefold() in haystack for term in search_terms(q))


class Listing:
    """What one list on a page shows: search words, order and page.

    `prefix` tells apart two lists on one page ("r": `rq`, `rsort`, `rpage`, `rper`).
    """

    def __init__(
        self,
        request: HttpRequest,
        sorts: Sequence[Sort] = (),
        *,
        default: str = "",
        prefix: str = "",
        per_page: int | None = None,
        searchable: bool = True,
        search_label: str = "Search",
    ) -> None:
        self.request = request
        self.prefix = prefix
        self.sorts = {sort.key: sort for sort in sorts}
        self.searchable = searchable
        self.search_label = search_label
        self.params: QueryDict = request.GET
        get = self.params.get
        self.q = get(self.name("q"), "").strip()[:MAX_QUERY] if searchable else ""
        self.sort_key, self.descending = self._parse_sort(get(self.name("sort"), ""))
        if self.sort_key is None:
            self.sort_key, self.descending = self._parse_sort(default)
        if self.sort_key is None and sorts:
            raise ValueError(f"unknown default sort {default!r}")
        per = get(self.name("per"), "")
        known = per.isdecimal() and int(per) in PER_CHOICES
        # PER_PAGE read now, not at import: a test may set a small page.
        self.per_page = int(per) if known else (per_page or PER_PAGE)
        self.page_param = get(self.name("page"), "1")
        self.page: Page | None = None

    # --- reading the request -----------------------------------------------------

    def name(self, param: str) -> str:
        return f"{self.prefix}{param}"

    def _parse_sort(self, value: str) -> tuple[str | None, bool]:
        descending = value.startswith("-")
        key = value.removeprefix("-")
        return (key, descending) if key in self.sorts else (None, False)

    @property
    def sort_value(self) -> str:
        return f"-{self.sort_key}" if self.descending else str(self.sort_key)

    # --- paging ------------------------------------------------------------------

    def paginate(self, items: Any, count: int | None = None) -> Page:
        """Only the paging, for rows a view searched and sorted itself."""
        paginator = Paginator(items, self.per_page, allow_empty_first_page=True)
        if count is not None:  # known already: spare the COUNT query
            paginator.__dict__["count"] = count
        # Not a number, or below 1: the first page; past the end: the last.
        number = self.page_param.strip()
        if not number.isdecimal():
            wanted = 1  # "abc", "-1", "1.5"
        else:  # a thousand digits is just "very far": the last page
            wanted = int(number) if len(number) < 10 else 10**9
        self.page = paginator.get_page(max(wanted, 1))
        return self.page

    def page_queryset(
        self,
        queryset: QuerySet,
        search: Sequence[str] | Callable[[QuerySet, str], QuerySet] = (),
        *,
        total: int | None = None,
    ) -> Page:
        """Search (fields, or a function of the queryset and the words), order with
        the pk as the last key, and page: a count and one slice. `total`: the size
        of `queryset` when the view counted it anyway (used while not searching)."""
        if self.q:
            if callable(search):
                queryset = search(queryset, self.q)
            elif search:
                # pk__in keeps rows single when a field crosses a to-many relation.
                matching = queryset.model._default_manager.filter(
                    text_filter(search, self.q)
                ).values("pk")
                queryset = queryset.filter(pk__in=matching)
        order = []
        sort = self.sorts.get(str(self.sort_key))
        for field in [*(sort.fields if sort else ()), "pk"]:
            # "-field" in a Sort: that column's natural order is descending.
            down = field.startswith("-") != self.descending
            expression = F(field.removeprefix("-"))
            order.append(
                expression.desc(nulls_last=True)
                if down
                else expression.asc(nulls_last=True)
            )
        known = None if self.q else total
        return self.paginate(queryset.order_by(*order), count=known)

    def page_list(
        self,
        items: Iterable[Any],
        text: Callable[[Any], str] | None = None,
        *,
        match: Callable[[Any, str], bool] | None = None,
    ) -> Page:
        """The same for rows built in Python: `text(row)` is what search reads (or
        `match(row, q)` decides). Python's sort is stable, so equal rows keep the
        view's order."""
        rows = list(items)
        if self.q and match is not None:
            rows = [row for row in rows if match(row, self.q)]
        elif self.q and text is not None:
            rows = [row for row in rows if text_matches(text(row), self.q)]
        sort = self.sorts.get(str(self.sort_key))
        if sort is not None and sort.value is not None:
            value = sort.value
            present = [row for row in rows if value(row) is not None]
            present.sort(key=value, reverse=self.descending)
            # Rows without a value go last either way, in the view's order.
            rows = present + [row for row in rows if value(row) is None]
        elif sort is not None and self.descending:
            rows.reverse()
        return self.paginate(rows)

    # --- links -------------------------------------------------------------------

    def querystring(self, **changes: Any) -> str:
        """`?…` of the current GET with `changes` (unprefixed names; None drops)."""
        params = self.params.copy()
        for param, value in changes.items():
            name = self.name(param)
            if value is None or value == "":
                params.pop(name, None)
            else:
                params[name] = str(value)
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else "?"

    def kept_params(self) -> list[tuple[str, str]]:
        """GET parameters the search form carries along (filters, sort, per)."""
        own = {self.name("q"), self.name("page")}
        return [
            (k, v) for k, values in self.params.lists() if k not in own for v in values
        ]

    def header(self, key: str) -> dict:
        sort = self.sorts[key]
        current = key == self.sort_key
        descending_next = current and not self.descending
        return {
            "label": sort.label,
            "url": self.querystring(
                sort=f"-{key}" if descending_next else key, page=None
            ),
            "aria_sort": (
                ("descending" if self.descending else "ascending")
                if current
                else "none"
            ),
            "current": current,
            "descending": self.descending,
        }

    @property
    def headers(self) -> dict[str, dict]:
        return {key: self.header(key) for key in self.sorts}

    @property
    def per_links(self) -> list[tuple[int, str, bool]]:
        return [
            (n, self.querystring(per=n, page=None), n == self.per_page)
            for n in PER_CHOICES
        ]

    def page_url(self, number: int) -> str:
        return self.querystring(page=None if number == 1 else number)

    @property
    def previous_url(self) -> str:
        if self.page is None or not self.page.has_previous():
            return ""
        return self.page_url(self.page.previous_page_number())

    @property
    def next_url(self) -> str:
        if self.page is None or not self.page.has_next():
            return ""
        return self.page_url(self.page.next_page_number())

    @property
    def clear_url(self) -> str:
        return self.querystring(q=None, page=None)
