"""The API documentation page in a browser: every endpoint, from haet alone (no
CDN), and accessible."""

import pytest

from tests.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documentation_lists_the_endpoints_without_a_cdn(page, live_server):
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))

    page.goto("/api/docs/")

    heading = page.get_by_role("heading", name="GET /api/submissions/", exact=True)
    assert heading.is_visible()
    assert page.get_by_role("heading", name="haet read-only API").is_visible()
    assert hosts == {live_server.url.split("/")[2]}
    assert_accessible(page)
