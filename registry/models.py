"""The ledger core: institutions, learners, courses, credit deposits, and the people who use the registry."""

import datetime
import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import LearningType, Level
from .grades import ALL_GRADE_CODES, CREDIT_EARNING_CODES, RECOGNITION, SCALES, GradeScale
from .identifiers import IdType, format_national_id, mask_identifier
from .message_codes import render
from .uploads import EXTENSIONS


def choices_check(field: str, choices, name: str) -> models.CheckConstraint:
    """A CheckConstraint that keeps a choices field to its choices in the database too."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": [value for value, _ in choices]}), name=name)


class District(models.TextChoices):
    MUEANG = "mueang_phichit", _("Mueang Phichit")
    WANG_SAI_PHUN = "wang_sai_phun", _("Wang Sai Phun")
    PHO_PRATHAP_CHANG = "pho_prathap_chang", _("Pho Prathap Chang")
    TAPHAN_HIN = "taphan_hin", _("Taphan Hin")
    BANG_MUN_NAK = "bang_mun_nak", _("Bang Mun Nak")
    PHO_THALE = "pho_thale", _("Pho Thale")
    SAM_NGAM = "sam_ngam", _("Sam Ngam")
    TAP_KHLO = "tap_khlo", _("Tap Khlo")
    SAK_LEK = "sak_lek", _("Sak Lek")
    BUENG_NA_RANG = "bueng_na_rang", _("Bueng Na Rang")
    DONG_CHAROEN = "dong_charoen", _("Dong Charoen")
    WACHIRABARAMI = "wachirabarami", _("Wachirabarami")


RECOGNITION_CODES = [g.code for g in RECOGNITION]

LEVEL_SCALE = {
    Level.PRIMARY: "basic",
    Level.LOWER_SECONDARY: "basic",
    Level.UPPER_SECONDARY: "basic",
    Level.SHORT_COURSE: "basic",
    Level.VOCATIONAL_CERTIFICATE: "vocational",
    Level.HIGH_VOCATIONAL: "vocational",
    Level.BACHELOR: "higher",
}


def scale_for_level(level: str) -> GradeScale:
    return SCALES[LEVEL_SCALE[level]]


class Term(models.IntegerChoices):
    FIRST = 1, _("term 1")
    SECOND = 2, _("term 2")
    SUMMER = 3, _("summer")


class Role(models.TextChoices):
    PROVINCIAL_STAFF = "provincial_staff", _("provincial office staff")
    REGISTRAR = "registrar", _("registrar")
    LEARNER = "learner", _("learner")
    ADMINISTRATOR = "administrator", _("administrator")


class InstitutionKind(models.TextChoices):
    SCHOOL = "school", _("school")
    VOCATIONAL_COLLEGE = "vocational_college", _("vocational college")
    NON_FORMAL_CENTRE = "non_formal_centre", _("lifelong-learning / non-formal centre")
    UNIVERSITY = "university", _("university")
    TRAINING_PROVIDER = "training_provider", _("training provider")
    WORKPLACE = "workplace", _("workplace / community")


def local_name(th: str, en: str) -> str:
    """A name in the reader's language: the English one on English pages when there is one, else the Thai one."""
    return en if en and translation.get_language() == "en" else th


def display_method(field_name: str, choices: type[models.Choices]):
    """A model's get_FOO_display for a field of `choices`, its labels looked up in a dict made once.

    Django's own flattens the field's choices into a new dict at every call: a list of fifty rows pays that for every
    row and every column it labels. The label is still translated when shown, in the reader's language, and starts
    with a capital as a label standing alone does ("Voided" in a column; a sentence uses the choice's own label).
    """
    labels = dict(choices.choices)

    def display(self) -> str:
        value = getattr(self, field_name)
        return capfirst(str(labels[value])) if value in labels else value

    display.__name__ = f"get_{field_name}_display"
    return display


