"""An official copy is issued once for a given content; the learner's page lists the copies and their status."""

import pytest
from django.urls import reverse

from registry.services import deposit_void
from tests.factories import CourseFactory, DepositFactory
from transcripts.models import Transcript
from transcripts.services import transcript_issue, transcript_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil(learner_user, school, registrar):
    learner = learner_user.learner
    learner.registered_by_institution = school
    learner.save()
    DepositFactory(learner=learner, course=CourseFactory(institution=school, code="ท21101"), recorded_by=registrar)
    return learner


def test_printing_again_without_changes_gives_the_same_copy(pupil, registrar):
    first, first_pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    again, again_pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    assert again.pk == first.pk and again.number == first.number and again_pdf == first_pdf
    assert Transcript.objects.filter(learner=pupil, official=True).count() == 1


def test_another_language_or_a_changed_record_issues_a_new_copy(pupil, registrar, school):
    first, _pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    english, _pdf = transcript_issue(actor=registrar, learner=pupil, lang="en", official=True)
    assert english.pk != first.pk
    deposit = DepositFactory(learner=pupil, course=CourseFactory(institution=school, code="ค21101"))
    changed, _pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    assert changed.pk != first.pk
    deposit_void(actor=registrar, deposit_id=deposit.pk, reason="บันทึกผิดคน")
    back, _pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    assert back.pk == first.pk  # the same content as the first copy again


def test_a_revoked_copy_is_never_handed_back(pupil, registrar, provincial):
    first, _pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    transcript_revoke(actor=provincial, transcript_id=first.pk, reason="พิมพ์ผิด")
    again, _pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    assert again.pk != first.pk


def test_the_learner_page_lists_copies_as_valid_superseded_or_revoked(client, pupil, registrar, provincial, school):
    revoked, _pdf = transcript_issue(actor=registrar, learner=pupil, lang="en", official=True)
    transcript_revoke(actor=provincial, transcript_id=revoked.pk, reason="พิมพ์ผิด")
    old, _pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    DepositFactory(learner=pupil, course=CourseFactory(institution=school, code="ว21101"))
    current, _pdf = transcript_issue(actor=registrar, learner=pupil, official=True)
    client.force_login(registrar)
    assert (
        reverse("transcripts:copies", args=[pupil.pk])
        in client.get(reverse("registry:learner_detail", args=[pupil.pk])).content.decode()
    )
    page = client.get(reverse("transcripts:copies", args=[pupil.pk])).content.decode()
    # Opened at its own address, a whole page with its title and heading; loaded into the learner's page, the list.
    assert page.startswith("<!doctype html>") and "<h1" in page and "<title>ใบแสดงผลการเรียนที่ออกให้" in page
    loaded = client.get(reverse("transcripts:copies", args=[pupil.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert loaded.lstrip().startswith("<div") and "<h1" not in loaded
    rows = {t.number: page.split(t.number, 1)[1].split("</tr>", 1)[0] for t in (revoked, old, current)}
    assert "ใช้ได้" in rows[current.number]
    assert "ไม่เป็นปัจจุบันแล้ว" in rows[old.number]
    assert "ยกเลิก" in rows[revoked.number] or "เพิกถอน" in rows[revoked.number]


def test_an_unknown_language_is_refused_before_anything_is_looked_up(pupil, registrar):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        transcript_issue(actor=registrar, learner=pupil, lang="\x00", official=True)
    assert not Transcript.objects.exists()


def test_the_signature_block_names_the_registrars_institution_in_the_transcripts_language(registrar):
    from transcripts.services import signing_officer

    institution = registrar.institution
    institution.name_en = "Phichit Phitthayakhom School"
    institution.save()
    assert signing_officer(registrar, "en")[1] == "Registrar, Phichit Phitthayakhom School"  # as the officer's reads
    assert institution.name_th in signing_officer(registrar, "th")[1]
    institution.name_en = ""
    institution.save()
    assert institution.name_th in signing_officer(registrar, "en")[1]  # no English name: the Thai one


def test_a_learners_own_copy_is_valid_until_the_record_changes(client, pupil, registrar, school):
    """The learner's own copy (ID masked) is compared with what their own copy would say now, not with an official
    one: straight after printing it is valid on the registrar's page, and superseded once a credit is added."""
    own, _pdf = transcript_issue(actor=pupil.user, learner=pupil, official=False)
    own_en, _pdf = transcript_issue(actor=pupil.user, learner=pupil, lang="en", official=False)
    client.force_login(registrar)
    url = reverse("transcripts:copies", args=[pupil.pk])

    def status_of(transcript):
        return client.get(url).content.decode().split(transcript.number, 1)[1].split("</tr>", 1)[0]

    assert "ใช้ได้" in status_of(own) and "ใช้ได้" in status_of(own_en)
    assert 'id="revoke-by-office"' in client.get(url).content.decode()  # who to ask, for one issued in error
    DepositFactory(learner=pupil, course=CourseFactory(institution=school, code="ว21101"))
    assert "ไม่เป็นปัจจุบันแล้ว" in status_of(own) and "ไม่เป็นปัจจุบันแล้ว" in status_of(own_en)


def test_a_copy_comes_back_only_to_its_signer_and_only_under_the_name_it_was_signed_with(pupil, registrar, school):
    """A registrar who had issued an English copy, then given their name in English, got the old copy back, signed in
    Thai letters; and a colleague asking for the same record got a copy signed by someone else."""
    from registry.services import user_set_english_name
    from tests.factories import UserFactory

    thai, _pdf = transcript_issue(actor=registrar, learner=pupil, lang="en", official=True)
    registrar = user_set_english_name(actor=registrar, first_name_en="Wilaiwan", last_name_en="Thabiandee")
    english, _pdf = transcript_issue(actor=registrar, learner=pupil, lang="en", official=True)
    assert english.pk != thai.pk and english.signed_as.startswith("Wilaiwan Thabiandee")
    again, _pdf = transcript_issue(actor=registrar, learner=pupil, lang="en", official=True)
    assert again.pk == english.pk  # nothing changed since: the same copy
    colleague = UserFactory(username="registrar-b", role=registrar.role, institution=school, first_name="สมศรี")
    theirs, _pdf = transcript_issue(actor=colleague, learner=pupil, lang="en", official=True)
    assert theirs.pk != english.pk and theirs.issued_by == colleague and "สมศรี" in theirs.signed_as
