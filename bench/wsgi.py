"""wenming.wsgi with bench.urls (the minimal view added): what bench_rps.py serves with gunicorn."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"
