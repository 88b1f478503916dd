"""A gunicorn worker readies the transcript machinery before taking requests, without keys or a database, and then
puts what it loaded out of the garbage collector's way."""

import gc
import runpy
from pathlib import Path

import pytest

from transcripts import rendering

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_worker_warms_up_without_keys_or_queries(settings, tmp_path, django_assert_num_queries):
    settings.ISSUER_KEYS_DIR = tmp_path  # no keys at all: a new server before `issuer_keys` has run
    rendering.pdf_fonts.cache_clear()
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    with django_assert_num_queries(0):
        hooks["post_worker_init"](worker=None)
    assert rendering.pdf_fonts.cache_info().currsize == 1  # the font configuration every transcript then reuses


@pytest.mark.django_db
def test_a_worker_freezes_what_it_loaded_so_collections_stay_short(settings, tmp_path):
    settings.ISSUER_KEYS_DIR = tmp_path
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        hooks["post_worker_init"](worker=None)
        frozen, walked = gc.get_freeze_count(), len(gc.get_objects())  # what a full collection still walks
    finally:
        hooks["worker_exit"](server=None, worker=None)  # handed back before shutdown; this process goes on as it was
    assert frozen > 50_000  # Django, the apps and the PDF libraries
    assert walked < frozen / 10
    assert gc.get_freeze_count() == 0
