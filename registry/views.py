"""The registrar's pages: learners, the course catalogue, deposits, evidence, voids and imports.

Every view is for a registrar and every lookup goes through the registrar's institution: another institution's
object is a 404.
"""

import re
from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .access import (
    get_course_for_registrar,
    get_deposit_for_user,
    get_import_for_registrar,
    get_learner_for_registrar,
    institution_learner_ids,
    is_administrator,
    is_learner,
    is_provincial_staff,
    is_registrar,
    learner_by_full_identifier,
    learners_visible_to,
    note_found_by_id,
    role_required,
)
from .accounts import unused_codes
from .exports import DEPOSIT_COLUMNS, XLSX_TYPE, csv_response, readable_table, xlsx_response
from .filters import DepositFilter
from .form_helpers import add_errors, post_only
from .forms import (
    BirthDateForm,
    CourseForm,
    DepositForm,
    ImportForm,
    ImportVoidForm,
    LearnerForm,
    LearnerSearchForm,
    VoidForm,
    learner_by_identifier,
)
from .identifiers import clean_text, detect_id_type, normalize_identifier
from .importing.checking import learner_name
from .importing.columns import column_label, template_csv, template_xlsx
from .importing.reading import ImportFileError
from .importing.writing import (
    credit_import_analyse,
    credit_import_commit,
    credit_import_discard,
    credit_import_void,
    file_with_errors,
)
from .message_codes import render_error, render_note
from .models import Course, CreditDeposit, CreditImport, DepositEvidence, Learner, RecordAccess
from .query import forget_refused_id, mark_invalid
from .selectors import (
    PAGE_SIZE,
    courses_matching,
    deposit_page,
    earlier_pass,
    import_outcome,
    imports_listed,
    name_matches,
)
from .uploads import check_evidence, uploaded_file_response

registrar_required = role_required(is_registrar)


# Learners -----------------------------------------------------------------------------------------------------


