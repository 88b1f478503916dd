"""gunicorn's settings for the registry, read from the working directory by `gunicorn creditbank.wsgi ...`.

Options stay on the command line (README.md, docs/deploy.md); this file only adds what a flag cannot say.
"""

import gc


def post_worker_init(worker):
    """Each worker readies itself before taking requests.

    - The transcript machinery (fonts, PDF and signing libraries), so the first transcript after a restart costs what
      every later one does: transcripts.rendering.warm_up. Another Django project served from this directory (the
      benchmark's bare floor) has no transcripts to ready.
    - Then everything loaded so far (Django, the apps, WeasyPrint, pyHanko: about 150,000 objects) is moved out of the
      garbage collector's sight with gc.freeze(). They live as long as the worker; without this, each full collection
      walks all of them again, about 90 ms on a small server, in the middle of whichever request triggered it.
    """
    from django.apps import apps

    if apps.is_installed("transcripts"):
        from transcripts.rendering import warm_up

        warm_up()
    gc.collect()
    gc.freeze()


def worker_exit(server, worker):
    """Hand the frozen objects back to the collector before the interpreter shuts down, so they are finalised while
    their modules still exist (frozen, WeasyPrint's font configuration was destroyed after its module and printed a
    traceback at every worker exit)."""
    gc.unfreeze()
