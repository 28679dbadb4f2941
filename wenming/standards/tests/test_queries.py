"""Every standards list page and list endpoint runs the same number of queries for 1 standard or 6, for a
small tree or a large one (DESIGN.md §6)."""

import pytest
from django.urls import reverse

from wenming.standards import services
from wenming.standards.tests.workbooks import make_standard

SIZES = [1, 6]


def add_standards(cast, count: int):
    standards = [make_standard(cast.unit, cast["office"], published=True, name=f"细则{i}") for i in range(count)]
    services.standard_new_version(actor=cast["office"], standard=standards[0])
    make_standard(cast.other_unit, cast["outsider"], name="外单位细则")
    return standards


@pytest.mark.parametrize("size", SIZES)
def test_standard_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    add_standards(cast, size)
    client = client_for(cast["leader"])

    with django_assert_num_queries(10):
        response = client.get(reverse("standards:list"))

    assert response.status_code == 200 and "细则0" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_standard_detail_tree_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    standard = make_standard(cast.unit, cast["office"])
    parent = standard.criteria.get(code="9")
    for index in range(size * 10):
        services.criterion_refine(actor=cast["office"], parent=parent, title=f"细化{index}")
    client = client_for(cast["office"])

    with django_assert_num_queries(13):
        response = client.get(reverse("standards:detail", args=[standard.pk]))
    with django_assert_num_queries(8):
        partial = client.get(reverse("standards:detail", args=[standard.pk]), {"q": "细化"},
                             headers={"HX-Request": "true", "HX-Target": "criteria-tree"})

    assert response.status_code == 200 and partial.status_code == 200
    assert f"细化{size * 10 - 1}" in partial.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_api_standard_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    add_standards(cast, size)
    client = client_for(cast["staff_a"])

    with django_assert_num_queries(9):
        response = client.get("/api/v1/standards/")

    assert response.status_code == 200 and response.json()["count"] == size + 1


@pytest.mark.parametrize("size", SIZES)
def test_api_criteria_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    add_standards(cast, size)
    client = client_for(cast["staff_a"])

    with django_assert_num_queries(9):
        response = client.get("/api/v1/criteria/")

    assert response.status_code == 200 and response.json()["count"] == 19 * (size + 1)


@pytest.mark.parametrize("size", SIZES)
def test_compare_query_count_does_not_grow(cast, client_for, django_assert_num_queries, size):
    standards = add_standards(cast, size)
    draft = services.standard_new_version(actor=cast["office"], standard=standards[0])
    client = client_for(cast["office"])

    with django_assert_num_queries(15):
        response = client.get(reverse("standards:compare", args=[draft.pk]))

    assert response.status_code == 200
