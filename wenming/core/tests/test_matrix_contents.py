"""The permission matrix checks what is inside, not only status codes (issue 18, NetBox's ViewTestCases):

- every API list, as every persona, returns only rows the policy gives that persona (`Model.objects.restrict(user,
  "view")`), and — when the request narrows nothing — exactly those rows;
- every write the matrix declares, as every persona: a refused one (4xx) writes no audit row and adds no row of
  the endpoint's model; an accepted one (2xx) leaves its audit row.

Generic over the matrix in `<app>/tests/permissions.py` (the entries, their data and their personas), so a new
endpoint is checked as soon as its expectation is declared.
"""

import json

import pytest
from django.urls import resolve, reverse

from wenming.audit.models import AuditEvent
from wenming.core.tests.test_permission_matrix import EXPECTATIONS
from wenming.testing import PERSONA_NAMES

WRITES = ("post", "put", "patch", "delete")
# Accepted writes that change only the person's own reading state, or start a job whose result is audited when it
# is fetched: they leave no audit row by design.
UNAUDITED = {
    "notifications:mark_read", "notifications:mark_all_read", "notification-read", "notification-read-all",
    "campaigns:choose", "core:set_language", "set_language", "notifications:preferences",
    "notification-preferences",
}


def _model_of(url: str):
    view = resolve(url).func
    viewset = getattr(view, "cls", None)
    serializer = getattr(viewset, "serializer_class", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or not hasattr(model._default_manager.get_queryset(), "restrict"):
        return None
    if "view" not in model._default_manager.get_queryset().policy.actions:
        return None
    return model


def _call(client, expect, url, data):
    call = getattr(client, expect.method)
    if expect.content_type == "application/json":
        return call(url, data=json.dumps(data), content_type="application/json")
    return call(url, data)


def _listed_ids(client, url, data) -> list:
    ids, page = [], client.get(url, data).json()
    while True:
        rows = page["results"] if isinstance(page, dict) and "results" in page else page
        ids += [row["id"] for row in rows]
        following = page.get("next") if isinstance(page, dict) else None
        if not following:
            return ids
        page = client.get(following).json()


LISTS = [pytest.param(expect, persona, id=f"{expect.url_name}-{persona}")
         for expect in EXPECTATIONS if expect.method == "get" and expect.url_name.endswith("-list")
         for persona in PERSONA_NAMES if expect.status_for(persona) == 200]


@pytest.mark.parametrize(("expect", "persona"), LISTS)
def test_api_lists_show_the_rows_the_policy_gives(expect, persona, cast, client_for):
    user = cast[persona]
    url = reverse(expect.url_name, kwargs=expect.kwargs(cast) if expect.kwargs else None)
    data = expect.data(cast) if expect.data else {}
    model = _model_of(url)
    if model is None:
        pytest.skip("not a list of one policy-restricted model")
    listed = _listed_ids(client_for(user), url, data)
    allowed = set(model.objects.restrict(user, "view").values_list("pk", flat=True))
    assert len(listed) == len(set(listed)), f"{url} as {persona}: a row listed twice"
    assert set(listed) <= allowed, f"{url} as {persona}: rows the policy does not give: {set(listed) - allowed}"
    if not data:
        assert set(listed) == allowed, f"{url} as {persona}: rows the policy gives but not listed: {allowed - set(listed)}"


WRITE_CASES = [pytest.param(expect, persona, id=f"{expect.method}-{expect.url_name}-{persona}")
               for expect in EXPECTATIONS if expect.method in WRITES
               for persona in PERSONA_NAMES if persona != "anonymous"]


@pytest.mark.parametrize(("expect", "persona"), WRITE_CASES)
def test_writes_change_rows_and_the_audit_trail_only_when_allowed(expect, persona, cast, client_for):
    url = reverse(expect.url_name, kwargs=expect.kwargs(cast) if expect.kwargs else None)
    data = expect.data(cast) if expect.data else {}
    model = _model_of(url)
    client = client_for(cast[persona])  # signing in is audited: count after it
    rows_before = model._base_manager.count() if model else None
    events_before = AuditEvent.objects.count()
    response = _call(client, expect, url, data)
    assert response.status_code == expect.status_for(persona)
    written = AuditEvent.objects.count() - events_before
    if response.status_code >= 400:
        assert written == 0, f"{expect.method.upper()} {url} as {persona} was refused but wrote {written} audit rows"
        if model is not None:
            assert model._base_manager.count() == rows_before, f"{url} as {persona}: refused, yet rows changed"
    elif 200 <= response.status_code < 300 and expect.url_name not in UNAUDITED:
        assert written >= 1, f"{expect.method.upper()} {url} as {persona} was accepted but left no audit row"
