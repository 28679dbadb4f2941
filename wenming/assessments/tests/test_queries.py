"""The scoring screen, the lists, the ledger and the API lists run the same number of queries for few or many."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from wenming.assessments.models import Assessment, Finding, Rectification, Score
from wenming.campaigns import services as campaign_services
from wenming.evidence.models import Evidence, EvidenceFile
from wenming.standards.models import Criterion, Standard

SIZES = [5, 60]


@pytest.fixture
def filled(cast, request):
    """A standard of `size` lines under 3 categories, a self-check with every line scored, one evidence item with a
    file per line, a finding and an 整改 item per line, and `size` assessments."""
    size = request.param
    standard = Standard.objects.create(unit=cast.unit, name="细则", status=Standard.Status.PUBLISHED)
    categories = [Criterion.objects.create(standard=standard, code=f"I-{i}", title=f"类别{i}", order=i)
                  for i in range(3)]
    lines = Criterion.objects.bulk_create([
        Criterion(standard=standard, parent=categories[i % 3], depth=2, order=i, code=str(i), title=f"测评内容{i}",
                  points=Decimal("1.5"), kind="deduction" if i % 4 == 0 else "scored", scoring="每缺一项扣0.5分")
        for i in range(size)])
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年", year=2021,
                                                 standard=standard)
    assessments = Assessment.objects.bulk_create([
        Assessment(campaign=campaign, title=f"自查{i}", status="in_progress", created_by=cast["office"])
        for i in range(size)])
    own = assessments[0]
    for a in assessments[:3]:
        a.team.add(cast["office"], cast["liaison_a"])
    Score.objects.bulk_create([Score(assessment=own, criterion=c, points=Decimal("1.0"), note="好",
                                     scored_by=cast["office"]) for c in lines])
    evidence = Evidence.objects.bulk_create([
        Evidence(campaign=campaign, title=f"材料{i}", occurred_on=date(2021, 3, 1), uploader=cast["staff_a"],
                 department=cast.dept_a, status="approved") for i in range(size)])
    Evidence.criteria.through.objects.bulk_create([
        Evidence.criteria.through(evidence_id=e.pk, criterion_id=c.pk) for e, c in zip(evidence, lines, strict=True)])
    EvidenceFile.objects.bulk_create([
        EvidenceFile(evidence=e, file="x.jpg", name="x.jpg", sha256="0" * 64, size=1, file_type="jpg",
                     mime="image/jpeg", thumbnail="t.jpg", uploaded_by=cast["staff_a"]) for e in evidence])
    findings = Finding.objects.bulk_create([Finding(assessment=own, criterion=c, description=f"问题{c.code}",
                                                    created_by=cast["office"]) for c in lines])
    items = Rectification.objects.bulk_create([
        Rectification(finding=f, campaign=campaign, department=(cast.dept_a, cast.dept_b)[i % 2],
                      due_on=date(2021, 10, 1)) for i, f in enumerate(findings)])
    Rectification.evidence.through.objects.bulk_create([
        Rectification.evidence.through(rectification_id=r.pk, evidence_id=e.pk)
        for r, e in zip(items, evidence, strict=True)])
    return cast, campaign, own


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_scoring_screen_query_count_does_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign, own = filled
    client = client_for(cast["office"])
    with django_assert_num_queries(21):
        response = client.get(reverse("assessments:detail", args=[own.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-line') == Criterion.objects.filter(depth=2).count()


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_line_save_query_count_does_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign, own = filled
    criterion = Criterion.objects.filter(depth=2).last()
    client = client_for(cast["office"])
    # 26: the standard's step is read before the save; 2 more chain the audit row (wenming.audit.chain)
    with django_assert_num_queries(28):
        response = client.post(reverse("assessments:line", args=[own.pk, criterion.pk]),
                               {"points": "1.5", "version": "1"})
    assert response.status_code == 200


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_list_and_ledger_query_counts_do_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign, own = filled
    client = client_for(cast["office"])
    with django_assert_num_queries(13):
        assert client.get(reverse("assessments:list", args=[campaign.pk])).status_code == 200
    with django_assert_num_queries(11):
        assert client.get(reverse("assessments:ledger", args=[campaign.pk])).status_code == 200


@pytest.mark.parametrize("filled", SIZES, indirect=True)
def test_api_lists_query_counts_do_not_grow(filled, client_for, django_assert_num_queries):
    cast, campaign, own = filled
    client = client_for(cast["office"])
    for name, expected in (("assessment-list", 10), ("assessment-score-list", 8), ("assessment-finding-list", 8),
                           ("rectification-list", 9)):
        with django_assert_num_queries(expected):
            assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("filled", [60], indirect=True)
def test_a_big_sheet_draws_its_categories_and_loads_each_on_scrolling(filled, client_for, monkeypatch,
                                                                      django_assert_num_queries):
    """Above LAZY_SHEET_LINES lines the page draws the categories with their subtotals and a placeholder each; the
    placeholder fetches the category's lines (with their newest evidence) when it scrolls into view."""
    from wenming.assessments import views

    monkeypatch.setattr(views, "LAZY_SHEET_LINES", 10)
    cast, campaign, own = filled
    client = client_for(cast["office"])
    url = reverse("assessments:detail", args=[own.pk])
    page = client.get(url).content.decode()
    assert page.count('class="lazy-rows"') == 3 and "data-line" not in page
    assert "类别0" in page and "测评内容0" not in page
    first = Criterion.objects.get(standard=campaign.standard, code="I-0")
    with django_assert_num_queries(14):
        rows = client.get(url, {"category": first.pk}, headers={"HX-Request": "true"}).content.decode()
    assert rows.count("data-line") == 20  # the lines of category 0: every third of 60
    assert "测评内容0" in rows and "测评内容1\n" not in rows and "材料0" in rows
    assert "<html" not in rows
