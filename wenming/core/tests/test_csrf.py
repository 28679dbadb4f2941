"""CSRF holds on every form and on session-authenticated API writes; token-authenticated integrations need none."""

import json

from django.test import Client
from django.urls import reverse

from wenming.testing import api_token_for


def test_session_api_write_without_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["admin"], backend="wenming.org.backends.UnitModelBackend")

    response = client.post(reverse("department-list"), json.dumps({"name": "新部门"}), content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_form_post_without_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["admin"], backend="wenming.org.backends.UnitModelBackend")

    response = client.post(reverse("org:department_create"), {"name": "新部门", "order": 1})

    assert response.status_code == 403


def test_token_api_write_needs_no_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    token = api_token_for(cast["admin"])

    response = client.post(reverse("department-list"), json.dumps({"name": "新部门"}), content_type="application/json",
                           headers={"Authorization": f"Token {token}"})

    assert response.status_code == 201
