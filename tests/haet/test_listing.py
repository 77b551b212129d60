"""haet.listing: what ?q=&sort=&page=&per= do, whatever a visitor types."""

from dataclasses import dataclass
from urllib.parse import parse_qs

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from haet.listing import Listing, Sort
from haet.models import User

SORTS = [
    Sort("email", "Email", ["email"], value=lambda row: row.email),
    Sort("name", "Name", ["name"], value=lambda row: row.name),
]


@dataclass
class Row:
    email: str
    name: str


def listing(query: str = "", **kwargs) -> Listing:
    request = RequestFactory().get(f"/list/?{query}")
    return Listing(request, SORTS, default="email", **kwargs)


def params(querystring: str) -> dict:
    return parse_qs(querystring.removeprefix("?"))


ROWS = [Row(f"p{i:03}@x.org", "Same" if i % 2 else f"N{i:03}") for i in range(120)]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "", "1.5", "²"])
def test_a_bad_page_number_shows_the_first_page(page):
    shown = listing(f"page={page}").page_list(ROWS)

    assert shown.number == 1
    assert shown.start_index() == 1


@pytest.mark.parametrize("page", ["4", "999", "9" * 30, "9" * 5000])
def test_a_page_past_the_end_shows_the_last_page(page):
    shown = listing(f"page={page}").page_list(ROWS)

    assert shown.number == 3
    assert [r.email for r in shown.object_list][-1] == "p119@x.org"


@pytest.mark.parametrize("sort", ["nosuch", "-nosuch", "__class__", "--email", ""])
def test_an_unknown_sort_is_ignored(sort):
    found = listing(f"sort={sort}")

    assert (found.sort_key, found.descending) == ("email", False)
    assert found.page_list(ROWS).object_list[0].email == "p000@x.org"


def test_descending_sort_and_the_view_order_breaks_ties():
    found = listing("sort=-name&per=200")
    rows = found.page_list(ROWS).object_list

    names = [r.name for r in rows]
    assert names == sorted(names, reverse=True)
    same = [r.email for r in rows if r.name == "Same"]
    assert same == sorted(same)  # stable: equal names keep the view's order


def test_rows_without_a_value_come_last_both_ways():
    rows = [Row("a", None), Row("b", "x"), Row("c", None), Row("d", "y")]
    for sort, expected in (("name", "bdac"), ("-name", "dbac")):
        found = listing(f"sort={sort}").page_list(rows).object_list
        assert "".join(r.email for r in found) == expected


def test_per_page_only_from_the_offered_choices():
    assert listing("per=100").page_list(ROWS).paginator.per_page == 100
    assert listing("per=7").page_list(ROWS).paginator.per_page == 50
    assert listing("per=1000000").page_list(ROWS).paginator.per_page == 50
    assert listing("per=²").page_list(ROWS).paginator.per_page == 50


def test_search_reads_only_the_text_the_view_gives():
    found = listing("q=+p01  SAME ")
    shown = found.page_list(ROWS, text=lambda r: f"{r.email} {r.name}")

    assert found.q == "p01  SAME"
    assert [r.email for r in shown.object_list] == [
        f"p01{i}@x.org" for i in range(1, 10, 2)
    ]


def test_links_keep_the_other_parameters_and_reset_the_page():
    found = listing("status=held&q=ann&sort=-name&page=2&tag=a&tag=b")
    found.page_list(ROWS * 3)

    header = params(found.header("email")["url"])
    assert header == {
        "status": ["held"],
        "q": ["ann"],
        "sort": ["email"],
        "tag": ["a", "b"],
    }
    assert found.header("name")["aria_sort"] == "descending"
    assert found.header("email")["aria_sort"] == "none"
    assert params(found.header("name")["url"])["sort"] == ["name"]  # flips
    assert params(found.next_url)["page"] == ["3"]
    assert "page" not in params(found.previous_url)  # page 1 has no number
    assert params(found.previous_url)["status"] == ["held"]
    assert ("status", "held") in found.kept_params()
    assert ("sort", "-name") in found.kept_params()
    assert not {"q", "page"} & {name for name, _ in found.kept_params()}
    assert "q" not in params(found.clear_url)


def test_two_lists_on_one_page_read_their_own_parameters():
    request = RequestFactory().get("/list/?q=a&page=2&rq=b&rsort=-name")
    first = Listing(request, SORTS, default="email")
    second = Listing(request, SORTS, default="email", prefix="r")

    assert (first.q, first.sort_key, first.page_param) == ("a", "email", "2")
    assert (second.q, second.sort_value, second.page_param) == ("b", "-name", "1")
    assert params(second.header("email")["url"])["page"] == ["2"]  # the other's


def test_an_unknown_default_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown default sort"):
        Listing(RequestFactory().get("/"), SORTS, default="nosuch")


@pytest.mark.django_db
def test_a_queryset_is_searched_ordered_with_the_pk_last_and_paged():
    for i in range(7):
        User.objects.create(email=f"u{i}@x.org", name="Twin" if i < 4 else f"Z{i}")
    found = listing("q=twin&sort=-name&per=25", per_page=3)
    users = User.objects.filter(email__endswith="@x.org")

    page = found.page_queryset(users, ["name", "email"])

    assert page.paginator.count == 4
    assert page.paginator.per_page == 25
    twins = list(users.filter(name="Twin").order_by("-pk"))
    assert list(page.object_list) == twins  # ties broken by the pk, reversed too

    small = listing("page=3", per_page=3).page_queryset(users.order_by("?"))
    assert [u.email for u in small.object_list] == ["u6@x.org"]


def test_the_controls_render_without_javascript():
    found = listing("status=held&q=ann&sort=-name&page=2")
    found.page_list(ROWS, text=lambda r: r.email + " ann")

    html = render_to_string("haet/_list_controls.html", {"listing": found})

    assert '<form method="get"' in html
    assert "<script" not in html
    assert '<label for="id_q">Search</label>' in html
    assert 'value="ann"' in html
    assert '<input type="hidden" name="status" value="held">' in html
    assert '<input type="hidden" name="sort" value="-name">' in html
    assert "51\N{EN DASH}100 of 120" in html
    assert 'rel="prev"' in html
    assert 'rel="next"' in html
    header = render_to_string(
        "haet/_sort_header.html", {"column": found.header("name")}
    )
    assert 'aria-sort="descending"' in header


def test_nothing_found_is_said_plainly():
    found = listing("q=zzz")
    found.page_list(ROWS, text=lambda r: r.email)

    html = render_to_string("haet/_list_controls.html", {"listing": found})

    assert "Nothing matches “zzz”." in html
    assert "Clear search" in html
