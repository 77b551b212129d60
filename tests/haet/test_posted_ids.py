"""Ids a page posts back from its hidden fields and selects: a value the page
never sends (letters, a decimal, a superscript digit, nothing) is answered 404
like a missing object, never with a server error. A crawl that posted ten bad
values into the fields of the chair forms it reached found these (ValueError
from `int()` or from a lookup of `pk="x"`)."""

import pytest
from django.urls import reverse

from haet.posted import posted_id

pytestmark = pytest.mark.django_db

BAD = ["x", "", "1.5", "²", "1e3", "%00"]
POSTS = [
    ("submissions:chair-tags", {"action": "update-tag"}, "tag"),
    ("submissions:chair-tags", {"action": "delete-tag"}, "tag"),
    ("submissions:chair-tags", {"action": "delete-search"}, "search"),
    ("reviews:area-chairs", {"action": "appoint"}, "user"),
    ("reviews:area-chairs", {"action": "dismiss"}, "user"),
    ("reviews:area-chairs", {"action": "assign", "area_chair": "1"}, "number"),
    ("reviews:assignments", {"action": "remove"}, "assignment"),
    ("schedule:boards", {}, "remove"),
    ("chair-awards", {}, "delete"),
]


@pytest.mark.parametrize(("url", "data", "field"), POSTS)
@pytest.mark.parametrize("value", BAD)
def test_a_posted_id_that_is_no_number_is_a_404(
    client, conference, chair, url, data, field, value
):
    client.force_login(chair)

    response = client.post(reverse(url), {**data, field: value})

    assert response.status_code == 404


def test_posted_id_reads_whole_numbers_only(rf):
    assert posted_id(rf.post("/", {"n": "42"}), "n") == 42
    assert posted_id(rf.post("/", {"n": " 7 "}), "n") == 7
    for value in BAD:
        with pytest.raises(Exception, match="No such n"):
            posted_id(rf.post("/", {"n": value}), "n")
