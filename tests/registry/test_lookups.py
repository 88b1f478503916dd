"""`__any`: the learners of a long list of ids, as `__in` finds them, sent as one array."""

import pytest

from registry.models import Learner
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def test_any_finds_what_in_finds_and_nothing_for_an_empty_list():
    learners = LearnerFactory.create_batch(5)
    wanted = [learners[0].pk, learners[3].pk, 10**12]  # one id that no learner has
    by_any = Learner.objects.filter(pk__any=wanted).order_by("pk")
    assert list(by_any) == list(Learner.objects.filter(pk__in=wanted).order_by("pk")) == [learners[0], learners[3]]
    assert not Learner.objects.filter(pk__any=[]).exists()
    assert Learner.objects.exclude(pk__any=wanted).count() == 3


def test_any_sends_the_list_as_one_parameter():
    ids = list(range(1, 2001))
    sql, params = Learner.objects.filter(pk__any=ids).query.sql_with_params()
    assert "= ANY(%s)" in sql and params == (ids,)


def test_any_leaves_out_none_as_in_does():
    learners = LearnerFactory.create_batch(2)
    assert list(Learner.objects.filter(pk__any=[learners[0].pk, None])) == [learners[0]]
    assert list(Learner.objects.exclude(pk__any=[learners[0].pk, None])) == [learners[1]]
