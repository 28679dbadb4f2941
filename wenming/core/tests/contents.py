"""The permission matrix checks what is inside, not only status codes (issue 18, NetBox's ViewTestCases). Called by
`test_permission_matrix` on the same request, so it costs no request of its own:

- an API list (`*-list`, GET) answered 200 returns only rows the policy gives the person
  (`Model.objects.restrict(user, "view")`, the model of the viewset's serializer) — and, when the request narrows
  nothing, exactly those rows, each once;
- a write (POST, PUT, PATCH, DELETE) refused (4xx) writes no audit row and adds or removes no row of the endpoint's
  model; one accepted by the API (2xx) leaves its audit row.
"""

from django.urls import resolve

from wenming.audit.models import AuditEvent

WRITES = ("post", "put", "patch", "delete")
# Accepted writes that change only the person's own reading state or preferences, or preview an import without
# saving it: no audit row by design.
UNAUDITED = {
    "standard-import-file",
    "notifications:read", "notifications:read_all", "notifications:open", "notifications:preferences",
    "notification-read", "notification-read-all", "notification-preferences", "campaigns:choose", "set_language",
}


def model_of(url: str):
    """The policy-restricted model a DRF viewset at `url` lists (None for anything else)."""
    viewset = getattr(resolve(url).func, "cls", None)
    model = getattr(getattr(getattr(viewset, "serializer_class", None), "Meta", None), "model", None)
    rows = model._default_manager.get_queryset() if model is not None else None
    if rows is None or not hasattr(rows, "restrict") or "view" not in rows.policy.actions:
        return None
    return model


def before(expect, url) -> dict:
    if expect.method not in WRITES:
        return {}
    model = model_of(url)
    return {"model": model, "rows": model._base_manager.count() if model else None,
            "events": AuditEvent.objects.count()}


def _listed_ids(client, url, data, page) -> list:
    ids = []
    while True:
        rows = page["results"] if isinstance(page, dict) and "results" in page else page
        ids += [row["id"] for row in rows]
        following = page.get("next") if isinstance(page, dict) else None
        if not following:
            return ids
        page = client.get(following).json()


def check(expect, persona, user, client, url, data, response, before) -> None:
    if expect.method == "get" and expect.url_name.endswith("-list") and response.status_code == 200:
        model = model_of(url)
        if model is None:
            return
        listed = _listed_ids(client, url, data, response.json())
        allowed = set(model.objects.restrict(user, "view").values_list("pk", flat=True))
        assert len(listed) == len(set(listed)), f"{url} as {persona}: a row listed twice"
        assert set(listed) <= allowed, f"{url} as {persona}: rows the policy does not give: {set(listed) - allowed}"
        if not data:
            assert set(listed) == allowed, f"{url} as {persona}: rows the policy gives, not listed: {allowed - set(listed)}"
    elif expect.method in WRITES:
        written = AuditEvent.objects.count() - before["events"]
        if response.status_code >= 400:
            assert written == 0, f"{expect.method.upper()} {url} as {persona}: refused, yet {written} audit rows"
            if before["model"] is not None:
                assert before["model"]._base_manager.count() == before["rows"], (
                    f"{expect.method.upper()} {url} as {persona}: refused, yet rows were added or removed")
        elif response.status_code < 300 and url.startswith("/api/") and expect.url_name not in UNAUDITED:
            # (a screen answers a POST with 200 only to show the form again: nothing was accepted)
            assert written >= 1, f"{expect.method.upper()} {url} as {persona}: accepted, but no audit row"
