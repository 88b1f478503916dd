"""The framework floor for `make bench`: a bare Django project with one view that answers "ok".

No apps, no middleware, no database: what Django and gunicorn cost per request on this machine, so a page's
throughput can be read as a share of it. Served by the benchmark only (`gunicorn bench.floor:application`), never
part of the product's URLs.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-only-not-secret",  # noqa: S106
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ok), path("healthz", ok)]  # /healthz: how the bench sees a server is up

application = get_wsgi_application()
