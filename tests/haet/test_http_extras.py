"""Compressed pages and the favicon."""

import gzip

import pytest
from django.urls import reverse

from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_submissions(conference, author):
    for number in range(1, 41):
        SubmissionFactory(
            conference=conference,
            contact=author,
            uploaded=True,
            number=number,
            title=f"Efficient training {number}",
        )


def test_big_page_is_sent_gzip_when_asked(client, chair, many_submissions):
    client.force_login(chair)
    url = reverse("submissions:chair-list")

    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    plain = client.get(url)

    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    page = gzip.decompress(compressed.content).decode()
    assert "Efficient training 40" in page
    assert len(compressed.content) < len(plain.content) / 3
    assert not plain.has_header("Content-Encoding")


def test_file_downloads_are_not_compressed(client, author, many_submissions):
    client.force_login(author)

    response = client.get(
        reverse("submissions:paper", args=[1]), headers={"accept-encoding": "gzip"}
    )

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_favicon_answers_and_pages_link_it(client, conference):
    icon = client.get("/favicon.ico")
    home = client.get(reverse("home")).content.decode()

    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert '<link rel="icon" href="/favicon.ico"' in home
    assert 'href="/static/haet/favicon.svg" type="image/svg+xml"' in home
