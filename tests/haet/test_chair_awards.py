"""One editor for an award category (issue 14 item 4): the awards app's page edits
its call-for-papers fields with its judging settings; haet's "Award categories"
shows them as the call does, links that editor and only removes one."""

import lxml.html
import pytest
from django.urls import reverse

from haet.models import AwardCategory

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_awards_and_links_the_one_editor(client, conference, chair):
    client.force_login(chair)

    html = client.get(reverse("chair-awards")).content.decode()

    document = lxml.html.fromstring(html)
    names = [a.name for a in conference.award_categories.order_by("order", "pk")]
    assert names  # the seeded call has awards
    assert [h.text_content() for h in document.xpath("//main//h2")] == names
    # No field of a category to type into here: nothing to edit twice.
    fields = document.xpath("//main//input[not(@type='hidden')] | //main//textarea")
    assert fields == []
    assert f'href="{reverse("awards:chair-list")}"' in html
    assert f'href="{reverse("awards:chair-new")}"' in html


def test_the_awards_editor_holds_the_call_for_papers_fields(client, conference, chair):
    client.force_login(chair)
    found = conference.award_categories.first()
    client.get(reverse("awards:chair-list"))  # creates the settings rows
    slug = found.award_settings.slug

    html = client.get(reverse("awards:chair-edit", args=[slug])).content.decode()

    for name in ("c-name", "c-sponsor", "c-amount", "c-details", "c-description"):
        assert f'name="{name}"' in html


def test_a_chair_removes_an_award(client, conference, chair):
    client.force_login(chair)
    award = conference.award_categories.first()

    # First the page asks, naming what would go with it, and removes nothing.
    asked = client.post(reverse("chair-awards"), {"delete": award.pk})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert f"Remove “{award.name}” from the call?" in html
    assert "This cannot be undone." in html
    assert AwardCategory.objects.filter(pk=award.pk).exists()

    response = client.post(
        reverse("chair-awards"), {"delete": award.pk, "confirm": "yes"}
    )

    assert response.status_code == 302
    assert not AwardCategory.objects.filter(pk=award.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert f"Removed “{award.name}” from the call." in page


def test_removing_nothing_or_another_conference_s_award_is_404(
    client, conference, chair
):
    client.force_login(chair)
    count = AwardCategory.objects.count()

    assert client.post(reverse("chair-awards"), {}).status_code == 404
    assert client.post(reverse("chair-awards"), {"delete": "x"}).status_code == 404
    assert client.post(reverse("chair-awards"), {"delete": 10**6}).status_code == 404
    assert AwardCategory.objects.count() == count


@pytest.mark.parametrize("persona", ["anonymous", "author", "reviewer"])
def test_others_remove_nothing(client, conference, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    award = conference.award_categories.first()

    response = client.post(
        reverse("chair-awards"), {"delete": award.pk, "confirm": "yes"}
    )

    assert response.status_code in (302, 404)
    assert AwardCategory.objects.filter(pk=award.pk).exists()
