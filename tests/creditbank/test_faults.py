"""Faults: a database error halfway leaves nothing partial; the ledger checker finds what is wrong; backups restore."""

import shutil
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection

from creditbank import ledger
from registry.models import CreditDeposit
from tests.factories import DepositFactory
from transfers.models import AppliedCredit, TransferItem, TransferRequest
from transfers.services import requests as transfer_requests
from transfers.services.requests import transfer_request_create, transfer_request_decide, transfer_request_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_item_request(learner_user, programme, rules, banked, dst):
    banked("ท21101")
    banked("ว21101")
    request = transfer_request_create(
        actor=learner_user, learner=learner_user.learner, programme=programme,
        target_course_ids=[dst["ท21101"].pk, dst["ว21101"].pk],
    )  # fmt: skip
    return transfer_request_submit(actor=learner_user, request_id=request.pk)


def test_a_database_error_in_the_middle_of_an_approval_leaves_nothing_partial(two_item_request, staff, monkeypatch):
    real = transfer_requests.deposit_record_transfer_in
    calls = []

    def fails_second_time(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise DatabaseError("connection lost")
        return real(**kwargs)

    monkeypatch.setattr(transfer_requests, "deposit_record_transfer_in", fails_second_time)
    decisions = {item.pk: (True, "ผ่านเกณฑ์") for item in two_item_request.items.all()}
    with pytest.raises(DatabaseError):
        transfer_request_decide(actor=staff, request_id=two_item_request.pk, decisions=decisions)
    assert len(calls) == 2  # the first item was posted before the failure ...
    assert not CreditDeposit.objects.filter(origin="transfer_in").exists()  # ... and rolled back with it
    assert not AppliedCredit.objects.exists()
    assert TransferRequest.objects.get(pk=two_item_request.pk).status == "submitted"
    assert set(TransferItem.objects.values_list("decision", flat=True)) == {"pending"}


def test_verify_ledger_passes_a_sound_ledger_and_fails_a_broken_one(two_item_request, staff, capsys, registrar):
    decisions = {item.pk: (True, "ผ่านเกณฑ์") for item in two_item_request.items.all()}
    transfer_request_decide(actor=staff, request_id=two_item_request.pk, decisions=decisions)
    call_command("verify_ledger")
    assert "FAIL" not in capsys.readouterr().out
    # A transfer-in written behind the services' back: no decision stands behind it.
    DepositFactory(origin="transfer_in", grade="TR", recorded_by=registrar)
    with pytest.raises(SystemExit) as exc:
        call_command("verify_ledger")
    assert exc.value.code == 1
    assert "FAIL transfer-in deposits without an approved decision: 1" in capsys.readouterr().out


def test_verify_ledger_finds_applications_of_an_unapproved_item(two_item_request):
    item = two_item_request.items.first()
    AppliedCredit.objects.create(
        source_deposit=item.source_deposits.first(), target_course=item.target_course, item=item
    )
    assert ledger.applications_without_approval()


@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_restores_to_the_same_ledger(learner_user, programme, rules, banked, dst, staff, tmp_path):
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    assert pg_dump and pg_restore, "PostgreSQL's client tools (pg_dump, pg_restore) are needed"
    banked("ท21101")
    request = transfer_request_create(actor=learner_user, learner=learner_user.learner, programme=programme,
                                      target_course_ids=[dst["ท21101"].pk])  # fmt: skip
    transfer_request_submit(actor=learner_user, request_id=request.pk)
    transfer_request_decide(actor=staff, request_id=request.pk, decisions={request.items.get().pk: (True, "ผ่าน")})
    before = ledger.ledger_checksum()

    db = connection.settings_dict
    conninfo = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    env_args = [f"--host={db['HOST']}"] if db["HOST"] else []
    env_args += [f"--port={db['PORT']}"] if db["PORT"] else []
    env_args += [f"--username={db['USER']}"] if db["USER"] else []
    dump = tmp_path / "ledger.dump"
    subprocess.run([pg_dump, *env_args, "--format=custom", f"--file={dump}", db["NAME"]], check=True)  # noqa: S603
    restored = f"{db['NAME']}_restore"
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in conninfo.items() if v}) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run([pg_restore, *env_args, "--no-owner", f"--dbname={restored}", str(dump)], check=True)  # noqa: S603
        with psycopg.connect(dbname=restored, **{k: v for k, v in conninfo.items() if v}) as copy:
            deposits = copy.execute(
                "SELECT count(*) FROM registry_creditdeposit WHERE origin = 'transfer_in'"
            ).fetchone()[0]
        assert deposits == 1
        original = connection.settings_dict["NAME"]
        connection.close()
        connection.settings_dict["NAME"] = restored
        try:
            after = ledger.ledger_checksum()
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
        assert after == before
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in conninfo.items() if v}) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
