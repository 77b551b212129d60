"""A submission field option that enters a prize (issue 15): answering it enters
the submission, changing it withdraws the entry (refused once frozen), saving or
withdrawing on the award page writes the answer back, the awards pages say the
same, chairs link an option on the award's settings page and the HAET seed links
its prize field."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.entering import save_entry, withdraw_entry
from awards.entry_links import declared_ids, is_declared
from awards.models import AwardSettings, Entry, Kind
from awards.seed import seed_awards
from submissions.fields.seed import PRIZES, seed_fields
from submissions.fields.services import set_answer
from submissions.models import FieldAnswer, SubmissionField
from tests.awards.conftest import AFTER_DEADLINE, BEFORE_DEADLINE, FASTEST
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ENERGY_PRIZE, FASTEST_PRIZE = PRIZES


@pytest.fixture
def linked(world, frozen):
    """The HAET fields and the awards seed's link of the prize field."""
    frozen(BEFORE_DEADLINE)
    world.field = seed_fields(world.conference)["prize"]
    seed_awards(None, conference=world.conference, accounts={}, stdout=io.StringIO())
    for found in world.settings.values():
        found.refresh_from_db()
    return world


def answer(world, submission=None):
    found = FieldAnswer.objects.filter(
        field=world.field, submission=submission or world.submission
    ).first()
    return found.value if found else None


def test_the_seed_links_its_prize_field_to_the_two_prizes(linked):
    links = {
        found.kind: (found.entry_field, found.entry_choice)
        for found in AwardSettings.objects.filter(award__conference=linked.conference)
    }

    assert links == {
        Kind.BEST_SUBMISSION: (None, ""),
        Kind.ENERGY_HARDWARE: (linked.field, ENERGY_PRIZE),
        Kind.FASTEST_TRAINING: (linked.field, FASTEST_PRIZE),
    }


def test_answering_the_field_enters_the_prize(linked):
    set_answer(linked.submission, linked.field, [FASTEST_PRIZE], by=linked.author)

    fastest = linked.settings[Kind.FASTEST_TRAINING]
    energy = linked.settings[Kind.ENERGY_HARDWARE]
    assert is_declared(fastest, linked.submission) is True
    assert is_declared(energy, linked.submission) is False
    assert declared_ids(fastest) == {linked.submission.pk}


def test_changing_the_answer_withdraws_the_entry(linked):
    set_answer(
        linked.submission, linked.field, [ENERGY_PRIZE, FASTEST_PRIZE], by=linked.author
    )
    save_entry(linked.fastest, linked.submission, data=FASTEST, by=linked.author)

    set_answer(linked.submission, linked.field, [ENERGY_PRIZE], by=linked.author)

    assert not Entry.objects.filter(award=linked.fastest).exists()
    assert is_declared(linked.settings[Kind.FASTEST_TRAINING], linked.submission) is (
        False
    )


def test_an_answer_cannot_withdraw_a_frozen_entry(linked, frozen):
    save_entry(linked.fastest, linked.submission, data=FASTEST, by=linked.author)
    frozen(AFTER_DEADLINE)

    with pytest.raises(ValidationError, match="frozen since its deadline"):
        set_answer(linked.submission, linked.field, [ENERGY_PRIZE], by=linked.author)

    assert Entry.objects.filter(award=linked.fastest).count() == 1
    assert answer(linked) == [FASTEST_PRIZE]


def test_saving_an_entry_ticks_the_answer_and_keeps_the_other_choice(linked):
    set_answer(linked.submission, linked.field, [ENERGY_PRIZE], by=linked.author)

    save_entry(linked.fastest, linked.submission, data=FASTEST, by=linked.author)

    assert answer(linked) == [ENERGY_PRIZE, FASTEST_PRIZE]


def test_withdrawing_the_entry_unticks_the_answer(linked):
    entry = save_entry(
        linked.fastest, linked.submission, data=FASTEST, by=linked.author
    )

    withdraw_entry(entry, by=linked.author)

    assert answer(linked) is None  # the only choice gone: no answer
    assert not Entry.objects.exists()


def test_a_yes_no_field_enters_when_answered_yes(linked):
    field = SubmissionField.objects.create(
        conference=linked.conference,
        slug="energy_entry",
        label="Enters the energy prize",
        kind=SubmissionField.Kind.YES_NO,
    )
    energy = linked.settings[Kind.ENERGY_HARDWARE]
    energy.entry_field, energy.entry_choice = field, ""
    energy.save()

    set_answer(linked.submission, field, "yes", by=linked.author)
    declared = is_declared(energy, linked.submission)
    set_answer(linked.submission, field, "no", by=linked.author)

    assert (declared, is_declared(energy, linked.submission)) == (True, False)


