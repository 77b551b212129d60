"""Each persona through the API, with a token: what they see, and what not."""

import json

import pytest
from django.urls import reverse

from api.models import ApiToken
from tests.api.conftest import O_AUTHOR, O_TITLE, S_TITLE, token_client

pytestmark = pytest.mark.django_db


def get(client, name, **kwargs):
    response = client.get(reverse(f"api:{name}", kwargs=kwargs or None))
    return response


def numbers(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def test_anonymous_sees_public_data_only(world):
    client = token_client(None)

    assert get(client, "conference").json()["acronym"] == "HAET 2022"
    assert get(client, "topics").json()["count"] == world.s.conference.topics.count()
    assert get(client, "accepted").json()["results"] == []  # nothing released
    for name in ("submissions", "assigned", "assignments", "reviews", "decisions"):
        assert get(client, name).status_code == 401, name
    assert get(client, "submission", number=world.s.number).status_code == 401
    internal = [d["kind"] for d in get(client, "conference").json()["dates"]]
    assert "review" not in internal  # internal dates: chairs only


def test_author_sees_own_submissions_without_reviewer_identities(world):
    client = token_client(world.author)

    assert numbers(get(client, "submissions")) == [world.s.number]
    detail = get(client, "submission", number=world.s.number)
    assert detail.json()["title"] == S_TITLE
    assert get(client, "submission", number=world.o.number).status_code == 404
    assert get(client, "reviews").json()["results"] == []
    assert get(client, "assignments").json()["results"] == []
    assert world.reviewer.name not in text(detail)


def test_reviewer_sees_blind_submissions_only(world):
    client = token_client(world.reviewer)

    assigned = get(client, "assigned").json()["results"]
    assert [a["submission"]["number"] for a in assigned] == [
        world.s.number,
        world.o.number,
    ]
    assert assigned[0]["submission"]["title"] == S_TITLE
    body = text(get(client, "assigned"))
    for identity in (*O_AUTHOR, world.author.email, world.author.name):
        assert identity not in body
    assert set(assigned[0]["submission"]) == {
        "number",
        "title",
        "abstract",
        "keywords",
        "topics",
        "pdf_url",
        "is_withdrawn",
    }
    # Not an author: the author-facing endpoints give nothing.
    assert numbers(get(client, "submissions")) == []
    reviews = get(client, "reviews").json()["results"]
    assert [(r["submission"], r["pseudonym"]) for r in reviews] == [
        (world.s.number, "Reviewer 1")
    ]
    assert "reviewer" not in reviews[0]


def test_conflicted_reviewer_does_not_see_the_submission(world):
    client = token_client(world.conflicted_reviewer)

    assert get(client, "assigned").json()["results"] == []
    assert get(client, "assignments").json()["results"] == []
    assert O_TITLE not in text(get(client, "assigned"))


def test_chair_sees_everything_with_reviewer_names(world):
    client = token_client(world.chair)

    assert numbers(get(client, "submissions")) == [world.s.number, world.o.number]
    detail = get(client, "submission", number=world.o.number).json()
    assert [a["email"] for a in detail["authors"]] == [
        O_AUTHOR[1],
        "cochair@example.org",
    ]
    reviews = get(client, "reviews").json()["results"]
    assert [(r["submission"], r["reviewer"]) for r in reviews] == [
        (world.s.number, "Rita Reviewer")
    ]
    assignments = get(client, "assignments").json()["results"]
    assert {a["submission"] for a in assignments} == {world.s.number, world.o.number}
    kinds = [d["kind"] for d in get(client, "conference").json()["dates"]]
    assert "review" in kinds


def test_conflicted_chair_does_not_see_the_submission(world):
    client = token_client(world.conflicted_chair)

    assert numbers(get(client, "submissions")) == [world.s.number]
    assert get(client, "submission", number=world.o.number).status_code == 404
    assignments = get(client, "assignments").json()["results"]
    assert {a["submission"] for a in assignments} == {world.s.number}
    for name in ("submissions", "assignments", "reviews", "decisions"):
        assert O_TITLE not in text(get(client, name)), name
        assert f'"submission": {world.o.number}' not in text(get(client, name))


def test_a_chairs_reviewing_token_reads_without_the_chair_role(world):
    client = token_client(world.chair, scope=ApiToken.Scope.REVIEWING)

    assert numbers(get(client, "submissions")) == []
    assert get(client, "assignments").json()["results"] == []


def test_a_public_token_reads_as_anonymous(world):
    client = token_client(world.chair, scope=ApiToken.Scope.PUBLIC)

    assert numbers(get(client, "submissions")) == []
    assert get(client, "reviews").json()["results"] == []


def test_search_language_filters_and_explains_a_bad_query(world):
    client = token_client(world.chair)

    found = client.get(reverse("api:submissions"), {"q": "sparsity"})
    assert numbers(found) == [world.s.number]
    bad = client.get(reverse("api:submissions"), {"q": "status:"})
    assert bad.status_code == 400
    assert "status:" in bad.json()["detail"]


def test_reviewer_search_is_blind(world):
    client = token_client(world.reviewer)

    found = client.get(reverse("api:assigned"), {"q": f'author:"{O_AUTHOR[0]}"'})

    assert found.status_code == 400  # author: is not available to reviewers


def test_a_revoked_or_wrong_token_is_refused(world):
    client = token_client(world.author)
    ApiToken.objects.update(revoked_at="2022-06-01T00:00:00Z")

    assert get(client, "submissions").status_code == 401
    wrong = token_client(None)
    wrong.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert get(wrong, "topics").status_code == 401


def test_writes_are_refused(world):
    client = token_client(world.chair)

    response = client.post(reverse("api:submissions"), {"title": "x"})

    assert response.status_code == 405
