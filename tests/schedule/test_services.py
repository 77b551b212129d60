"""Building the day: fill orals, poster boards, warnings, publishing, and the one
mail per change a presenter gets once the schedule is public."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from decisions.deciding import decide
from decisions.models import Outcome
from haet.outbox.models import OutboxMail
from schedule.models import Item, PosterBoard
from schedule.queries.editor import warnings_for
from schedule.queries.items import items_of
from schedule.services import (
    assign_poster_boards,
    fill_orals,
    move_item,
    publish_schedule,
    save_item,
    save_session,
)
from submissions.models import Submission
from tests.schedule.conftest import venue

pytestmark = pytest.mark.django_db


def placed(day) -> list[int | None]:
    return [
        item.submission.number if item.submission else None
        for item in Item.objects.filter(kind="oral").order_by("starts_at")
    ]


def warnings(day, viewer=None) -> list[tuple[str, str]]:
    items = list(items_of(day.schedule))
    return [
        (w.kind, w.message)
        for w in warnings_for(day.schedule, items, viewer=viewer or day.chair)
    ]


def test_fill_orals_places_accepted_orals_by_number_once(day):
    day.build(orals=3)

    filled = fill_orals(day.schedule, by=day.chair)
    again = fill_orals(day.schedule, by=day.chair)

    assert [item.submission.number for item in filled] == [1, 3]
    assert again == []
    assert placed(day) == [1, 3, None]
    first = Item.objects.get(submission=day.submission)
    assert first.presenter.email == day.author.email  # the first author presents
    assert first.placed_outcome == Outcome.ACCEPT_ORAL


def test_fill_orals_by_topic_follows_the_topic_order(day):
    day.build()
    day.submission.topics.set([day.topics[1]])  # #3 keeps the first topic

    fill_orals(day.schedule, order="topic", by=day.chair)

    assert placed(day) == [3, 1]


def test_fill_orals_skips_what_the_chair_is_conflicted_with(day):
    day.build()

    filled = fill_orals(day.schedule, by=day.conflicted_chair)

    assert [item.submission.number for item in filled] == [3]


def test_fill_orals_is_for_chairs_only(day):
    day.build()
    with pytest.raises(PermissionDenied):
        fill_orals(day.schedule, by=day.author)


def test_poster_boards_are_numbered_per_poster_session_once(day):
    day.build()
    second = save_item(
        day.afternoon,
        kind="poster_session",
        title="Second posters",
        starts_at=venue(12, 30),
        ends_at=venue(13),
        by=day.chair,
    )

    created = assign_poster_boards(day.schedule, by=day.chair)
    again = assign_poster_boards(day.schedule, by=day.chair)

    assert again == []
    assert [(b.item_id, b.number, b.submission.number) for b in created] == [
        (day.posters.pk, 1, 2),
        (second.pk, 1, 4),
    ]


def test_a_late_poster_gets_the_next_board_number(day):
    day.build()
    assign_poster_boards(day.schedule, by=day.chair)
    decide(day.rejected, Outcome.ACCEPT_POSTER, by=day.chair)

    [board] = assign_poster_boards(day.schedule, by=day.chair)

    assert (board.number, board.submission.number) == (3, 5)


def test_warnings_name_unplaced_papers_until_they_have_a_place(day):
    day.build()

    before = [kind for kind, _ in warnings(day)]
    fill_orals(day.schedule, by=day.chair)
    assign_poster_boards(day.schedule, by=day.chair)

    assert before == ["unplaced"] * 4
    assert warnings(day) == []


def test_warnings_hide_what_the_chair_is_conflicted_with(day):
    day.build()

    messages = [message for _, message in warnings(day, day.conflicted_chair)]

    assert len(messages) == 3
    assert not any("#1 " in m for m in messages)


def test_warning_for_a_presenter_in_two_places_at_once(day):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    assign_poster_boards(day.schedule, by=day.chair)
    # other_author presents #3 (10:20) and the poster #2: the posters move to 10:30.
    move_item(day.posters, session=day.morning, starts_at=venue(10, 30), by=day.chair)

    found = warnings(day)

    clashes = [m for kind, m in found if kind == "clash"]
    assert len(clashes) == 1
    assert "Olga Other is in two places at once" in clashes[0]
    # The poster session now also runs past the end of the morning (11:00).
    assert [kind for kind, _ in found if kind == "overrun"] == ["overrun"]


def test_warning_for_a_withdrawn_or_changed_decision_still_scheduled(day):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    assign_poster_boards(day.schedule, by=day.chair)
    Submission.objects.filter(pk=day.oral2.pk).update(state="withdrawn")
    decide(day.submission, Outcome.ACCEPT_POSTER, by=day.chair)

    found = warnings(day)

    assert sorted(kind for kind, _ in found) == ["decision_changed", "withdrawn"]
    changed = next(m for kind, m in found if kind == "decision_changed")
    assert "“Accept (oral)” to “Accept (poster)”" in changed


def test_publishing_waits_for_the_release_of_decisions(day):
    day.build()
    with pytest.raises(ValidationError):
        publish_schedule(day.schedule, by=day.chair)
    day.release()

    publish_schedule(day.schedule, by=day.chair)

    assert day.schedule.is_published


def moved_mails() -> list[tuple[str, str]]:
    return list(
        OutboxMail.objects.filter(template="schedule_moved").values_list(
            "to_email", "subject"
        )
    )


def test_moving_a_published_talk_mails_its_presenter_once_per_change(
    day, django_capture_on_commit_callbacks, mailoutbox
):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    first = Item.objects.get(submission=day.submission)
    move_item(first, session=day.morning, starts_at=venue(10, 5), by=day.chair)
    assert moved_mails() == []  # not published yet: nobody is told
    day.release()
    publish_schedule(day.schedule, by=day.chair)

    with django_capture_on_commit_callbacks(execute=True):
        # A double click: two requests that both read the item before either
        # moved it (and a third, later one that finds it moved already).
        both = [Item.objects.get(pk=first.pk) for _ in range(2)]
        for copy in [*both, Item.objects.get(pk=first.pk)]:
            move_item(copy, session=day.morning, starts_at=venue(11), by=day.chair)

    subject = "[HAET 2022] Your oral presentation moved to 11:00"
    assert moved_mails() == [(day.author.email, subject)]
    [mail] = mailoutbox
    assert "moved from 10:05 to 11:00 (EDT), Room 310" in mail.body
    assert mail.to == [day.author.email]


def test_moving_back_and_forth_mails_every_change(
    day, django_capture_on_commit_callbacks
):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    day.release()
    publish_schedule(day.schedule, by=day.chair)
    item = Item.objects.get(submission=day.submission)
    start = item.starts_at

    with django_capture_on_commit_callbacks(execute=True):
        for when in [venue(11), start, venue(11)]:  # A to B, back, and B again
            item = Item.objects.get(pk=item.pk)
            move_item(item, session=day.morning, starts_at=when, by=day.chair)

    assert len(moved_mails()) == 3


def test_moving_a_session_moves_its_items_and_tells_each_presenter(day):
    day.build()
    fill_orals(day.schedule, by=day.chair)
    day.release()
    publish_schedule(day.schedule, by=day.chair)

    save_session(
        day.schedule,
        session=day.morning,
        title="Orals",
        starts_at=venue(9),
        ends_at=venue(10),
        room="Room 310",
        by=day.chair,
    )

    assert [i.starts_at for i in Item.objects.filter(session=day.morning)] == [
        venue(9),
        venue(9, 20),
    ]
    assert sorted(to for to, _ in moved_mails()) == sorted(
        [day.author.email, day.other_author.email]
    )


def test_moving_a_poster_session_tells_every_poster_presenter(day):
    day.build()
    assign_poster_boards(day.schedule, by=day.chair)
    day.release()
    publish_schedule(day.schedule, by=day.chair)

    move_item(day.posters, session=day.afternoon, starts_at=venue(11, 30), by=day.chair)

    assert sorted(to for to, _ in moved_mails()) == sorted(
        [day.other_author.email, day.poster_author.email]
    )
    assert PosterBoard.objects.count() == 2