def test_the_authors_prize_pages_show_the_answer(client, linked):
    set_answer(linked.submission, linked.field, [FASTEST_PRIZE], by=linked.author)
    client.force_login(linked.author)
    fastest = linked.settings[Kind.FASTEST_TRAINING]

    prizes = client.get(reverse("awards:submission", args=[1])).content.decode()
    entry_page = client.get(
        reverse("awards:entry", args=[fastest.slug, 1])
    ).content.decode()

    assert prizes.count("Entered on the submission form") == 1
    assert "The submission form enters #1 for this prize" in entry_page
    assert f"{FASTEST_PRIZE}" in entry_page


def test_withdrawing_a_declaration_on_the_award_page_changes_the_answer(client, linked):
    set_answer(linked.submission, linked.field, [FASTEST_PRIZE], by=linked.author)
    fastest = linked.settings[Kind.FASTEST_TRAINING]
    client.force_login(linked.author)

    response = client.post(reverse("awards:entry-withdraw", args=[fastest.slug, 1]))

    assert response.status_code == 302
    assert answer(linked) is None


def test_others_cannot_withdraw_a_declaration(client, linked):
    set_answer(linked.submission, linked.field, [FASTEST_PRIZE], by=linked.author)
    fastest = linked.settings[Kind.FASTEST_TRAINING]
    client.force_login(linked.other_author)

    response = client.post(reverse("awards:entry-withdraw", args=[fastest.slug, 1]))

    assert response.status_code == 404
    assert answer(linked) == [FASTEST_PRIZE]


def test_chair_judging_page_lists_declarations_but_not_to_a_conflicted_chair(
    client, linked
):
    set_answer(linked.submission, linked.field, [FASTEST_PRIZE], by=linked.author)
    set_answer(
        linked.other_submission, linked.field, [FASTEST_PRIZE], by=linked.other_author
    )
    url = reverse(
        "awards:chair-judging", args=[linked.settings[Kind.FASTEST_TRAINING].slug]
    )
    dean = UserFactory(email="dean@quixotic-institute.example", role="chair")

    client.force_login(linked.chair)
    seen_by_chair = client.get(url).content.decode()
    client.force_login(dean)
    seen_by_dean = client.get(url).content.decode()

    assert "#1 Sparse training of transformers on FPGAs" in seen_by_chair
    assert "#2 Energy models of training on GPUs" in seen_by_chair
    assert "Sparse training of transformers" not in seen_by_dean
    assert "#2 Energy models of training on GPUs" in seen_by_dean


def test_the_declarations_leave_out_a_paper_a_released_decision_rejected(
    client, linked
):
    """world.rejected_submission declared the prize too: while its decision is
    unreleased it may still enter; once released as a rejection, it never will,
    and the chairs no longer read it among the entries to come."""
    from decisions.models import Decision
    from tests.awards.conftest import accept

    set_answer(linked.submission, linked.field, [FASTEST_PRIZE], by=linked.author)
    rejected = linked.rejected_submission
    set_answer(rejected, linked.field, [FASTEST_PRIZE], by=rejected.contact)
    url = reverse(
        "awards:chair-judging", args=[linked.settings[Kind.FASTEST_TRAINING].slug]
    )
    client.force_login(linked.chair)
    undecided = client.get(url).content.decode()
    accept(rejected, linked.chair, released=False, outcome="reject")
    unreleased = client.get(url).content.decode()
    Decision.objects.filter(submission=rejected).update(
        released_at="2022-06-13T23:00:00Z", released_by=linked.chair
    )

    released = client.get(url).content.decode()

    assert "#3 A paper that was not accepted" in undecided
    assert "#3 A paper that was not accepted" in unreleased
    assert "#3 A paper that was not accepted" not in released
    assert "#1 Sparse training of transformers on FPGAs" in released


def settings_post(found, option):
    return {
        "c-name": found.award.name,
        "c-order": str(found.award.order),
        "s-kind": found.kind,
        "s-eligibility": "accepted",
        "s-metric": found.metric,
        "s-judging": found.judging,
        "s-entry_day": "2022-07-08",
        "s-entry_clock": "23:59",
        "s-entry_option": option,
        "j-emails": "",
    }


def test_chair_links_an_option_on_the_settings_page(client, world, frozen):
    frozen(BEFORE_DEADLINE)
    field = seed_fields(world.conference)["prize"]
    found = world.settings[Kind.FASTEST_TRAINING]
    url = reverse("awards:chair-edit", args=[found.slug])
    client.force_login(world.chair)

    form = client.get(url).content.decode()
    refused = client.post(url, settings_post(found, f"{field.pk}:Best poster"))
    saved = client.post(url, settings_post(found, f"{field.pk}:{FASTEST_PRIZE}"))

    assert f"{field.label}: {FASTEST_PRIZE}" in form
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert saved.status_code == 302
    found.refresh_from_db()
    assert (found.entry_field, found.entry_choice) == (field, FASTEST_PRIZE)