@registrar_required
@require_http_methods(["GET", "POST"])
def learners(request):
    """The institution's learners; a POSTed search finds one by full identifier (never in the URL) or by name."""
    mine = Learner.objects.filter(pk__any=institution_learner_ids(request.user.institution_id))
    form = LearnerSearchForm(request.POST or None)
    found, register_id = None, ""
    if request.method == "POST" and form.is_valid():
        q = form.cleaned_data["q"]
        identifier = normalize_identifier(q)
        if re.fullmatch(r"[A-Z0-9]{6,15}", identifier) and re.search(r"\d", identifier):
            # Finding anyone by full identifier reaches beyond the institution: logged, and remembered for the
            # learner's page and the deposit form (registry.access.learner_by_full_identifier).
            learner = learner_by_full_identifier(request, identifier, what="search_by_id")
            found = [learner] if learner else []
            register_id = "" if learner else identifier  # carried to the registration form, never in an address
        else:
            found = list(mine.filter(name_matches(q)).order_by("first_name", "last_name")[:50])
    page = None
    if found is None:  # after a search the page shows what was found, with a link back to the whole list
        page = Paginator(mine.order_by("first_name", "last_name"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "found": found, "page": page, "register_id": register_id}
    return render(request, "registry/learners.html", context)


@registrar_required
@require_http_methods(["GET", "POST"])
def learner_new(request):
    if "prefill" in request.POST:  # from a search that found no one: the ID typed there, not typed again
        typed = normalize_identifier(request.POST.get("national_id", ""))[:20]
        form = LearnerForm(initial={"national_id": typed, "id_type": detect_id_type(typed)})
    else:
        form = LearnerForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_bound and form.is_valid():
        data = form.cleaned_data
        # An identifier already registered opens that learner (logged), whichever institution registered them.
        existing = learner_by_full_identifier(request, data["national_id"], what="register_existing")
        if existing is None:
            try:
                learner = services.learner_register(actor=request.user, **data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The learner is registered."))
                return redirect("registry:learner_detail", pk=learner.pk)
    names_differ = existing is not None and (existing.first_name, existing.last_name) != (
        form.cleaned_data.get("first_name"),
        form.cleaned_data.get("last_name"),
    )
    context = {"form": form, "existing": existing, "names_differ": names_differ}
    return render(request, "registry/learner_form.html", context)


@registrar_required
@require_GET
def learner_detail(request, pk):
    """The institution's own learner in full; a learner of another institution found by full identifier with only
    their name, the masked identifier and this institution's records for them. Each opening is logged."""
    learner, own = get_learner_for_registrar(request, pk)
    what = "learner_detail" if own else "learner_found_by_id"
    RecordAccess.objects.create(user=request.user, learner=learner, what=what)
    return learner_page(request, learner, own)


def learner_page(request, learner, own: bool, *, birth_form=None, status: int = 200):
    """The learner's page as the registrar sees it; `birth_form` asks for a birth date the registry lacks (a slip
    needs it), bound when what was typed is shown again with its error."""
    deposits = (
        CreditDeposit.objects.for_institution(request.user.institution)
        .filter(learner=learner)
        .select_related("course")
        .order_by("-completed_on")
    )
    if birth_form is None and own and learner.birth_date is None:
        birth_form = BirthDateForm()
    context = {"learner": learner, "own": own, "deposits": deposits, "birth_form": birth_form}
    if own:  # a slip handed out and not used yet stops working when another is printed: said before the button
        context["outstanding_code"] = unused_codes(learner).order_by("-issued_at").only("issued_at").first()
    return render(request, "registry/learner_detail.html", context, status=status)


# Courses ------------------------------------------------------------------------------------------------------


@registrar_required
@require_GET
def courses(request):
    qs = Course.objects.filter(institution_id=request.user.institution_id).order_by("code")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/courses.html", {"page": page})


@registrar_required
@require_http_methods(["GET", "POST"])
def course_form(request, pk=None):
    institution = request.user.institution
    course = get_course_for_registrar(request.user, pk) if pk else Course(institution=institution)
    form = CourseForm(request.POST or None, instance=course, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_save(
                actor=request.user, institution=institution, course=form.instance, changed=form.changed_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The course is saved."))
            return redirect("registry:courses")
    return render(request, "registry/course_form.html", {"form": form, "course": course})


# Deposits -----------------------------------------------------------------------------------------------------


def institution_deposits(request):
    qs = CreditDeposit.objects.for_institution(request.user.institution).select_related("learner", "course")
    return DepositFilter(
        request.GET or None, queryset=qs.order_by("-recorded_at", "-pk"), institution=request.user.institution
    )


@registrar_required
@require_GET
def deposits(request):
    filterset = institution_deposits(request)
    page = deposit_page(filterset.qs, request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    if forget_refused_id(filterset.form):  # a national ID: not searched, and out of the box and the links below
        query.pop("q", None)
    mark_invalid(filterset.form)
    context = {"filter": filterset, "page": page, "query": query.urlencode(), "chosen": chosen_filters(filterset)}
    return render(request, "registry/deposits.html", context)


def chosen_filters(filterset) -> list[tuple[str, str]]:
    """Each filter in use: what its chip says ("Learning type: formal"; a value that names itself, "Term 2", alone:
    not "Term: term 2") and the query without it."""
    chosen = []
    form = filterset.form
    if not form.is_bound or not form.is_valid():
        return chosen
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        choices = {str(key): label for key, label in getattr(field, "choices", [])}
        shown = choices.get(str(form.data.get(name)), value)
        if name == "credit_import":  # the import's reference, as its page and the list of imports name it
            shown = f"#{value}"
        rest = form.data.copy()
        rest.pop(name, None)
        rest.pop("page", None)
        label, shown = str(field.label), capfirst(str(shown))
        text = shown if shown.casefold().startswith(label.casefold()) else f"{capfirst(label)}: {shown}"
        chosen.append((text, rest.urlencode()))
    return chosen


@registrar_required
@require_GET
def deposits_export(request, file_format):
    """The deposit list as filtered, for people in the page's language (B.E. dates, words for codes), with an ISO
    8601 column beside each date and time for programs."""
    filterset = institution_deposits(request)
    if filterset.refused:  # back to the list, which says what is wrong beside the filter
        return redirect(f"{reverse('registry:deposits')}?{request.GET.urlencode()}")
    header, rows = readable_table(DEPOSIT_COLUMNS, filterset.qs.iterator(chunk_size=2000))
    name = f"deposits-{request.user.institution.code}"
    if file_format == "xlsx":
        return xlsx_response(name, header, rows, sheet_title=_("Deposits"))
    return csv_response(name, header, rows)


@registrar_required
@require_http_methods(["GET", "POST"])
def deposit_new(request):
    """Record credits. From a learner's page (?learner=pk) the learner is fixed and named; nothing is typed again."""
    institution = request.user.institution
    learner = None
    if request.GET.get("learner", "").isdigit():
        learner, _own = get_learner_for_registrar(request, int(request.GET["learner"]))
    form = DepositForm(request.POST or None, request.FILES or None, institution=institution, learner=learner)
    # A learner found by a typed ID is named first: a form sent before the page showed that name comes back with
    # it, everything typed kept, and is saved when sent again.
    valid = request.method == "POST" and form.is_valid()
    if learner is None and form.learner is not None:  # named by a typed ID: reaching past the institution is logged
        note_found_by_id(request, form.learner, what="deposit_form")
    if valid and not form.unconfirmed:
        data = form.cleaned_data
        try:
            evidence = check_evidence(data["evidence"]) if data["evidence"] else None
        except ValidationError as exc:
            form.add_error("evidence", exc)
        else:
            try:
                deposit = services.deposit_record(
                    actor=request.user,
                    learner=form.learner,
                    course=data["course"],
                    grade=data["grade"],
                    completed_on=data["completed_on"],
                    academic_year=data["academic_year"],
                    term=data["term"],
                    learning_type=data["learning_type"] or None,
                    evidence=evidence,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The credits are recorded."))
                if earlier := earlier_pass(deposit):
                    messages.warning(
                        request,
                        _(
                            "This learner also passed this course in %(year)s/%(term)s (grade %(grade)s): both are on "
                            "record and its credits count once. If this one was typed twice by mistake, void it with "
                            "the reason."
                        )
                        % {"year": earlier.academic_year, "term": earlier.term, "grade": earlier.grade},
                    )
                return redirect("registry:deposit_detail", pk=deposit.pk)
    if request.FILES.get("evidence") and "evidence" not in form.errors:
        # A browser never puts a chosen file back into a form sent back to it: said, or it would be saved without.
        form.add_error("evidence", _("The file you chose was not kept: choose it again before saving."))
    return render(request, "registry/deposit_form.html", {"form": form, "learner": learner})


@registrar_required
@post_only("registry:deposit_new")
def deposit_learner(request):
    """Who the ID typed on the deposit form belongs to, named before anything is saved (htmx). POST, so that the ID
    stays out of the address and the server's log."""
    found, problem, unregistered = None, "", False
    if typed := request.POST.get("national_id", "").strip():
        try:
            found = learner_by_identifier(typed)  # the form's own lookup and messages
        except ValidationError as exc:
            problem, unregistered = exc.messages[0], exc.error_list[0].code == "not_registered"
        else:
            note_found_by_id(request, found, what="deposit_form")
    context = {"found": found, "problem": problem, "unregistered": unregistered}
    return render(request, "registry/_deposit_learner.html", context)


@registrar_required
@require_GET
def course_options(request):
    """The <option>s of the institution's courses whose code or title holds the typed text (htmx, deposit form)."""
    q = clean_text(request.GET.get("course_search", ""))[:100]
    courses = Course.objects.filter(institution_id=request.user.institution_id).order_by("code")
    selected_id = request.GET.get("course", "")
    selected = courses.filter(pk=selected_id).first() if selected_id.isdigit() else None
    courses = courses_matching(courses, q)
    if selected is not None:
        courses = courses.exclude(pk=selected.pk)
    context = {"courses": courses[:50], "selected": selected}
    return render(request, "registry/_course_options.html", context)


@registrar_required
@require_GET
def grade_options(request):
    """The <option>s of the grade scale of the chosen course: the deposit form swaps them in with htmx."""
    course_id = request.GET.get("course", "")
    course = get_course_for_registrar(request.user, course_id) if course_id.isdigit() else None
    choices = course.grade_scale.choices() if course else []
    # A grade already chosen stays chosen when it belongs to the new scale too.
    context = {"choices": choices, "selected": request.GET.get("grade", ""), "course": course}
    return render(request, "registry/_grade_options.html", context)


@role_required(is_registrar, is_provincial_staff, is_administrator, is_learner)
@require_GET
def deposit_detail(request, pk):
    deposit = get_deposit_for_user(request.user, pk)
    void_form = VoidForm() if is_registrar(request.user) and deposit.is_active else None
    return render(request, "registry/deposit_detail.html", _deposit_context(request, deposit, void_form))


def _deposit_context(request, deposit, void_form) -> dict:
    """A deposit's page. Its learner's page is linked only while the registrar may open it: a deposit recorded for
    the wrong person, once voided, leaves that person out of the school's reach, and the links had led to a 404."""
    reachable = is_registrar(request.user) and learners_visible_to(request.user).filter(pk=deposit.learner_id).exists()
    return {
        "deposit": deposit,
        "evidence": deposit.evidence.all(),
        "void_form": void_form,
        "learner_reachable": reachable,
    }


@registrar_required
@post_only("registry:deposit_detail")
def deposit_void(request, pk):
    deposit = get_deposit_for_user(request.user, pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.deposit_void(actor=request.user, deposit_id=deposit.pk, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The deposit is voided; it stays in the history with your reason."))
            return redirect("registry:deposit_detail", pk=deposit.pk)
    return render(request, "registry/deposit_detail.html", _deposit_context(request, deposit, form), status=400)


@role_required(is_registrar, is_provincial_staff, is_administrator, is_learner)
@require_GET
def evidence_file(request, pk, evidence_pk):
    deposit = get_deposit_for_user(request.user, pk)
    evidence = DepositEvidence.objects.filter(deposit=deposit, pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    return uploaded_file_response(
        evidence.file, evidence.content_type, f"evidence-{deposit.pk}-{evidence.pk}{evidence.extension}"
    )


# Imports ------------------------------------------------------------------------------------------------------


@registrar_required
@require_http_methods(["GET", "POST"])
def imports(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            credit_import = credit_import_analyse(
                actor=request.user,
                institution=request.user.institution,
                data=upload.read(),
                filename=upload.name,
                create_courses=form.cleaned_data["create_courses"],
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("registry:import_detail", pk=credit_import.pk)
    page = Paginator(imports_listed(request.user.institution_id), 20).get_page(request.GET.get("page"))
    return render(request, "registry/imports.html", {"form": form, "page": page})


@registrar_required
@require_GET
def import_detail(request, pk):
    """The preview (what committing will do) or the result (what it did), with every row's messages in the
    reader's language."""
    return _import_page(request, get_import_for_registrar(request.user, pk))


def _is_creation(note) -> bool:
    return not isinstance(note, str) and note[0] in ("learner_new", "course_new", "course_new_at_level")


def _import_page(request, credit_import, confirm_error: str = "", void_form=None, status: int = 200):
    done = credit_import.status == CreditImport.Status.COMMITTED
    rows = credit_import.report
    show = request.GET.get("show", "problems" if credit_import.error_count else "all")
    if show == "problems":
        # The errors first, in row order: in a file of 2,000 new learners' rows, each noted "will be registered",
        # three errors had been on the tab's third page.
        rows = [r for r in rows if r["status"] == "error"] + [
            r for r in rows if r["status"] != "error" and (r["status"] != "new" or r["notes"])
        ]
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    shown = [
        {
            **r,
            "learner_name": learner_name(r),
            "errors": [(column_label(column), words) for column, words in map(render_error, r["errors"])],
            # A row in error registers no one and adds no course: what it would have done is not said beside it.
            "notes": [render_note(n, done=done) for n in r["notes"] if not (r["errors"] and _is_creation(n))],
        }
        for r in page
    ]
    context = {"imp": credit_import, "page": page, "rows": shown, "show": show, "query": f"show={show}", "done": done}
    context["unused"] = sum(1 for r in credit_import.report if r["status"] == "unused")
    context.update(import_outcome(credit_import))
    new_terms = Counter((r["academic_year"], r["term"]) for r in credit_import.report if r["status"] == "new")
    context["terms"] = [(year, term, n) for (year, term), n in sorted(new_terms.items()) if year]
    context["confirm_error"] = confirm_error
    if done:  # what of the file still stands, to see in the deposits list or to undo at once
        context["void_form"] = void_form or ImportVoidForm()
        credit_import.standing = bool(context["active_deposits"])  # its status says "undone" when nothing stands
    if credit_import.status == CreditImport.Status.PREVIEWED:  # before importing, say if this very file came before
        context["same_file"] = (
            CreditImport.objects.filter(
                institution_id=credit_import.institution_id,
                sha256=credit_import.sha256,
                uploaded_at__lte=credit_import.uploaded_at,
            )
            # One refused or discarded wrote nothing: uploading it again is the way to bring its results in.
            .exclude(status__in=[CreditImport.Status.REJECTED, CreditImport.Status.DISCARDED])
            .exclude(pk=credit_import.pk)
            .order_by("-uploaded_at")
            .only("uploaded_at", "status", "new_count")
            .first()
        )
    return render(request, "registry/import_detail.html", context, status=status)


@registrar_required
@post_only("registry:import_detail")
def import_commit(request, pk):
    credit_import = get_import_for_registrar(request.user, pk)
    if credit_import.courses_created and not request.POST.get("confirm_courses"):
        # The preview again, the error beside the box to tick; nothing is written.
        return _import_page(
            request, credit_import, _("Tick the box to confirm adding the new courses to your catalogue.")
        )
    credit_import = credit_import_commit(actor=request.user, import_id=credit_import.pk)
    if credit_import.status == CreditImport.Status.COMMITTED and not credit_import.new_count:
        # Its rows recorded meanwhile (another file, the form): "imported 0 new deposits" read as a fault.
        messages.info(request, _("Nothing new was imported: every row had been recorded since the file was checked."))
    elif credit_import.status == CreditImport.Status.COMMITTED:
        n = credit_import.new_count
        messages.success(request, ngettext("Imported %(n)s new deposit.", "Imported %(n)s new deposits.", n) % {"n": n})
    else:
        messages.error(request, _("The file was not imported: see the rows with errors."))
    return redirect("registry:import_detail", pk=pk)


@registrar_required
@post_only("registry:import_detail")
def import_discard(request, pk):
    credit_import = credit_import_discard(actor=request.user, import_id=get_import_for_registrar(request.user, pk).pk)
    if credit_import.status == CreditImport.Status.DISCARDED:
        messages.info(request, _("The file was not imported, and is deleted: nothing of it was written."))
    return redirect("registry:import_detail", pk=pk)


@registrar_required
@post_only("registry:import_detail")
def import_void(request, pk):
    """Undo an imported file: every deposit it wrote that is still active is voided, with the reason given."""
    credit_import = get_import_for_registrar(request.user, pk)
    form = ImportVoidForm(request.POST)
    if form.is_valid():
        try:
            n = credit_import_void(actor=request.user, import_id=credit_import.pk, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # not imported (a preview, a refused file): said on its page
                messages.error(request, " ".join(exc.messages))
                return redirect("registry:import_detail", pk=pk)
            add_errors(form, exc)
        else:
            if not n:  # a second tab, or sent twice: nothing of it was standing
                messages.info(request, _("Nothing to undo: every deposit of this import is voided already."))
                return redirect("registry:import_detail", pk=pk)
            messages.success(
                request,
                ngettext(
                    "The import is undone: %(n)s deposit is voided, and stays in the history with your reason.",
                    "The import is undone: %(n)s deposits are voided, and stay in the history with your reason.",
                    n,
                )
                % {"n": n},
            )
            return redirect("registry:import_detail", pk=pk)
    return _import_page(request, credit_import, void_form=form, status=400)


@registrar_required
@require_GET
def import_rejected(request, pk):
    """A rejected file as uploaded, with a column of each row's errors, in its format (CSV or XLSX): to correct and
    upload again whole."""
    credit_import = get_import_for_registrar(request.user, pk)
    try:
        header, rows = file_with_errors(credit_import)
    except (ImportFileError, OSError):
        raise Http404 from None
    name = f"import-{credit_import.pk}-with-errors"
    if credit_import.file_format == "xlsx":
        return xlsx_response(name, header, rows, sheet_title=_("Rows to correct"))
    return csv_response(name, header, rows)


@registrar_required
@require_GET
def import_template(request, file_format):
    if file_format == "xlsx":
        data, content_type = template_xlsx(), XLSX_TYPE
    else:
        data, content_type = template_csv(), "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="credit-import-template.{file_format}"'
    return response
