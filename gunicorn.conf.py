"""gunicorn's settings for the registry, read from the working directory by `gunicorn creditbank.wsgi ...`.

Options stay on the command line (README.md, docs/deploy.md); this file only adds what a flag cannot say.
"""


def post_worker_init(worker):
    """Each worker readies the transcript machinery (fonts, PDF and signing libraries) before taking requests, so the
    first transcript after a restart costs what every later one does: transcripts.rendering.warm_up. Another Django
    project served from this directory (the benchmark's bare floor) has no transcripts to ready."""
    from django.apps import apps

    if apps.is_installed("transcripts"):
        from transcripts.rendering import warm_up

        warm_up()
