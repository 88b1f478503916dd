"""Choices that are put into words outside the models too: an import report stores a new course's level and learning
type as codes, and `message_codes` names them in the reader's language. `registry.models` uses and re-exports them;
this module imports no model, so `message_codes` (which the models' own checks use) may read it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LearningType(models.TextChoices):
    FORMAL = "formal", _("formal")
    NON_FORMAL = "non_formal", _("non-formal")
    INFORMAL = "informal", _("informal")


class Level(models.TextChoices):
    PRIMARY = "primary", _("primary")
    LOWER_SECONDARY = "lower_secondary", _("lower secondary")
    UPPER_SECONDARY = "upper_secondary", _("upper secondary")
    VOCATIONAL_CERTIFICATE = "voc_cert", _("vocational certificate")
    HIGH_VOCATIONAL = "high_voc", _("high vocational diploma")
    BACHELOR = "bachelor", _("bachelor's degree")
    SHORT_COURSE = "short_course", _("short course / non-formal")
