"""Issue 14, item 5: bulk decisions have no default outcome, ask first ("Set 2
submissions to Reject?" with their numbers) and can be undone until release."""

import pytest
from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse

from decisions.deciding import decide, undo_bulk_decision
from decisions.models import Decision, DecisionLog, Outcome
from decisions.release import preview_release, release_decisions
from tests.decisions.conftest import PERSONAS
from tests.factories import SubmissionFactory
from tests.jobs.helpers import job_of, summary_of

pytestmark = pytest.mark.django_db


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def outcomes() -> dict[int, str]:
    return dict(Decision.objects.values_list("submission__number", "outcome"))


def bulk(client, numbers, outcome, **extra):
    """POST the bulk form; a confirmed one starts a background job (issue 14, item
    10), which runs on commit, as after a real request."""
    data = {"numbers": [str(n) for n in numbers], "outcome": outcome, **extra}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("decisions:bulk"), data)


def undo(client, data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("decisions:bulk-undo"), data)


def release_all(world, chair):
    _, tokens, _ = preview_release(world.conference, by=chair)
    return release_decisions(world.conference, tokens=tokens, by=chair)


def test_the_bulk_menu_starts_on_choose_a_decision(world, chair, login):
    response = login(chair).get(reverse("decisions:dashboard"))

    menu = response.text.split('id="bulk-outcome"', 1)[1].split("</select>", 1)[0]
    first_option = menu.split("<option", 2)[1]
    assert first_option.startswith(' value="" selected>Choose a decision')
    assert "required" in menu.split(">", 1)[0]


def test_bulk_decide_without_a_decision_changes_nothing(world, chair, login):
    response = bulk(login(chair), [1, 2], "", confirmed="on")

    assert texts(response) == ["Choose a decision first."]
    assert outcomes() == {}


def test_bulk_decide_asks_first_naming_the_submissions(world, chair, login):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)

    response = bulk(login(chair), [1, 2], "reject")

    assert response.status_code == 200
    assert "Set 2 submissions to Reject?" in response.text
    assert "#1</strong> Sparse training of transformers on FPGAs" in response.text
    assert "now: Accept (poster)" in response.text
    assert "#2</strong> Energy models of training on GPUs" in response.text
    assert "Set 2 submissions to Reject</button>" in response.text
    assert outcomes() == {1: "accept_poster"}  # nothing decided yet


def test_the_confirmation_decides_and_offers_the_undo(world, chair, login):
    client = login(chair)

    response = bulk(client, [1, 2], "reject", confirmed="on", querystring="sort=-mean")
    dashboard = client.get(reverse("decisions:dashboard"))

    # The job's page says what changed and leads back to the dashboard as it was.
    assert summary_of(response) == [
        "Reject: #1, #2. 2 decisions changed. You can undo this until the release."
    ]
    link = job_of(response).result["link"]["url"]
    assert link == reverse("decisions:dashboard") + "?sort=-mean"
    assert outcomes() == {1: "reject", 2: "reject"}
    undo = dashboard.context["last_bulk"]
    assert (undo.outcome_label, undo.undoable, undo.kept) == ("Reject", [1, 2], [])
    assert "Your last bulk decision: <strong>Reject</strong> on #1, #2" in (
        dashboard.text
    )


def test_undo_restores_what_the_bulk_decision_replaced(world, chair, login):
    decide(world.submission, Outcome.DESK_REJECT, reason="Out of scope.", by=chair)
    client = login(chair)
    bulk(client, [1, 2], "accept_oral", confirmed="on")
    bulk_id = client.get(reverse("decisions:dashboard")).context["last_bulk"].bulk_id

    response = undo(client, {"bulk_id": str(bulk_id), "querystring": "q=x"})

    link = job_of(response).result["link"]["url"]
    assert link == reverse("decisions:dashboard") + "?q=x"
    assert summary_of(response) == [
        "Undone: #1, #2 are back to their previous decision."
    ]
    assert outcomes() == {1: "desk_reject"}  # #2 was undecided before
    assert Decision.objects.get(submission__number=1).reason == "Out of scope."
    assert client.get(reverse("decisions:dashboard")).context["last_bulk"] is None


