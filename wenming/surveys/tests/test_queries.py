"""Every surveys list page and list endpoint runs the same number of queries for 3 answers or 40."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.surveys import services
from wenming.surveys.tests.conftest import make_survey, satisfied_answers, submit

PAGES = [
    ("surveys:list", False, {}),
    ("surveys:detail", True, {}),
    ("surveys:results", True, {}),
    ("surveys:responses", True, {}),
    ("surveys:responses", True, {"show": "flagged"}),
    ("survey-list", False, {}),
    ("survey-results", True, {}),
    ("survey-answers", True, {}),
]


def filled(cast, size):
    survey = make_survey(cast)
    make_survey(cast, template="staff_awareness", code=None)
    points = list(survey.points.all())
    for n in range(size):
        submit(survey, device=f"d{n}", address=f"a{n % 7}", point=points[n % len(points)],
               group=("public", "litigant", "lawyer")[n % 3],
               raw=satisfied_answers(survey, ("满意", "基本满意", "不满意")[n % 3]))
    staff = make_survey(cast, template="staff_awareness", code=None)
    for person in ("staff_a", "liaison_a", "liaison_b")[: max(1, size // 20)]:
        services.response_submit(survey=staff, raw=satisfied_answers(staff), respondent=cast[person])
    return survey


def counts(cast, client_for, survey):
    client = client_for(cast["office"])
    found = []
    for name, detail, params in PAGES:
        url = reverse(name, kwargs={"pk": survey.pk} if detail else None)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)
        found.append(len(captured.captured_queries))
    return found


@pytest.mark.parametrize("size", [3])
def test_list_pages_and_endpoints_query_counts_do_not_grow(cast, client_for, size):
    small = counts(cast, client_for, filled(cast, size))
    large = counts(cast, client_for, filled(cast, 40))
    assert small == large, list(zip([p[0] for p in PAGES], small, large, strict=True))
    assert max(small) <= 25


def test_results_are_six_queries_whatever_the_number_of_answers(cast, django_assert_num_queries):
    """Points, the tallies (read once, shared with the progress), excluded/flagged counts, questions, free texts,
    the accepted proposal."""
    from wenming.surveys.selectors import survey_results

    survey = filled(cast, 12)
    with django_assert_num_queries(6):
        results = survey_results(survey=survey)
    assert results.sample == 12 and results.questions[0].answered == 12
