"""The project's URLs plus the trivial view every list page is compared with (benchmarks only)."""

from django.http import HttpResponse
from django.urls import path

from .urls import handler403, handler404, handler500  # noqa: F401
from .urls import urlpatterns as project_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/ok/", ok, name="bench_ok"), *project_urlpatterns]
