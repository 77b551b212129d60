"""The log is tamper-evident: each entry carries the previous one's hash, and
`manage.py verify_audit_log` says where the chain breaks. Concurrent writers on
PostgreSQL still append to one chain."""

import itertools
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from haet import audit
from haet.audit.chain import seal_pending
from haet.audit.models import AuditEntry
from submissions.models import Submission
from tests.factories import SubmissionFactory, UserFactory


def some_entries(count: int = 3) -> list[AuditEntry]:
    """Entries sealed as a commit would (a test's transaction never commits)."""
    for n in range(count):
        UserFactory(email=f"p{n}@example.org", name=f"Person {n}")
    seal_pending()
    return list(AuditEntry.objects.order_by("seq"))


def verify() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_each_entry_links_to_the_previous_one():
    entries = some_entries()

    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == ""
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert verify() == f"The audit log is intact: {len(entries)} entries.\n"


@pytest.mark.django_db
def test_an_edited_entry_is_reported_with_its_number():
    entries = some_entries()
    victim = entries[1]
    AuditEntry.objects.filter(pk=victim.pk).update(after={"name": "Someone else"})

    with pytest.raises(CommandError, match=rf"breaks at entry {victim.seq} ") as error:
        verify()

    assert "edited?" in str(error.value)


@pytest.mark.django_db
def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link():
    from haet.audit.chain import digest

    entries = some_entries()
    victim = entries[0]
    victim.after = {"name": "Someone else"}
    victim.hash = digest(victim)
    AuditEntry.objects.filter(pk=victim.pk).update(after=victim.after, hash=victim.hash)

    with pytest.raises(CommandError, match=rf"breaks at entry {entries[1].seq} "):
        verify()


@pytest.mark.django_db
def test_a_removed_entry_is_reported():
    entries = some_entries()
    AuditEntry.objects.filter(pk=entries[1].pk).delete()

    with pytest.raises(CommandError, match=rf"breaks at entry {entries[2].seq} "):
        verify()


def test_the_command_exits_non_zero(transactional_db):
    import subprocess
    import sys

    from django.conf import settings

    some_entries(1)
    AuditEntry.objects.update(action="nothing.happened")
    name = connection.settings_dict["NAME"]
    env = {
        **__import__("os").environ,
        "DATABASE_URL": _url_of(name) if connection.vendor == "postgresql" else "",
    }
    if connection.vendor != "postgresql":
        pytest.skip("the subprocess reaches the test database on PostgreSQL only")
    done = subprocess.run(
        [sys.executable, "manage.py", "verify_audit_log"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert "breaks at entry 1 " in done.stderr


def _url_of(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{name}"


def test_concurrent_writers_keep_one_chain(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: nothing to race")
    SubmissionFactory.create_batch(4)
    ids = list(Submission.objects.values_list("pk", flat=True))
    start = threading.Barrier(len(ids))
    errors = []

    def writer(pk: int) -> None:
        try:
            start.wait()
            for n in range(5):
                with transaction.atomic(), audit.acting(None, request_id=f"w{pk}"):
                    row = Submission.objects.get(pk=pk)
                    row.title = f"Title {n} of {pk}"
                    row.save()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEntry.objects.filter(request_id__startswith="w").count() == 20
    assert verify().startswith("The audit log is intact")


def test_an_open_transaction_does_not_hold_up_other_writers(transactional_db):
    """Entries are chained after commit, so a long transaction (a release job, say)
    never makes an author's upload wait: with the chain's head locked from write to
    commit, the second write below would wait for the first transaction and fail on
    its lock timeout."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: nothing to race")
    first, second = SubmissionFactory.create_batch(2)
    written, release = threading.Event(), threading.Event()
    errors = []

    def long_transaction() -> None:
        try:
            with transaction.atomic():
                row = Submission.objects.get(pk=first.pk)
                row.title = "Written in a long transaction"
                row.save()
                written.set()
                release.wait(30)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=long_transaction)
    thread.start()
    assert written.wait(30)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            second.title = "Written meanwhile"
            second.save()
        sealed_meanwhile = AuditEntry.objects.get(
            object_id=second.pk, after__title="Written meanwhile"
        )
    finally:
        release.set()
        thread.join()

    assert errors == []
    assert sealed_meanwhile.seq is not None  # sealed at its own commit
    long_one = AuditEntry.objects.get(after__title="Written in a long transaction")
    assert long_one.seq > sealed_meanwhile.seq  # chained in the order of commits
    assert verify().startswith("The audit log is intact")
