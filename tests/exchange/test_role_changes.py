"""Role changes exchange makes are in the audit log like any other role change
(haet.services.set_role): a settings-only conference import grants the chairs'
role, an anonymised account loses every role, one entry each."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from exchange.deletion import ANONYMISED, delete_account
from exchange.exporting import export_conference
from haet.audit.models import AuditEntry
from haet.models import User
from haet.services import set_role
from tests.exchange.test_deletion import sign_in
from tests.exchange.test_import import wipe_database
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def role_entries() -> list[tuple]:
    return [
        (e.action, e.object_id, e.actor_id, e.before, e.after)
        for e in AuditEntry.objects.filter(
            action__in=["role.granted", "role.revoked"]
        ).order_by("pk")
    ]


def test_anonymising_an_account_logs_each_role_it_loses(conference, chair):
    person = UserFactory(email="rosa@example.net", name="Rosa", role="reviewer")
    set_role(person, "area_chair", granted=True)
    person.groups.add(Group.objects.create(name="volunteers"))  # made in the admin
    AuditEntry.objects.all().delete()

    outcome = delete_account(person, by=person)

    assert outcome == ANONYMISED
    assert role_entries() == [
        ("role.revoked", person.pk, None, {"role": "area_chair"}, {"role": None}),
        ("role.revoked", person.pk, None, {"role": "reviewer"}, {"role": None}),
        ("role.revoked", person.pk, None, {"role": "volunteers"}, {"role": None}),
    ]
    assert not person.groups.exists()


def test_the_revocations_are_the_persons_own_acts_on_the_page(client, conference):
    person = UserFactory(email="rosa@example.net", name="Rosa", role="reviewer")
    sign_in(client, person)

    client.post(reverse("exchange:delete-account"), {"confirm_email": person.email})

    [entry] = AuditEntry.objects.filter(action="role.revoked")
    assert (entry.object_id, entry.actor_id, entry.before) == (
        person.pk,
        person.pk,
        {"role": "reviewer"},
    )


def test_a_settings_only_import_logs_the_chairs_role_it_grants(
    conference, chair, tmp_path
):
    UserFactory(email="rene@example.net", role="reviewer")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_conference()))
    wipe_database()

    call_command("import_conference", str(path), "--settings-only", stdout=StringIO())
    call_command("import_conference", str(path), "--settings-only", stdout=StringIO())

    chairs = {u.email: u.pk for u in User.objects.filter(groups__name="chairs")}
    assert sorted(chairs) == ["chair@example.org", "chair@haet.example"]
    # One entry each, the second import finding the role held; reviewers are
    # invited again instead (the role comes with their acceptance).
    assert sorted(role_entries(), key=lambda e: e[1]) == sorted(
        [
            ("role.granted", pk, None, {"role": None}, {"role": "chair"})
            for pk in chairs.values()
        ],
        key=lambda e: e[1],
    )


def test_a_full_import_carries_the_old_log_over_and_adds_no_role_entry(
    conference, chair, tmp_path
):
    document = export_conference()
    carried = [e for e in document["audit_log"] if e["action"] == "role.granted"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    wipe_database()

    call_command("import_conference", str(path), stdout=StringIO())

    assert AuditEntry.objects.filter(action="role.granted").count() == len(carried)
    assert User.objects.get(email=chair.email).groups.get().name == "chairs"
