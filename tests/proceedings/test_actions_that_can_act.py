"""Issue 14, item 9: an action is offered only when it can act, else the page says
why. The camera-ready reminder waits for the release; the BibTeX and ZIP exports
are not offered (nor downloaded empty) while they would hold nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from decisions.deciding import clear_decision, decide
from decisions.models import Outcome
from decisions.release import preview_release, release_decisions
from proceedings.camera_ready import CameraReadyData, save_camera_ready
from tests.decisions.conftest import LEAK_EMAIL, PERSONAS
from tests.jobs.helpers import summary_of

pytestmark = pytest.mark.django_db

BEFORE_CAMERA_READY = "2022-06-20T12:00:00Z"


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def release(world, chair):
    _, tokens, _ = preview_release(world.conference, by=chair)
    release_decisions(world.conference, tokens=tokens, by=chair, notify=False)


@pytest.fixture
def accepted_unreleased(world, chair, frozen):
    frozen(BEFORE_CAMERA_READY)
    decide(world.submission, Outcome.ACCEPT_ORAL, by=chair)
    decide(world.other_submission, Outcome.ACCEPT_POSTER, by=chair)
    return world


# --- the camera-ready reminder -----------------------------------------------------
def test_no_reminder_is_offered_before_the_release(
    accepted_unreleased, login, mailoutbox, committed
):
    client = login(accepted_unreleased.chair)

    page = client.get(reverse("decisions:camera-ready-progress"))
    posted = committed(client.post, reverse("decisions:camera-ready-progress"))

    assert page.context["missing_count"] == 2
    assert page.context["remindable_count"] == 0
    assert "Remind the authors" not in page.text
    assert (
        "2 accepted submissions without a camera-ready have no reminder: their "
        "authors are not told of the acceptance until you"
    ) in page.text
    assert reverse("decisions:release") in page.text.split('id="reminders-wait"')[1]
    # A background job (issue 14, item 10): its page says what it did.
    assert summary_of(posted) == [
        "No reminder sent: no author of a released acceptance is missing a "
        "camera-ready, or each was reminded today already."
    ]
    assert mailoutbox == []


def test_the_reminder_counts_only_released_acceptances(
    accepted_unreleased, chair, login, mailoutbox, committed
):
    world = accepted_unreleased
    clear_decision(world.other_submission, by=chair)
    release(world, chair)  # #1 only
    decide(world.other_submission, Outcome.ACCEPT_POSTER, by=chair)  # not released
    client = login(chair)

    page = client.get(reverse("decisions:camera-ready-progress"))
    posted = committed(client.post, reverse("decisions:camera-ready-progress"))
    again = committed(client.post, reverse("decisions:camera-ready-progress"))

    assert "Remind the authors of the 1 missing" in page.text
    assert "1 accepted submission without a camera-ready has no reminder" in (page.text)
    assert summary_of(posted) == ["3 reminder mails queued."]  # the 3 authors of #1
    assert summary_of(again)[-1].startswith("No reminder sent")  # once a day
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["author@example.org", "cora@coauthors.example", LEAK_EMAIL]
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_camera_ready_progress_by_persona(accepted_unreleased, login, persona):
    response = login(accepted_unreleased.user(persona)).get(
        reverse("decisions:camera-ready-progress")
    )

    if persona == "chair":
        assert response.context["unreleased_count"] == 2
    elif persona == "conflicted_chair":  # #1 is hidden from them
        assert response.context["unreleased_count"] == 1
        assert "Sparse training" not in response.text
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404


# --- exports -------------------------------------------------------------------------
def test_exports_before_release_offer_nothing_empty(accepted_unreleased, login):
    client = login(accepted_unreleased.chair)

    page = client.get(reverse("decisions:exports"))
    bib = client.get(reverse("decisions:export-bibtex"))
    archive = client.get(reverse("decisions:export-zip"))
    listing = client.get(reverse("decisions:export-accepted-csv"))

    assert reverse("decisions:export-bibtex") not in page.text
    assert reverse("decisions:export-zip") not in page.text
    assert reverse("decisions:export-accepted-csv") not in page.text
    assert "No acceptance has been released yet" in page.text
    for response in (bib, archive, listing):
        assert response.status_code == 302
        assert response["Location"] == reverse("decisions:exports")
    assert texts(listing)[-1] == (
        "Nothing to download: No acceptance has been released yet: the exports "
        "list released acceptances only."
    )


def test_bibtex_and_zip_say_why_they_are_empty(accepted_unreleased, chair, login):
    release(accepted_unreleased, chair)
    client = login(chair)

    page = client.get(reverse("decisions:exports"))
    bib = client.get(reverse("decisions:export-bibtex"))

    assert reverse("decisions:export-accepted-csv") in page.text
    assert reverse("decisions:export-bibtex") not in page.text
    assert (
        "None of the 2 accepted papers is in the proceedings yet: their authors "
        "opt in on the camera-ready page."
    ) in page.text
    assert bib["Location"] == reverse("decisions:exports")
    assert texts(bib)[-1].startswith("Nothing to download: None of the 2 accepted")


def test_zip_waits_for_a_pdf_while_bibtex_is_offered(accepted_unreleased, chair, login):
    world = accepted_unreleased
    release(world, chair)
    save_camera_ready(
        world.submission,
        CameraReadyData(
            title="Sparse Training",
            authors=[{"name": "Ada Author", "email": "", "affiliation": "Uni A"}],
            include_in_proceedings=True,
            copyright_accepted=True,
        ),
        by=world.author,
    )
    client = login(chair)

    page = client.get(reverse("decisions:exports"))
    bib = client.get(reverse("decisions:export-bibtex"))
    archive = client.get(reverse("decisions:export-zip"))

    assert bib.status_code == 200
    assert b"@inproceedings{haet2022-1" in bib.content
    assert reverse("decisions:export-bibtex") in page.text
    assert "(1 entry)" in page.text
    assert reverse("decisions:export-zip") not in page.text
    assert (
        "None of the papers in the proceedings (1) has its camera-ready PDF yet."
    ) in page.text
    assert archive["Location"] == reverse("decisions:exports")


@pytest.mark.parametrize("persona", PERSONAS)
def test_exports_page_by_persona(accepted_unreleased, login, persona):
    client = login(accepted_unreleased.user(persona))

    page = client.get(reverse("decisions:exports"))
    bib = client.get(reverse("decisions:export-bibtex"))

    if persona in ("chair", "conflicted_chair"):
        assert page.status_code == 200
        assert bib["Location"] == reverse("decisions:exports")
    elif persona == "anonymous":
        assert page.status_code == bib.status_code == 302
        assert reverse("account_login") in page["Location"]
    else:
        assert page.status_code == bib.status_code == 404


def test_exports_start_from_a_search(accepted_unreleased, chair, login):
    """Issue 15: every export can start from a search (or a saved one); a conflicted
    chair's search never looks at their own submission."""
    world = accepted_unreleased
    release(world, chair)
    client = login(chair)

    page = client.get(reverse("decisions:exports"), {"q": "GPUs"})
    found = client.get(reverse("decisions:export-accepted-csv"), {"q": "GPUs"})
    everything = client.get(reverse("decisions:export-accepted-csv"))
    nothing = client.get(reverse("decisions:export-accepted-csv"), {"q": "zebra"})
    broken = client.get(reverse("decisions:exports"), {"q": "score:>>"})
    conflicted = login(world.conflicted_chair).get(
        reverse("decisions:export-accepted-csv"), {"q": "training"}
    )

    assert reverse("decisions:export-accepted-csv") + "?q=GPUs" in page.text
    body = found.getvalue().decode()
    assert "Energy models" in body
    assert "Sparse training" not in body
    assert "Sparse training" in everything.getvalue().decode()
    assert nothing["Location"] == reverse("decisions:exports") + "?q=zebra"
    assert texts(nothing)[-1] == (
        "Nothing to download: The search finds no released acceptance."
    )
    assert "The search could not run" in broken.text
    conflicted_body = conflicted.getvalue().decode()
    assert "Energy models" in conflicted_body
    assert "Sparse training" not in conflicted_body
