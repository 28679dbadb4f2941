"""The application's URLs plus the minimal authenticated view the benchmarks compare against (never deployed)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path

from bench.bench_pages import minimal_view

urlpatterns = [
    path("bench/minimal/", login_required(minimal_view), name="bench_minimal"),
    path("", include("wenming.urls")),
]
