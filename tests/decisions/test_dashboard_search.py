"""The acceptance table and its CSV start from the submissions search language
(e.g. a saved search); the conflicted chair's search never reaches what they may
not see."""

import csv
import io

import pytest
from django.urls import reverse

from submissions.tagging import save_search

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("decisions:dashboard")


def numbers_in_csv(response) -> list[str]:
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return [row[0] for row in rows[1:]]


def test_dashboard_and_csv_narrowed_by_a_search(world, client):
    client.force_login(world.chair)
    response = client.get(DASHBOARD, {"search": "fpgas OR energy -gpus"})
    assert [row.number for row in response.context["rows"]] == [1]
    csv_response = client.get(reverse("decisions:export-table"), {"search": "gpus"})
    assert numbers_in_csv(csv_response) == ["2"]


def test_saved_searches_are_offered_and_bad_queries_say_where(world, client):
    save_search(
        world.conference,
        name="On GPUs",
        query="gpus",
        shared=True,
        auto_tag=None,
        by=world.chair,
    )
    client.force_login(world.chair)
    page = client.get(DASHBOARD).content.decode()
    assert '<a href="?search=gpus">On GPUs</a>' in page
    response = client.get(DASHBOARD, {"search": "gpus OR"})
    assert response.context["rows"] == []
    assert "OR needs a term on each side. (at character 6)" in response.content.decode()


def test_a_conflicted_chair_searches_only_what_they_see(world, client):
    client.force_login(world.conflicted_chair)
    response = client.get(DASHBOARD, {"search": "sparse OR energy"})
    assert [row.number for row in response.context["rows"]] == [2]


def test_the_table_shows_the_tags_the_chair_may_see(world, client):
    from submissions.tagging import create_tag, tag_submissions

    def tag(name, colour, visibility, submission):
        made = create_tag(
            world.conference,
            name=name,
            colour=colour,
            visibility=visibility,
            by=world.chair,
        )
        tag_submissions(made, [submission], by=world.chair)

    tag("hot", "red", "chairs", world.other_submission)
    tag("mine", "blue", "private", world.other_submission)
    tag("hidden", "green", "chairs", world.submission)
    client.force_login(world.chair)
    page = client.get(DASHBOARD).content.decode()
    assert '<span class="tag tag-red">#hot</span>' in page
    assert '<span class="tag tag-blue">#mine</span>' in page
    assert '<span class="tag tag-green">#hidden</span>' in page
    client.force_login(world.conflicted_chair)
    page = client.get(DASHBOARD).content.decode()
    assert "#hot" in page
    assert "#mine" not in page  # someone else's private tag
    assert "#hidden" not in page  # on a submission they are conflicted with
