"""Issue 19.12: every download (export, archive, file, template, poster) says `Cache-Control: no-store`, so a shared
computer's browser or a proxy keeps no copy. Swept over the permission matrix: each GET that looks like a download,
as the first persona allowed to fetch it."""

import pytest
from django.urls import reverse

from wenming.core.tests.test_permission_matrix import EXPECTATIONS
from wenming.testing import PERSONA_NAMES

WORDS = ("export", "xlsx", "docx", "download", "report", "poster", "template", "file", "answers", "yaml", "receipt")
DOWNLOADS = [expect for expect in EXPECTATIONS if expect.method == "get" and any(w in expect.url_name for w in WORDS)
             and any(expect.status_for(persona) == 200 for persona in PERSONA_NAMES)]


@pytest.mark.parametrize("expect", DOWNLOADS, ids=lambda expect: expect.url_name)
def test_a_download_is_not_cached(expect, cast, client_for):
    persona = next(persona for persona in PERSONA_NAMES if expect.status_for(persona) == 200)
    url = reverse(expect.url_name, kwargs=expect.kwargs(cast) if expect.kwargs else None)
    response = client_for(cast[persona]).get(url, expect.data(cast) if expect.data else {})

    assert response.status_code == 200
    if "Content-Disposition" in response:
        assert "no-store" in response["Cache-Control"], f"{url}: {response.get('Cache-Control')}"


def test_the_sweep_finds_the_exports():
    names = {expect.url_name for expect in DOWNLOADS}
    assert {"audit:export", "campaigns:export_xlsx", "org:roster_export", "activities:volunteer_export"} <= names