def test_undo_keeps_what_changed_since(world, chair, login):
    client = login(chair)
    bulk(client, [1, 2], "reject", confirmed="on")
    decide(world.other_submission, Outcome.ACCEPT_POSTER, by=chair)
    bulk_id = DecisionLog.objects.exclude(bulk_id=None).first().bulk_id

    offered = client.get(reverse("decisions:dashboard")).context["last_bulk"]
    response = undo(client, {"bulk_id": bulk_id})

    assert (offered.undoable, offered.kept) == ([1], [2])
    assert summary_of(response) == [
        "Undone: #1 are back to their previous decision.",
        "Kept as they are (changed, released or withdrawn since): #2.",
    ]
    assert outcomes() == {2: "accept_poster"}


def test_there_is_no_undo_after_release(world, chair, login, mailoutbox):
    client = login(chair)
    bulk(client, [1, 2], "reject", confirmed="on")
    bulk_id = DecisionLog.objects.exclude(bulk_id=None).first().bulk_id
    release_all(world, chair)

    dashboard = client.get(reverse("decisions:dashboard"))
    result = undo_bulk_decision(bulk_id, by=chair)

    assert dashboard.context["last_bulk"] is None
    assert "Your last bulk decision" not in dashboard.text
    assert (result.restored, result.kept) == ([], [1, 2])
    assert outcomes() == {1: "reject", 2: "reject"}


def test_an_undo_is_not_itself_offered_for_undo(world, chair, login):
    client = login(chair)
    bulk(client, [1], "reject", confirmed="on")
    bulk(client, [2], "accept_oral", confirmed="on")
    last = client.get(reverse("decisions:dashboard")).context["last_bulk"]
    undo(client, {"bulk_id": last.bulk_id})

    # The earlier bulk decision (#1) is the one left to undo.
    offered = client.get(reverse("decisions:dashboard")).context["last_bulk"]

    assert offered is None or offered.undoable == [1]
    assert outcomes() == {1: "reject"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_bulk_undo_by_persona(world, chair, login, persona):
    """Only the chair who made the bulk decision undoes it; everybody else gets
    the login page (anonymous), a 404 (not a chair) or a refusal naming nothing."""
    client = login(chair)
    bulk(client, [2], "reject", confirmed="on")
    bulk_id = str(DecisionLog.objects.exclude(bulk_id=None).get().bulk_id)
    client.logout()
    client = login(world.user(persona))

    response = undo(client, {"bulk_id": bulk_id})

    if persona == "chair":
        assert summary_of(response) == [
            "Undone: #2 are back to their previous decision."
        ]
        assert outcomes() == {}
        return
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif persona == "conflicted_chair":  # the job fails, naming nothing
        job = job_of(response)
        assert (job.status, job.error) == (
            "failed",
            "There is no such bulk decision of yours to undo.",
        )
    else:
        assert response.status_code == 404
    assert outcomes() == {2: "reject"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_bulk_confirmation_by_persona(world, chair, login, persona):
    response = bulk(login(world.user(persona)), [1, 2], "reject")

    if persona == "chair":
        assert "Set 2 submissions to Reject?" in response.text
    elif persona == "conflicted_chair":  # #1 is hidden from them
        assert "Set 1 submission to Reject?" in response.text
        assert "Sparse training" not in response.text
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404
    assert outcomes() == {}


def test_bulk_confirmation_warns_of_corrections_after_release(world, chair, login):
    decide(world.submission, Outcome.ACCEPT_POSTER, by=chair)
    release_all(world, chair)
    SubmissionFactory(
        conference=world.conference, number=3, contact=world.author, title="Third"
    )

    response = bulk(login(chair), [1, 3], "reject")

    assert "Set 2 submissions to Reject?" in response.text
    assert "1 of these decisions was already sent to the authors" in response.text
    assert 'name="confirm_correction"' in response.text


def test_a_malformed_undo_starts_no_job(world, chair, login):
    response = undo(login(chair), {"bulk_id": "not-a-uuid", "querystring": "q=x"})

    assert response["Location"] == reverse("decisions:dashboard") + "?q=x"
    assert texts(response) == ["There is no such bulk decision of yours to undo."]
