"""The camera-ready section of the chairs' page of one submission: the proceedings
app's template tag `chair_camera_ready` draws it (decisions never imports
proceedings), for acceptances only."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from decisions.deciding import decide
from decisions.models import Outcome
from proceedings.camera_ready import grant_camera_ready_extension

pytestmark = pytest.mark.django_db

CAMERA_READY_DEADLINE = datetime(2022, 7, 1, 11, tzinfo=UTC)


def shown(at: datetime, conference) -> str:
    """A deadline as the pages show it (the `deadline` tag)."""
    template = Template("{% load haet %}{% deadline at conference %}")
    return template.render(Context({"at": at, "conference": conference}))


def chair_page(client, number: int) -> str:
    response = client.get(reverse("decisions:submission", args=[number]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_acceptance_shows_its_camera_ready_deadline_and_the_extension_form(
    world, chair, login
):
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    client = login(chair)

    page = chair_page(client, 1)

    assert "<h2>Camera-ready</h2>" in page
    assert '<span class="badge warn">missing</span>' in page
    assert f"Deadline: {shown(CAMERA_READY_DEADLINE, world.conference)}" in page
    extension_url = reverse("decisions:camera-ready-extension", args=[1])
    assert f'action="{extension_url}"' in page


def test_the_section_follows_an_extension_of_that_submission(world, chair, login):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    later = datetime(2022, 7, 8, 11, tzinfo=UTC)
    grant_camera_ready_extension(world.submission, until=later, by=chair)

    page = chair_page(login(chair), 1)

    assert f"Deadline: {shown(later, world.conference)}" in page
    assert shown(CAMERA_READY_DEADLINE, world.conference) not in page


@pytest.mark.parametrize("outcome", [None, Outcome.REJECT])
def test_no_camera_ready_section_without_an_acceptance(world, chair, login, outcome):
    if outcome:
        decide(world.other_submission, outcome, by=chair)

    page = chair_page(login(chair), 2)

    assert "<h2>Camera-ready</h2>" not in page
    assert "Extend this camera-ready deadline" not in page
    assert reverse("decisions:camera-ready-extension", args=[2]) not in page
