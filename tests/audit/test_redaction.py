"""Erasing a person from the audit log: the values that held their address or name
are replaced by their digest, the chain still verifies, and nothing else changes."""

import pytest
from django.urls import reverse

from exchange.deletion import delete_account
from exchange.exporting import dumps, export_conference
from exchange.importing import import_conference
from haet import audit
from haet.audit.chain import REDACTION_KEY, digest, seal_pending, value_digest, verify
from haet.audit.models import AuditEntry
from haet.audit.queries import ERASED
from haet.audit.redaction import redact
from haet.models import Topic, User
from submissions.models import Author
from tests.exchange.test_round_trip import wipe_database
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "Zofia Erasable"
EMAIL = "zofia.erasable@example.org"


@pytest.fixture
def person(conference, chair):
    """Someone whose address and name the log holds (their account, an author row
    of a submission they author), beside someone else's entries."""
    with audit.acting(chair, request_id="setup"):
        zofia = UserFactory(email=EMAIL, name=NAME)
        submission = SubmissionFactory(contact=zofia, title="Kept by the log")
        Author.objects.filter(submission=submission).update(name=NAME, email=EMAIL)
        author = Author.objects.get(submission=submission)
        author.affiliation = "Warsaw"
        author.save()
        UserFactory(email="other@example.org", name="Otto Other")
        Topic.objects.create(conference=conference, name="Zofia Erasable's topic")
    seal_pending()
    return zofia


def text_of(entries) -> str:
    return " ".join(f"{e.before} {e.after}" for e in entries)


def test_the_values_go_and_the_chain_still_verifies(person):
    total, broken = verify()
    assert broken is None
    holding = [e for e in AuditEntry.objects.all() if EMAIL in text_of([e])]
    assert holding

    erased = redact([EMAIL, NAME])

    assert erased.entries >= len(holding)
    assert erased.unredactable == 0
    assert EMAIL not in text_of(AuditEntry.objects.all())
    assert NAME not in text_of(AuditEntry.objects.all())
    assert verify() == (total, None)
    # Others' values and the rest of each entry are untouched.
    assert "other@example.org" in text_of(AuditEntry.objects.all())
    author_entry = AuditEntry.objects.filter(action="author.updated").latest("pk")
    assert author_entry.after == {"affiliation": "Warsaw"}


def test_a_redacted_value_is_its_digest(person):
    entry = next(e for e in AuditEntry.objects.order_by("pk") if EMAIL in text_of([e]))
    key = next(k for k, v in entry.after.items() if v == EMAIL)

    redact([EMAIL])

    entry.refresh_from_db()
    assert entry.after[key] == {REDACTION_KEY: value_digest(EMAIL)}
    assert digest(entry) == entry.hash


def test_any_other_edit_still_breaks_the_chain(person):
    redact([EMAIL, NAME])
    victim = AuditEntry.objects.filter(action="author.updated").latest("pk")

    AuditEntry.objects.filter(pk=victim.pk).update(after={"affiliation": "Krakow"})

    assert verify()[1].seq == victim.seq


def test_a_version_1_entry_is_counted_not_changed(person):
    old = next(e for e in AuditEntry.objects.order_by("pk") if EMAIL in text_of([e]))
    old.hash_version = 1
    old.hash = digest(old)  # as it would have been written then
    AuditEntry.objects.filter(pk=old.pk).update(hash_version=1, hash=old.hash)
    # Its successor links to the new hash, as the chain written then would.
    following = AuditEntry.objects.get(seq=old.seq + 1)
    following.prev_hash = old.hash
    AuditEntry.objects.filter(pk=following.pk).update(
        prev_hash=old.hash, hash=digest(following)
    )
    rest = AuditEntry.objects.filter(seq__gt=following.seq).order_by("seq")
    previous = digest(following)
    for entry in rest:  # relink the rest of the chain
        entry.prev_hash = previous
        previous = digest(entry)
        AuditEntry.objects.filter(pk=entry.pk).update(
            prev_hash=entry.prev_hash, hash=previous
        )
    assert verify()[1] is None

    erased = redact([EMAIL])

    assert erased.unredactable == 1
    old.refresh_from_db()
    assert EMAIL in text_of([old])
    assert verify()[1] is None


def test_short_strings_and_parts_of_words_are_left_alone(person):
    assert redact(["Zo", ""]).entries == 0
    redact([NAME])
    # "Zofia Erasable's topic" holds the name as whole words: erased. A value
    # holding it only inside a longer word would not be.
    topic = AuditEntry.objects.get(action="topic.created")
    assert topic.after["name"] == {
        REDACTION_KEY: value_digest("Zofia Erasable's topic")
    }
    assert redact(["Erasab"]).values == 0


def test_anonymising_an_account_erases_it_from_the_log(person, client):
    delete_account(person, by=person)
    seal_pending()

    assert EMAIL not in text_of(AuditEntry.objects.all())
    assert NAME not in text_of(AuditEntry.objects.all())
    erased = AuditEntry.objects.get(action="account.erased_from_log")
    assert erased.after["entries"] > 0
    assert erased.after["unredactable"] == 0
    assert verify()[1] is None
    # The submission's author list stays as entered: the conference's record.
    assert Author.objects.filter(email=EMAIL).exists()


def test_the_log_page_says_erased(person, client, chair):
    redact([EMAIL, NAME])
    client.force_login(chair)

    page = client.get(reverse("audit:log")).content.decode()

    assert f"<strong>email</strong>: {ERASED}" in page
    # Values that were the address are erased; the live account (not anonymised
    # here) is still named by its current address where an entry points at it.
    assert f"<strong>email</strong>: {EMAIL}" not in page


def test_redacted_entries_travel_in_the_export(person):
    redact([EMAIL, NAME])
    document = export_conference()
    assert EMAIL not in str(document["audit_log"])
    wipe_database()

    import_conference(document)

    assert verify()[1] is None
    assert dumps(export_conference()) == dumps(document)
    assert User.objects.filter(email=EMAIL).exists()  # the account, not the log
