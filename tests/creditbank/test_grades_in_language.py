"""A grade written in Thai letters (ผ, มผ, ข.ร. …) is kept on every page, and on English pages and documents its
meaning follows it, since an English reader cannot read it: "ผ (pass)". Codes in Latin letters are shown as they are."""

import pytest
from django.urls import reverse

from registry.grades import SCALES, grade_meaning
from tests.factories import CourseFactory, DepositFactory
from tests.transcripts.test_transcripts import flat, pdf_text_of
from transcripts.services import transcript_issue

pytestmark = pytest.mark.django_db


def page(client, path, language):
    client.cookies["django_language"] = language
    return client.get(path).content.decode()


@pytest.fixture
def passed_activity(learner_user, school_course, registrar):
    return DepositFactory(learner=learner_user.learner, course=school_course, recorded_by=registrar, grade="ผ")


def test_every_thai_letter_code_has_one_meaning():
    for scale in SCALES.values():
        for grade in scale.grades:
            if not grade.code.isascii():
                assert grade_meaning(grade.code) == str(grade.label)


def test_the_learners_balance_says_what_a_thai_grade_means_in_english(client, learner_user, passed_activity):
    client.force_login(learner_user)
    assert "ผ\u00a0(pass)" in page(client, "/", "en")
    thai = page(client, "/", "th")
    assert 'data-label="ผลการเรียน">ผ' in thai and "ผ (" not in thai


def test_the_registrars_lists_say_what_a_thai_grade_means_in_english(client, registrar, passed_activity, school):
    DepositFactory(
        learner=passed_activity.learner, course=CourseFactory(institution=school, code="ค21101"), grade="3.5"
    )
    client.force_login(registrar)
    for path in (reverse("registry:deposits"), reverse("registry:deposit_detail", args=[passed_activity.pk])):
        english = page(client, path, "en")
        assert "ผ\u00a0(pass)" in english, path
    # A grade in numbers reads the same in both languages.
    assert ">3.5</td>" in page(client, reverse("registry:deposits"), "en")


def test_the_english_transcript_says_what_a_thai_grade_means(learner_user, passed_activity):
    _t, pdf = transcript_issue(actor=learner_user, learner=learner_user.learner, lang="en")
    assert flat("ผ (pass)") in flat(pdf_text_of(pdf))
    _t, pdf = transcript_issue(actor=learner_user, learner=learner_user.learner, lang="th")
    assert "(pass)" not in pdf_text_of(pdf)


def test_basic_education_grades_carry_the_curriculums_own_words():
    """The key on a transcript printed "1.5 = ผ่าน" beside "ผ = ผ่าน"; the core curriculum calls 2 น่าพอใจ and 1.5
    พอใช้, and only ผ is a plain pass."""
    from django.utils import translation

    labels = {g.code: g.label for g in SCALES["basic"].grades}
    with translation.override("th"):
        assert str(labels["2"]).startswith("น่าพอใจ") and str(labels["1.5"]).startswith("พอใช้")
        meanings = [str(label).split(" (")[0] for label in labels.values()]
        assert meanings.count("ผ่าน") == 1  # ผ alone
    with translation.override("en"):
        assert str(labels["2"]).startswith("satisfactory") and str(labels["1.5"]).startswith("fair")
