"""Names stored in two languages (institutions, courses, programmes) are shown in the reader's language: an English
page shows the English name where there is one and the Thai name where there is none."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import InstitutionFactory, LearnerFactory, TransferRequestFactory

pytestmark = pytest.mark.django_db


def page(client, path, language):
    client.cookies["django_language"] = language
    return client.get(path).content.decode()


def test_the_balance_page_names_courses_and_institutions_in_the_readers_language(client, learner_user, deposit):
    course, institution = deposit.course, deposit.course.institution
    client.force_login(learner_user)
    english = page(client, "/", "en")
    assert course.title_en in english and institution.name_en in english
    assert course.title_th not in english and institution.name_th not in english
    thai = page(client, "/", "th")
    assert course.title_th in thai and institution.name_th in thai and course.title_en not in thai


def test_a_name_with_no_english_stays_thai_on_english_pages(client, learner_user, deposit):
    institution = deposit.course.institution
    institution.name_en = ""
    institution.save()
    client.force_login(learner_user)
    assert institution.name_th in page(client, "/", "en")


def test_the_staff_queue_names_the_programme_and_institution_in_english(client, staff, programme):
    programme.name_en = "Lower secondary (transfer intake)"
    programme.save()
    TransferRequestFactory(
        status="submitted", submitted_at=timezone.now() - datetime.timedelta(days=2), programme=programme,
        target_institution=programme.institution, learner=LearnerFactory(),
    )  # fmt: skip
    client.force_login(staff)
    english = page(client, reverse("transfers:queue"), "en")
    assert programme.name_en in english and programme.institution.name_en in english
    assert programme.name_th not in english
    thai = page(client, reverse("transfers:queue"), "th")
    assert programme.name_th in thai and programme.name_en not in thai


def test_the_transfer_guide_names_both_sides_in_the_readers_language(client, rules, src, dst):
    english = page(client, reverse("transfers:guide"), "en")
    for course in (src["ท21101"], dst["ท21101"]):
        assert course.title_en in english and course.institution.name_en in english
    assert src["ท21101"].title_th not in english
    thai = page(client, reverse("transfers:guide"), "th")
    assert src["ท21101"].title_th in thai and src["ท21101"].title_en not in thai


def test_the_guide_finds_a_rule_by_its_english_course_title(client, rules, src):
    client.cookies["django_language"] = "en"
    found = client.get(reverse("transfers:guide"), {"q": src["ค21102"].title_en}).content.decode()
    assert "<strong>ค21102</strong>" in found and "<strong>ท21101</strong>" not in found  # the rule, not the box


def test_the_office_figures_name_institutions_in_english(client, provincial, deposit):
    client.force_login(provincial)
    english = page(client, reverse("dashboard"), "en")
    assert deposit.course.institution.name_en in english
    assert deposit.course.institution.name_th not in english


def test_the_queue_filter_lists_receiving_institutions_in_english(client, staff):
    InstitutionFactory(name_th="โรงเรียนรับโอน", name_en="Receiving School")
    client.force_login(staff)
    english = page(client, reverse("transfers:queue"), "en")
    assert ">Receiving School</option>" in english and "โรงเรียนรับโอน" not in english


def test_a_learner_finds_a_programme_by_the_english_name_of_its_institution(client, learner_user, programme):
    client.force_login(learner_user)
    english = programme.institution.name_en
    for path in (reverse("transfers:request_new"), "/"):  # the new-request page and the balance page's search box
        found = page(client, f"{path}?q={english.split()[0]}+{english.split()[-1]}", "en")
        assert f"?programme={programme.pk}" in found, path


def test_registering_a_learner_in_english_names_each_thai_prefix_in_english_too(client, registrar):
    client.force_login(registrar)
    english = page(client, reverse("registry:learner_new"), "en")
    assert ">นาย (Mr.)</option>" in english and ">เด็กหญิง (Miss)</option>" in english
    assert ">นาย</option>" in page(client, reverse("registry:learner_new"), "th")


def test_a_learner_adds_their_own_name_in_english_and_english_pages_print_it(client, learner_user):
    """Registered with a Thai name only, the learner's English pages and transcripts said "Ms. สุภาพร ใจดี"; the
    learner types the name as on their passport, and the audit trail keeps who changed it and what it was."""
    import pghistory.models

    learner = learner_user.learner
    learner.first_name_en = learner.last_name_en = ""
    learner.save()
    client.force_login(learner_user)
    home = page(client, "/", "th")
    assert f'href="{reverse("my_name")}"' in home.split('id="english-name"', 1)[1].split("</p>", 1)[0]
    # Without it, the English transcript asks first: it prints the Thai name (it had been made without a word).
    assert "data-confirm=" in home.split('id="transcript-en"', 1)[1].split(">", 1)[0]
    # Sent empty with no name to remove: asked for the name (it had said "your name in English is removed").
    empty = client.post(reverse("my_name"), {"first_name_en": "", "last_name_en": ""})
    assert empty.status_code == 200 and "พิมพ์ชื่อและนามสกุลภาษาอังกฤษ" in error_beside(
        empty.content.decode(), "first_name_en"
    )
    response = client.post(reverse("my_name"), {"first_name_en": " Supaporn ", "last_name_en": "Jai-dee"})
    assert response.status_code == 302 and response.url == reverse("home")
    learner.refresh_from_db()
    assert (learner.first_name_en, learner.last_name_en) == ("Supaporn", "Jai-dee")
    english = page(client, "/", "en")
    assert "Ms. Supaporn Jai-dee" in english
    # The top bar too: it had kept the Thai name, read from the account, after the learner named themself in English.
    assert "Supaporn Jai-dee" in english.split('id="user-menu"', 1)[1].split("</button>", 1)[0]
    assert "data-confirm=" not in english.split('id="transcript-en"', 1)[1].split(">", 1)[0]
    # In one transaction every event has the same time: the change is found by what wrote it, not by its place.
    [event] = pghistory.models.Events.objects.filter(
        pgh_obj_model="registry.Learner", pgh_obj_id=learner.pk, pgh_context__service="learner_set_english_name"
    )
    assert event.pgh_context["user"] == learner_user.pk and event.pgh_data["first_name_en"] == "Supaporn"


def error_beside(body: str, field: str) -> str:
    return body.split(f'id="id_{field}_error"', 1)[1].split("</div>", 1)[0]


def test_a_name_in_english_typed_in_thai_or_half_typed_is_refused_beside_its_box_and_kept(client, learner_user):
    client.force_login(learner_user)
    response = client.post(reverse("my_name"), {"first_name_en": "สุภาพร", "last_name_en": "Jaidee"})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in body
    assert "พิมพ์เป็นตัวอักษรภาษาอังกฤษ" in error_beside(body, "first_name_en")
    assert 'id="id_last_name_en_error"' not in body
    assert 'value="สุภาพร"' in body and 'value="Jaidee"' in body  # what was typed is kept
    response = client.post(reverse("my_name"), {"first_name_en": "Supaporn", "last_name_en": ""})
    assert "พิมพ์นามสกุลภาษาอังกฤษด้วย" in error_beside(response.content.decode(), "last_name_en")
    # Both problems at once: a first name in Thai and no last name (the second had come only on the next try).
    body = client.post(reverse("my_name"), {"first_name_en": "สุภาพร", "last_name_en": ""}).content.decode()
    assert "พิมพ์เป็นตัวอักษรภาษาอังกฤษ" in error_beside(body, "first_name_en")
    assert "พิมพ์นามสกุลภาษาอังกฤษด้วย" in error_beside(body, "last_name_en")
    learner_user.learner.refresh_from_db()
    assert learner_user.learner.first_name_en != "สุภาพร"
    # Typed all in small letters: written with capitals, as a passport writes it; a capital typed is kept.
    client.post(reverse("my_name"), {"first_name_en": "malai", "last_name_en": "de Souza"})
    learner_user.learner.refresh_from_db()
    assert (learner_user.learner.first_name_en, learner_user.learner.last_name_en) == ("Malai", "de Souza")
    # Both emptied: the English name is removed, and English pages fall back to the Thai name.
    assert client.post(reverse("my_name"), {"first_name_en": "", "last_name_en": ""}).status_code == 302
    learner_user.learner.refresh_from_db()
    assert learner_user.learner.first_name_en == "" and learner_user.learner.first_name in page(client, "/", "en")


def test_an_officer_adds_their_name_in_english_and_english_official_copies_are_signed_with_it(
    client, staff, registrar, pupil
):
    """An English official transcript named its signer in Thai letters ("สุนิสา ประจำจังหวัด"), which a reader
    abroad cannot read; registrars and officers now give their name in English the way learners do."""
    import pghistory.models

    from transcripts.services import signing_officer

    staff.first_name, staff.last_name = "สุนิสา", "ประจำจังหวัด"
    staff.save()
    assert signing_officer(staff, "en")[0] == "สุนิสา ประจำจังหวัด"  # none given: the name as held
    client.force_login(staff)
    form = page(client, reverse("my_name"), "th")
    assert "สุนิสา ประจำจังหวัด" in form.split('id="thai-name"', 1)[1].split("</p>", 1)[0]
    assert "ใบแสดงผลการเรียนภาษาอังกฤษฉบับทางการที่ท่านออก" in form  # says what it is for, to an officer
    response = client.post(reverse("my_name"), {"first_name_en": "sunisa", "last_name_en": "สุขใจ"})
    assert "พิมพ์เป็นตัวอักษรภาษาอังกฤษ" in error_beside(response.content.decode(), "last_name_en")
    response = client.post(reverse("my_name"), {"first_name_en": "sunisa", "last_name_en": "Prachamchangwat"})
    assert response.status_code == 302 and response.url == reverse("home")
    staff.refresh_from_db()
    assert signing_officer(staff, "en")[0] == "Sunisa Prachamchangwat"
    assert signing_officer(staff, "th")[0] == "สุนิสา ประจำจังหวัด"  # Thai copies keep the Thai name
    [event] = pghistory.models.Events.objects.filter(
        pgh_obj_model="registry.User", pgh_obj_id=staff.pk, pgh_context__service="user_set_english_name"
    )
    assert event.pgh_context["user"] == staff.pk and event.pgh_data["last_name_en"] == "Prachamchangwat"
    # A registrar's is their own too: another user's name is never reached through this page. The registrar's menu
    # leads to it, and the learner's page says, beside the English button, what an English copy is signed with.
    client.force_login(registrar)
    menu = page(client, "/", "en")
    assert f'href="{reverse("my_name")}"' in menu.split("dropdown-menu dropdown-menu-end", 1)[1].split("</ul>", 1)[0]
    from tests.factories import CourseFactory, DepositFactory

    DepositFactory(learner=pupil, course=CourseFactory(institution=registrar.institution), recorded_by=registrar)
    learner_page = page(client, reverse("registry:learner_detail", args=[pupil.pk]), "th")
    assert f'href="{reverse("my_name")}"' in learner_page.split('id="signer-name-en"', 1)[1].split("</p>", 1)[0]
    response = client.post(reverse("my_name"), {"first_name_en": "Wilaiwan", "last_name_en": "Thabian-di"})
    assert response.status_code == 302
    registrar.refresh_from_db()
    staff.refresh_from_db()
    assert signing_officer(registrar, "en")[0] == "Wilaiwan Thabian-di" and staff.first_name_en == "Sunisa"


def test_the_top_bar_names_the_signed_in_user_in_the_pages_language(client, registrar, staff):
    """An English page said "Signed in as วิไลวรรณ ทะเบียนดี" in the top bar, after the user gave their name in English
    for exactly such pages. Officers reach that form from the same menu now: the queue names them in English too."""
    registrar.first_name, registrar.last_name = "วิไลวรรณ", "ทะเบียนดี"
    registrar.first_name_en, registrar.last_name_en = "Wilaiwan", "Thabian-di"
    registrar.save()
    client.force_login(registrar)

    def menu(language):
        return page(client, "/", language).split('id="user-menu"', 1)[1].split("</button>", 1)[0]

    assert "Wilaiwan Thabian-di" in menu("en") and "วิไลวรรณ" not in menu("en")
    assert "วิไลวรรณ ทะเบียนดี" in menu("th")
    registrar.first_name_en = registrar.last_name_en = ""
    registrar.save()
    assert "วิไลวรรณ ทะเบียนดี" in menu("en")  # none given: the name as held
    client.force_login(staff)
    home = page(client, "/", "th")
    assert f'href="{reverse("my_name")}"' in home.split("dropdown-menu dropdown-menu-end", 1)[1].split("</ul>", 1)[0]
