"""Every activities list page and list endpoint runs the same number of queries for 3 activities or 60."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from wenming.activities.models import Activity, Attendance, VolunteerRecord
from wenming.activities.tests.conftest import at, kind, make_activity, the_campaign
from wenming.evidence.tests import files

SIZES = [3, 60]
PEOPLE = ("office", "leader", "liaison_a", "staff_a", "liaison_b")


@pytest.fixture
def filled(cast, request):
    size = request.param
    campaign = the_campaign(cast)
    first = make_activity(cast, campaign=campaign)
    from wenming.activities import services

    services.activity_document_add(actor=cast["liaison_a"], activity=first, step="photos",
                                   files=[files.upload("现场.jpg", files.jpeg())])
    kinds = [kind(cast, name) for name in ("道德讲堂", "志愿服务", "党组会议")]
    made = Activity.objects.bulk_create([
        Activity(campaign=campaign, kind=kinds[i % 3], title=f"活动{i}", starts_at=at(1 + i % 28, 9),
                 ends_at=at(1 + i % 28, 11), department=(cast.dept_a, cast.dept_b)[i % 2],
                 organiser=cast["liaison_a"], created_by=cast["office"], attendance_token=f"t{i}")
        for i in range(size)])
    Attendance.objects.bulk_create([Attendance(activity=a, person=cast[p], recorded_by=cast["office"])
                                    for a in [first, *made] for p in PEOPLE])
    Activity.criteria.through.objects.bulk_create([
        Activity.criteria.through(activity_id=a.pk, criterion_id=campaign.standard.criteria.first().pk) for a in made])
    VolunteerRecord.objects.bulk_create([
        VolunteerRecord(campaign=campaign, person=cast[PEOPLE[i % 5]], hours=Decimal("2"),
                        served_on=date(2021, 3, 1) + timedelta(days=i), activity_name="劝导") for i in range(size)])
    return cast, campaign, first


def _get(client, name, django_assert_num_queries, count, **kwargs):
    with django_assert_num_queries(count):
        response = client.get(reverse(name, kwargs=kwargs.pop("kwargs", None)), kwargs.pop("params", {}),
                              **kwargs)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_list_pages_query_counts_do_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign, first = filled
    client = client_for(cast["office"])
    _get(client, "activities:list", django_assert_num_queries, 13)
    _get(client, "activities:list", django_assert_num_queries, 9, params={"kind": first.kind_id, "month": "2021-03"},
         HTTP_HX_REQUEST="true")
    _get(client, "activities:calendar", django_assert_num_queries, 7, params={"month": "2021-03"})
    _get(client, "activities:detail", django_assert_num_queries, 13, kwargs={"pk": first.pk})
    _get(client, "activities:attendance", django_assert_num_queries, 11, kwargs={"pk": first.pk})
    _get(client, "activities:attendance_list", django_assert_num_queries, 9, kwargs={"pk": first.pk})
    _get(client, "activities:volunteers", django_assert_num_queries, 10)


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_api_lists_query_counts_do_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign, first = filled
    client = client_for(cast["office"])
    _get(client, "activity-list", django_assert_num_queries, 12)
    _get(client, "activity-attendance-list", django_assert_num_queries, 8)
    _get(client, "volunteer-hours-list", django_assert_num_queries, 8)
