"""ETags, throttling, the schema and the documentation page, the token page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from api.models import ApiToken
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_conditional_get_answers_304_until_the_data_changes(world):
    client = token_client(world.author)
    first = client.get(reverse("api:submissions"))
    etag = first["ETag"]

    again = client.get(reverse("api:submissions"), HTTP_IF_NONE_MATCH=etag)
    world.s.title = "A new title"
    world.s.save()
    changed = client.get(reverse("api:submissions"), HTTP_IF_NONE_MATCH=etag)

    assert (first.status_code, again.status_code, changed.status_code) == (
        200,
        304,
        200,
    )
    assert "private" in first["Cache-Control"]
    assert "Authorization" in first["Vary"]


def test_each_token_has_its_own_rate_limit(world, settings):
    settings.API_RATE_PER_TOKEN = "3/min"
    cache.clear()
    one = token_client(world.author)
    other = token_client(world.author)

    answers = [one.get(reverse("api:topics")).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert other.get(reverse("api:topics")).status_code == 200


def test_anonymous_clients_are_limited_per_address(world, settings):
    settings.API_RATE_ANONYMOUS = "2/min"
    cache.clear()
    client = token_client(None)

    answers = [client.get(reverse("api:topics")).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_schema_and_docs_page(client, world):
    schema = client.get(reverse("api:schema"), {"format": "json"})
    docs = client.get(reverse("api:docs"))

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/submissions/", "/api/assigned/", "/api/awards/"} <= set(paths)
    assert list(paths["/api/submissions/"]) == ["get"]
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "<code>GET /api/submissions/</code>" in page
    assert "<code>q</code>" in page  # the search parameter, documented
    assert "<script" not in page.split("<main", 1)[1]


def test_token_is_shown_once_and_stored_as_a_hash(client, world):
    client.force_login(world.author)

    created = client.post(
        reverse("api:tokens"), {"name": "my script", "scope": "reviewing"}
    )
    key = created.context["new_key"]
    listed = client.get(reverse("api:tokens"))

    token = ApiToken.objects.get(user=world.author)
    assert key in created.content.decode()
    assert key not in listed.content.decode()
    assert len(token.key_hash) == 64
    assert token.key_hash != key
    api = token_client(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:submissions")).json()["count"] == 1


def test_only_chairs_may_give_the_chairing_scope(client, world):
    client.force_login(world.author)

    refused = client.post(
        reverse("api:tokens"), {"name": "sneaky", "scope": "chairing"}
    )

    assert refused.status_code == 400
    assert "chairing" in refused.content.decode()  # the form says it is no choice
    assert not ApiToken.objects.exists()


def test_a_blank_name_is_explained_and_keeps_the_scope(client, world):
    client.force_login(world.chair)

    response = client.post(reverse("api:tokens"), {"name": "  ", "scope": "public"})

    assert response.status_code == 400
    assert response.context["form"]["scope"].value() == "public"
    assert "This field is required" in response.content.decode()


def test_revoking_a_token_stops_it(client, world):
    client.force_login(world.author)
    created = client.post(reverse("api:tokens"), {"name": "x", "scope": "reviewing"})
    key = created.context["new_key"]
    token = ApiToken.objects.get(user=world.author)

    client.post(reverse("api:token-revoke", args=[token.pk]))

    api = token_client(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:topics")).status_code == 401
    token.refresh_from_db()
    assert token.is_revoked


def test_nobody_revokes_someone_elses_token(client, world):
    token = ApiToken.objects.create(
        user=world.chair, name="x", prefix="abc", key_hash="0" * 64
    )
    client.force_login(world.author)

    response = client.post(reverse("api:token-revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked
