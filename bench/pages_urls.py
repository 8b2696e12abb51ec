"""URLconf for bench/pages.py: the project's URLs plus a bare view to compare against."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urls


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-bare/", bare), *project_urls]