@pghistory.track()
class Institution(models.Model):
    Kind = InstitutionKind

    code = models.CharField(_("official code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    get_kind_display = display_method("kind", InstitutionKind)
    district = models.CharField(_("district"), max_length=30, choices=District.choices)
    mou_member = models.BooleanField(_("MOU member"), default=False)
    mou_signed_on = models.DateField(_("MOU signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name_th"]
        constraints = [
            choices_check("kind", InstitutionKind.choices, "institution_kind_valid"),
            choices_check("district", District.choices, "institution_district_valid"),
            models.CheckConstraint(
                condition=Q(mou_signed_on__isnull=True) | Q(mou_member=True),
                name="institution_mou_date_needs_membership",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language (local_name)."""
        return local_name(self.name_th, self.name_en)


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """A login. Its role decides what it sees; a registrar works for exactly one institution."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEARNER)
    get_role_display = display_method("role", Role)  # in every page's menu
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    # A password someone else chose (a new registrar's, set by provincial staff): replaced at the first login.
    password_change_required = models.BooleanField(_("must change the password at the next login"), default=False)
    # The language the user chose with the language switch; empty: not chosen (Thai).
    language = models.CharField(_("language"), max_length=2, blank=True, default="", choices=settings.LANGUAGES)
    # The name as the user spells it in English (a registrar's or officer's signs English official transcripts);
    # empty: none given, and English documents print the name as held.
    first_name_en = models.CharField(_("first name (English)"), max_length=100, blank=True)
    last_name_en = models.CharField(_("last name (English)"), max_length=100, blank=True)

    objects = UserManager()

    # The columns display_name and name_in read: a list that names users loads these and no more (.only()).
    NAME_FIELDS = ("first_name", "last_name", "username", "first_name_en", "last_name_en")

    @property
    def display_name(self) -> str:
        """The user's name in the page's language (the top bar, "recorded by", "under review by"): see name_in."""
        return self.name_in(translation.get_language())

    def name_in(self, lang: str) -> str:
        """The user's name in `lang`: in English, the English name when one was given; else the name as the registry
        holds it, else the username (a login given no name)."""
        if lang == "en" and self.first_name_en:
            return f"{self.first_name_en} {self.last_name_en}".strip()
        return self.get_full_name() or self.username

    def set_password(self, raw_password):
        """Any new password (changed, reset) is the user's own from then on."""
        super().set_password(raw_password)
        self.password_change_required = False

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            choices_check("role", Role.choices, "user_role_valid"),
            models.CheckConstraint(condition=Q(language__in=["", "th", "en"]), name="user_language_valid"),
            models.CheckConstraint(
                condition=~Q(role="registrar") | Q(institution__isnull=False),
                name="user_registrar_has_institution",
            ),
            models.CheckConstraint(
                condition=Q(role="registrar") | Q(institution__isnull=True),
                name="user_only_registrar_has_institution",
            ),
        ]

    @property
    def is_provincial_staff(self) -> bool:
        return self.role == Role.PROVINCIAL_STAFF

    @property
    def is_registrar(self) -> bool:
        return self.role == Role.REGISTRAR

    @property
    def is_learner(self) -> bool:
        return self.role == Role.LEARNER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser


class Prefix(models.TextChoices):
    BOY = "boy", "เด็กชาย"
    GIRL = "girl", "เด็กหญิง"
    MR = "mr", "นาย"
    MISS = "miss", "นางสาว"
    MRS = "mrs", "นาง"


PREFIX_EN = {"boy": "Master", "girl": "Miss", "mr": "Mr.", "miss": "Ms.", "mrs": "Mrs."}


class IdKind(models.TextChoices):
    CITIZEN = IdType.CITIZEN, _("Thai national ID")
    G_CODE = IdType.G_CODE, _("G-code")
    PASSPORT = IdType.PASSPORT, _("passport number")


def birth_date_error(born: datetime.date | None) -> str | None:
    """What is wrong with a birth date, wherever one is typed (the registrar's forms, the admin, the services; the
    importer words the same code): one in the future is refused."""
    return render("birth_date_future") if born and born > timezone.localdate() else None


@pghistory.track()
class Learner(models.Model):
    IdKind = IdKind

    national_id = models.CharField(_("identifier"), max_length=20, unique=True)
    id_type = models.CharField(_("kind of identifier"), max_length=10, choices=IdKind.choices)
    get_id_type_display = display_method("id_type", IdKind)
    prefix = models.CharField(_("prefix"), max_length=10, choices=Prefix.choices)
    get_prefix_display = display_method("prefix", Prefix)  # in full_name, on every list of learners
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_en = models.CharField(_("first name (English)"), max_length=100, blank=True)
    last_name_en = models.CharField(_("last name (English)"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learner",
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    # The institution whose registrar registered the learner: its registrars find the learner by name before any
    # deposit exists. Other institutions find the learner only by the full identifier.
    registered_by_institution = models.ForeignKey(
        Institution,
        verbose_name=_("registered by institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["first_name", "last_name"]
        constraints = [
            choices_check("id_type", IdKind.choices, "learner_id_type_valid"),
            choices_check("prefix", Prefix.choices, "learner_prefix_valid"),
            models.CheckConstraint(
                condition=(Q(id_type="citizen") & Q(national_id__regex=r"^[0-9]{13}$"))
                | (Q(id_type="g_code") & Q(national_id__regex=r"^G[0-9]{12}$"))
                | (Q(id_type="passport") & Q(national_id__regex=r"^[A-Z0-9]{6,15}$")),
                name="learner_identifier_matches_type",
            ),
            models.CheckConstraint(condition=~Q(first_name=""), name="learner_first_name_required"),
        ]
        indexes = [
            # Lists of learners ordered by name.
            models.Index(fields=["first_name", "last_name"], name="learner_name_idx"),
            # Registrars' search by part of a name, Thai or English: icontains is UPPER(name) LIKE '%...%'; trigrams
            # serve it.
            GinIndex(OpClass(Upper("first_name"), name="gin_trgm_ops"), name="learner_first_name_trgm"),
            GinIndex(OpClass(Upper("last_name"), name="gin_trgm_ops"), name="learner_last_name_trgm"),
            GinIndex(OpClass(Upper("first_name_en"), name="gin_trgm_ops"), name="learner_first_name_en_trgm"),
            GinIndex(OpClass(Upper("last_name_en"), name="gin_trgm_ops"), name="learner_last_name_en_trgm"),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        """A name in English is both its parts or none: a first name alone printed "Ms. Supaporn" on English
        transcripts, the family name left out (the admin saved one; the learner's own form asks for both)."""
        super().clean()
        if bool(self.first_name_en) != bool(self.last_name_en):
            missing = "last_name_en" if self.first_name_en else "first_name_en"
            raise ValidationError({missing: _("Give both the first and the family name in English, or neither.")})
        if message := birth_date_error(self.birth_date):  # the admin's form too
            raise ValidationError({"birth_date": message})

    def _name(self, *, family_initial: bool = False) -> str:
        """The name in the reader's language: on English pages the English name when one is recorded, else the Thai
        name with the English title ("Mr. สมชาย ใจดี"); on Thai pages the Thai name ("นายสมชาย ใจดี"). With
        `family_initial`, the family name by its first letter only ("นายสมชาย ใ.")."""
        english = translation.get_language() == "en"
        first, family = (
            (self.first_name_en, self.last_name_en)
            if english and self.first_name_en
            else (self.first_name, self.last_name)
        )
        if family_initial and family:
            family = f"{family[:1]}."
        # A Thai title is joined to a Thai name (นายสมชาย); before a name in Latin letters, a word apart (นาย John).
        apart = english or first[:1].isascii()
        return f"{self.prefix_local}{' ' if apart else ''}{first} {family}".strip()

    @property
    def full_name(self) -> str:
        return self._name()

    @property
    def initialled_name(self) -> str:
        """The first name in full, the family name by its first letter: enough to match a paper, not to find anyone
        (the public verify page)."""
        return self._name(family_initial=True)

    @property
    def prefix_local(self) -> str:
        """The title in the reader's language: "Mr." on English pages and files, "นาย" on Thai ones."""
        return local_name(self.get_prefix_display(), PREFIX_EN[self.prefix])

    @property
    def full_name_th(self) -> str:
        apart = " " if self.first_name[:1].isascii() else ""
        return f"{self.get_prefix_display()}{apart}{self.first_name} {self.last_name}"

    @property
    def full_name_en(self) -> str:
        if not self.first_name_en:
            return ""
        return f"{PREFIX_EN[self.prefix]} {self.first_name_en} {self.last_name_en}".strip()

    @property
    def other_name(self) -> str:
        """The name in the other language, shown beside full_name where a registrar checks who this is: the Thai name
        on English pages, the English name (if any) on Thai pages. Empty when the page shows no other (an English
        page of a learner with no English name shows the Thai name already)."""
        if not self.first_name_en:
            return ""
        return self.full_name_th if translation.get_language() == "en" else self.full_name_en

    @property
    def masked_id(self) -> str:
        return mask_identifier(self.national_id)

    @property
    def formatted_id(self) -> str:
        return format_national_id(self.national_id)


@pghistory.track()
class Course(models.Model):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="courses"
    )
    code = models.CharField(_("course code"), max_length=30)
    title_th = models.CharField(_("title (Thai)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1)
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    get_level_display = display_method("level", Level)
    subject_group = models.CharField(_("subject group"), max_length=100, blank=True)
    learning_type = models.CharField(_("learning type"), max_length=12, choices=LearningType.choices)
    get_learning_type_display = display_method("learning_type", LearningType)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="course_code_unique_per_institution"),
            models.CheckConstraint(condition=Q(credits__gt=0), name="course_credits_positive"),
            models.CheckConstraint(condition=Q(credits__lte=99), name="course_credits_at_most_99"),
            # Half-credit steps: twice the credits is a whole number.
            models.CheckConstraint(
                condition=Q(credits=models.functions.Round(F("credits") * 2) / 2),
                name="course_credits_half_steps",
            ),
            choices_check("level", Level.choices, "course_level_valid"),
            choices_check("learning_type", LearningType.choices, "course_learning_type_valid"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        """The title in the reader's language (local_name)."""
        return local_name(self.title_th, self.title_en)

    @property
    def grade_scale(self) -> GradeScale:
        return scale_for_level(self.level)


class DepositOrigin(models.TextChoices):
    EARNED = "earned", _("earned at the institution")
    TRANSFER_IN = "transfer_in", _("transferred in")


class DepositStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    VOIDED = "voided", _("voided")


class CreditDepositQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=DepositStatus.ACTIVE)

    def earning(self):
        """Deposits whose grade earns credit (not 0, F, มส, ร, W, ...)."""
        return self.filter(grade__in=CREDIT_EARNING_CODES)

    def holding(self):
        """Deposits by which a learner holds a course's credit: active, with a grade that earns it (a failed or voided
        attempt holds nothing). A course held is not transferred or assessed into again."""
        return self.active().earning()

    def for_learner(self, learner):
        return self.filter(learner=learner)

    def for_institution(self, institution):
        return self.filter(course__institution=institution)


@pghistory.track()
class CreditDeposit(models.Model):
    """One learner's credits for one course: a ledger line. Never edited or deleted, only voided."""

    Status = DepositStatus
    # Set by registry.selectors.balance_of on a later pass of a course already counted: listed, not counted again.
    repeat = False

    learner = models.ForeignKey(Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="deposits")
    # Indexed below with the learner (deposit_course_learner_idx), which serves every lookup by course as well.
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="deposits", db_index=False
    )
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=8)
    completed_on = models.DateField(_("completed on"))
    academic_year = models.PositiveSmallIntegerField(_("academic year (B.E.)"))
    term = models.PositiveSmallIntegerField(_("term"), choices=Term.choices)
    get_term_display = display_method("term", Term)
    learning_type = models.CharField(_("learning type"), max_length=12, choices=LearningType.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Both shown on every row of the deposit lists.
    get_learning_type_display = display_method("learning_type", LearningType)
    get_status_display = display_method("status", DepositStatus)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="deposits_recorded"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    voided_by = models.ForeignKey(
        User,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits_voided",
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=12, choices=DepositOrigin.choices, default=DepositOrigin.EARNED)
    get_origin_display = display_method("origin", DepositOrigin)
    credit_import = models.ForeignKey(
        "CreditImport",
        verbose_name=_("imported from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
    )

    objects = CreditDepositQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit deposit")
        verbose_name_plural = _("credit deposits")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(credits__gt=0), name="deposit_credits_positive"),
            models.CheckConstraint(
                condition=Q(credits=models.functions.Round(F("credits") * 2) / 2),
                name="deposit_credits_half_steps",
            ),
            models.CheckConstraint(
                condition=Q(academic_year__gte=2400) & Q(academic_year__lte=2700),
                name="deposit_academic_year_buddhist_era",
            ),
            choices_check("term", Term.choices, "deposit_term_valid"),
            choices_check("learning_type", LearningType.choices, "deposit_learning_type_valid"),
            choices_check("status", DepositStatus.choices, "deposit_status_valid"),
            choices_check("origin", DepositOrigin.choices, "deposit_origin_valid"),
            # A transfer-in carries its notation (TR, CS, CE, CT, CP) as its grade; an earned deposit never does.
            models.CheckConstraint(
                condition=(Q(origin="transfer_in") & Q(grade__in=RECOGNITION_CODES))
                | (Q(origin="earned") & ~Q(grade__in=["TR", "TC"])),
                name="deposit_transfer_in_has_notation",
            ),
            models.CheckConstraint(condition=Q(grade__in=ALL_GRADE_CODES), name="deposit_grade_known"),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(void_reason="") & Q(voided_at__isnull=True))
                | (Q(status="voided") & ~Q(void_reason="") & Q(voided_at__isnull=False)),
                name="deposit_void_has_reason_and_time",
            ),
            models.UniqueConstraint(
                fields=["learner", "course", "academic_year", "term"],
                condition=Q(status="active"),
                name="deposit_one_active_per_course_and_term",
            ),
        ]
        indexes = [
            # A learner's balance and history: active deposits of one learner.
            models.Index(fields=["learner", "status"], name="deposit_learner_status_idx"),
            # A registrar's recent deposits (deposit list, home page), newest first: the deposit list's page of keys
            # (registry.selectors.page_of) is read from this index alone, course by course, then the page's rows kept.
            models.Index(fields=["course", "-recorded_at", "-id"], name="deposit_course_recent_idx"),
            # Every lookup by course (the foreign key's own index).
            models.Index(fields=["course", "learner"], name="deposit_course_learner_idx"),
            # An institution's learners (registry.access.institution_learner_ids): the learners of its courses'
            # active deposits, read from the index alone.
            models.Index(
                fields=["course", "learner"],
                name="deposit_course_active_idx",
                condition=models.Q(status="active"),
            ),
        ]
        triggers = [
            pgtrigger.ReadOnly(
                name="deposit_ledger_fields_read_only",
                fields=[
                    "learner",
                    "course",
                    "credits",
                    "grade",
                    "completed_on",
                    "academic_year",
                    "term",
                    "learning_type",
                    "recorded_by",
                    "recorded_at",
                    "credit_import",
                    "origin",
                ],
            ),
            pgtrigger.Protect(name="deposit_no_delete", operation=pgtrigger.Delete),
            # A void is final: a voided deposit is never changed again.
            pgtrigger.Protect(
                name="deposit_void_is_final",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__status="voided"),
            ),
        ]

    def __str__(self):
        return f"{self.course.code} {self.grade} ({self.credits})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


def evidence_path(instance, filename):
    # Server-made names only: the uploaded file name never reaches the file system.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


@pghistory.track()
class DepositEvidence(models.Model):
    """A file that backs a deposit: a certificate, a score sheet, a portfolio page. Checked and re-encoded."""

    deposit = models.ForeignKey(
        CreditDeposit, verbose_name=_("credit deposit"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    content_type = models.CharField(_("content type"), max_length=40)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=list(EXTENSIONS)),
                name="evidence_content_type_allowed",
            ),
        ]

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("previewed")
    COMMITTED = "committed", _("imported")
    REJECTED = "rejected", pgettext_lazy("import status", "rejected")
    DISCARDED = "discarded", pgettext_lazy("import status", "not imported (discarded)")


def import_path(instance, filename):
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


@pghistory.track()
class CreditImport(models.Model):
    """One spreadsheet of deposits: who sent it, when, what it held and what became of it."""

    Status = ImportStatus

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="imports"
    )
    file = models.FileField(_("file"), upload_to=import_path)
    original_name = models.CharField(_("original file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    uploaded_by = models.ForeignKey(User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    get_status_display = display_method("status", ImportStatus)
    create_courses = models.BooleanField(_("create missing courses"), default=False)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    new_count = models.PositiveIntegerField(_("new deposits"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplicates"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    learners_created = models.PositiveIntegerField(_("learners registered"), default=0)
    courses_created = models.PositiveIntegerField(_("courses added"), default=0)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    report = models.JSONField(_("row report"), default=list, blank=True)

    class Meta:
        verbose_name = _("credit import")
        verbose_name_plural = _("credit imports")
        ordering = ["-uploaded_at"]
        constraints = [
            choices_check("status", ImportStatus.choices, "import_status_valid"),
            models.CheckConstraint(condition=Q(file_format__in=["csv", "xlsx"]), name="import_format_valid"),
        ]
        indexes = [
            # The registrar's home and import list: an institution's imports, newest first.
            models.Index(fields=["institution", "-uploaded_at"], name="import_institution_recent_idx"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return f".{self.file_format}"


@pghistory.track(exclude=["code_hash"])
class ActivationCode(models.Model):
    """A one-time code a registrar gives a learner on a printed slip, to open their own account."""

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="activation_codes"
    )
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("issued_at")), name="activation_expires_after_issue"),
        ]

    def __str__(self):
        return f"{self.learner} {self.issued_at:%Y-%m-%d}"


class RecordAccess(models.Model):
    """Who opened a learner's full record (PDPA): kept apart from the audit of changes."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="accesses")
    what = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("record access")
        verbose_name_plural = _("record accesses")
        indexes = [
            # "Who looked at this learner's record": a learner's accesses, newest first.
            models.Index(fields=["learner", "-at"], name="record_access_learner_idx"),
        ]

    def __str__(self):
        return f"{self.user} {self.what} {self.learner_id}"
