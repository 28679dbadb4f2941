"""Boundary values posted to every form and endpoint: never a 5xx (issue 19, point 6).

Every URL pattern, UI and API, is reached through its permission-matrix expectation (which builds a real object
for its path and names the fields its form or serializer takes), as a persona allowed to use it. Hypothesis then
fills those fields, and the common query parameters, with values from the edges: numbers too big for the
database, negative, 1e400, NaN, very long text, control characters, empty, unicode digits, impossible dates.
The API is also fuzzed against its schema by schemathesis (test_api_fuzz.py).
"""

import json

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenming.core.tests.test_permission_matrix import EXPECTATIONS

BOUNDARY = [
    "99999999999999999999", str(2**63), "-1", "0", "1e400", "-1e400", "NaN", "Infinity", "0.05", "1.999999999",
    "x" * 5000, "会议\x00纪要", "\x01\x1f\x7f\x9b", "", " ", "²³", "１２", "٣", "🙂" * 40, "9999-12-31",
    "0000-00-00", "2026-02-30", "1900-01-01", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd",
    "=HYPERLINK(\"http://evil.example\")", "true", "null", "[]", "{}",
]
JSON_BOUNDARY = [*BOUNDARY, 99999999999999999999, -1, 0, 1e308, -1e308, True, None, [], {}, [99999999999999999999],
                 {"a": "\x00"}]
QUERY = ("page", "campaign", "q", "department", "status", "date_from", "date_to", "task", "standard", "kind", "year",
         "light", "open", "branch", "criterion", "phase", "owner", "role", "verb", "month", "tab", "sort")
PREFERRED = ("office", "liaison_a", "leader", "staff_a", "admin", "security", "auditor", "evaluator", "liaison_b",
             "outsider", "anonymous")
EXAMPLES_PER_URL = 1  # each field still gets its own edge value; 345 URLs stay near a minute on an idle machine


def persona_for(expect) -> str:
    """Someone the view lets in (so the input reaches the form), else the 创建办."""
    return next((p for p in PREFERRED if expect.status_for(p) < 400), "office")


def sender(expect, url: str, persona: str, is_json: bool, fields: list[str], cast, client_for):
    """The request for one URL, with hypothesis choosing each field's value from the edges."""
    values = st.sampled_from(JSON_BOUNDARY if is_json and expect.method != "get" else BOUNDARY)

    @given(data=st.fixed_dictionaries({name: values for name in fields}))
    @settings(max_examples=EXAMPLES_PER_URL, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def send(data):
        client = client_for(cast[persona])
        call = getattr(client, expect.method)
        if is_json and expect.method != "get":
            response = call(url, data=json.dumps(data), content_type="application/json")
        else:
            response = call(url, data)
        assert response.status_code < 500, f"{expect.method.upper()} {url} as {persona} with {data!r}"

    return send


CHUNK = 30  # URLs per test: each test stays short, and a failure names its neighbourhood
CHUNKS = [EXPECTATIONS[start:start + CHUNK] for start in range(0, len(EXPECTATIONS), CHUNK)]
PARAMS = [pytest.param(chunk, id=f"{chunk[0].url_name}…{chunk[-1].url_name}") for chunk in CHUNKS]


@pytest.mark.slow
@pytest.mark.parametrize("expectations", PARAMS)
def test_no_boundary_value_answers_a_server_error(expectations, cast, client_for):
    for expect in expectations:
        with transaction.atomic():  # each URL on the same starting data: a deleting POST does not starve the next
            send_edges(expect, cast, client_for)
            transaction.set_rollback(True)


def send_edges(expect, cast, client_for) -> None:
    persona = persona_for(expect)
    url = reverse(expect.url_name, kwargs=expect.kwargs(cast) if expect.kwargs else None)  # its object, made once
    is_json = expect.content_type == "application/json" or url.startswith("/api/")
    fields = sorted(set(expect.data(cast) if expect.data else {}) | (set(QUERY) if expect.method == "get" else set()))
    sender(expect, url, persona, is_json, fields, cast, client_for)()
