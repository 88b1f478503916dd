"""A gunicorn worker readies the transcript machinery before taking requests, without keys or a database."""

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
