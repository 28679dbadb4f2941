"""Every URL pattern has a declared expectation for every persona, and the views honour it."""

import json
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wenming.core.tests import contents
from wenming.testing import PERSONA_NAMES


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")
    return names


def declared():
    expectations = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.tests.permissions"
        if config.name.startswith("wenming.") and find_spec(module_name):
            expectations.extend(import_module(module_name).MATRIX)
    return expectations


EXPECTATIONS = declared()


def test_every_url_has_an_expectation():
    missing = all_url_names() - {expect.url_name for expect in EXPECTATIONS}
    assert not missing, f"URLs without a permission expectation (add them to <app>/tests/permissions.py): {sorted(missing)}"


def test_every_expectation_covers_every_persona():
    for expect in EXPECTATIONS:
        for persona in PERSONA_NAMES:
            expect.status_for(persona)


CASES = [
    pytest.param(expect, persona, id=f"{expect.method}-{expect.url_name}-{persona}")
    for expect in EXPECTATIONS
    for persona in PERSONA_NAMES
]


@pytest.mark.parametrize(("expect", "persona"), CASES)
def test_permission_matrix(expect, persona, cast, client_for):
    client = client_for(cast[persona])
    url = reverse(expect.url_name, kwargs=expect.kwargs(cast) if expect.kwargs else None)
    data = expect.data(cast) if expect.data else {}
    call = getattr(client, expect.method)
    before = contents.before(expect, url)
    if expect.content_type == "application/json":
        response = call(url, data=json.dumps(data), content_type="application/json")
    elif expect.method == "get":
        response = call(url, data)
    else:
        response = call(url, data)
    assert response.status_code == expect.status_for(persona), (
        f"{expect.method.upper()} {url} as {persona}: {response.status_code}, expected {expect.status_for(persona)}"
    )
    contents.check(expect, persona, cast[persona], client, url, data, response, before)
