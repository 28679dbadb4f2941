"""Review with versions, hints from 材料要求, visibility, and the gap view (constant queries)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenming.campaigns import services as campaign_services
from wenming.core import memo
from wenming.evidence import checks, selectors, services
from wenming.evidence.models import Evidence, Review
from wenming.evidence.tests import files
from wenming.evidence.tests.conftest import line, upload_photos
from wenming.standards.models import Criterion, Standard

pytestmark = pytest.mark.django_db


def test_returned_then_resubmitted_then_approved_keeps_every_version(cast, campaign, task_a):
    evidence = upload_photos(cast, campaign, task=task_a)
    first_file = evidence.files.get()
    with pytest.raises(ValidationError, match="退回时请写明原因"):
        services.evidence_review(actor=cast["office"], evidence=evidence, approve=False)
    services.evidence_review(actor=cast["office"], evidence=evidence, approve=False, reason="照片看不出单位名称")
    evidence.refresh_from_db()
    assert evidence.status == "returned" and evidence.return_reason == "照片看不出单位名称"
    assert list(selectors.evidence_list(user=cast["staff_a"], campaign=campaign,
                                        filters=selectors.EvidenceFilters(returned_to_me=True))) == [evidence]

    services.evidence_update(actor=cast["staff_a"], evidence=evidence, retire_files=[first_file.pk],
                             add_files=[files.upload("带横幅的照片.jpg", files.jpeg())],
                             expected_version=evidence.version)
    evidence.refresh_from_db()
    assert evidence.status == "pending" and evidence.revision == 2
    first_file.refresh_from_db()
    assert first_file.retired_in == 2 and first_file.file.storage.exists(first_file.file.name)
    services.evidence_review(actor=cast["office"], evidence=evidence, approve=True)
    actions = list(Review.objects.filter(evidence=evidence).values_list("action", "revision"))
    assert actions == [("submitted", 1), ("returned", 1), ("resubmitted", 2), ("approved", 2)]
    snapshots = [r.snapshot["files"][0]["name"] for r in evidence.reviews.order_by("id")]
    assert snapshots[0] == "现场照片1.jpg" and snapshots[-1] == "带横幅的照片.jpg"
    with pytest.raises(ValidationError, match="已审核通过"):
        services.evidence_update(actor=cast["staff_a"], evidence=evidence, values={"title": "改"})


def test_a_stale_review_is_refused(cast, campaign):
    from wenming.core.errors import ConcurrentEditError

    evidence = upload_photos(cast, campaign)
    services.evidence_update(actor=cast["staff_a"], evidence=evidence, values={"title": "改过的名称"})
    with pytest.raises(ConcurrentEditError):
        services.evidence_review(actor=cast["office"], evidence=evidence, approve=True, expected_version=1)


def test_visibility_follows_the_department(cast, campaign):
    mine = upload_photos(cast, campaign)
    theirs = upload_photos(cast, campaign, actor=cast["liaison_b"])
    assert set(Evidence.objects.visible_to(cast["staff_a"])) == {mine}
    assert set(Evidence.objects.visible_to(cast["liaison_a"])) == {mine, theirs}
    assert set(Evidence.objects.editable_by(cast["liaison_a"])) == {mine}
    assert set(Evidence.objects.reviewable_by(cast["office"])) == {mine, theirs}
    assert not Evidence.objects.reviewable_by(cast["leader"]).exists()
    for name in ("admin", "security", "auditor", "evaluator", "outsider"):
        assert not Evidence.objects.visible_to(cast[name]).exists()


def test_binned_evidence_disappears_and_comes_back(cast, campaign):
    from wenming.core.recycle import recycle_delete, recycle_restore

    evidence = upload_photos(cast, campaign)
    recycle_delete(actor=cast["office"], obj=evidence)
    assert not Evidence.objects.visible_to(cast["office"]).exists()
    recycle_restore(actor=cast["office"], obj=evidence)
    assert Evidence.objects.visible_to(cast["office"]).get() == evidence


def test_hints_read_photo_and_character_rules():
    assert checks.requirement_of("通知、签到表及2张以上照片") == checks.Requirement(min_photos=2)
    assert checks.requirement_of("照片不少于三张，200字说明") == checks.Requirement(min_photos=3, min_characters=200)
    assert checks.requirement_of("年度计划正式文件") == checks.Requirement()


def test_hints_show_on_the_item(cast, campaign, client_for):
    criterion = line(campaign, "3")
    Criterion.objects.filter(pk=criterion.pk).update(materials="会议纪要及照片2张以上，200字说明")
    evidence = upload_photos(cast, campaign, count=1)
    hints = selectors.evidence_hints(selectors.evidence_detail(user=cast["office"], pk=evidence.pk).get())
    assert [h.ok for h in hints] == [False, False]
    page = client_for(cast["office"]).get(f"/evidence/{evidence.pk}/").content.decode()
    assert "要求照片 2 张以上：现有 1 张，不足" in page


def gap_campaign(cast, lines: int):
    """A published standard of `lines` scored lines in 5 categories, with a task and evidence on some."""
    standard = Standard.objects.create(unit=cast.unit, name=f"细则{lines}", status=Standard.Status.PUBLISHED)
    categories = [Criterion.objects.create(standard=standard, code=f"C{i}", title=f"类别{i}", depth=1, order=i)
                  for i in range(5)]
    Criterion.objects.bulk_create([
        Criterion(standard=standard, parent=categories[i % 5], code=str(i + 1), title=f"内容{i + 1}", depth=2,
                  order=i, materials="照片2张以上") for i in range(lines)])
    campaign = campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"活动{lines}",
                                                 year=2021, standard=standard)
    leaves = list(standard.criteria.filter(depth=2).order_by("order"))
    campaign_services.task_create(actor=cast["office"], campaign=campaign, title="任务", lead_department=cast.dept_a,
                                  criteria=leaves[:10])
    for index in range(0, lines, 7):
        services.evidence_create(actor=cast["staff_a"], campaign=campaign, title=f"材料{index}", kind="photo",
                                 occurred_on=date(2021, 3, 1), criteria=leaves[index:index + 2],
                                 link="https://example.org/a")
    return campaign


def count_queries(cast, campaign) -> tuple[int, object]:
    memo.clear()  # the matrix is kept until the data changes: count the computation, not the kept copy
    with CaptureQueriesContext(connection) as captured:
        gap = selectors.gap_matrix(user=cast["office"], campaign=campaign)
    return len(captured), gap


def test_gap_view_query_count_is_the_same_for_50_and_500_criteria(cast, client_for):
    campaigns = [gap_campaign(cast, 50), gap_campaign(cast, 500)]
    count_queries(cast, campaigns[0])  # the person's roles are read once and kept on the user
    small_count, small = count_queries(cast, campaigns[0])
    large_count, large = count_queries(cast, campaigns[1])
    assert small.total == 50 and large.total == 500
    assert small_count == large_count <= 4  # the data revision and three
    client = client_for(cast["office"])
    client.get(f"/evidence/gaps/{campaigns[0].pk}/")  # warm caches (content types, site)
    pages = []
    for campaign in campaigns:
        memo.clear()  # both computed afresh
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/evidence/gaps/{campaign.pk}/").status_code == 200
        pages.append(len(captured))
    assert pages[0] == pages[1]


def test_gap_view_counts_by_status_category_and_department(cast, campaign, task_a, client_for):
    from wenming.campaigns.models import Task

    Task.objects.get(pk=task_a.pk).criteria.set([line(campaign, "3"), line(campaign, "4")])
    first = upload_photos(cast, campaign, codes=("3",))
    second = upload_photos(cast, campaign, codes=("4", "5"))
    services.evidence_review(actor=cast["office"], evidence=first, approve=True)
    services.evidence_review(actor=cast["office"], evidence=second, approve=False, reason="缺签到表")
    gap = selectors.gap_matrix(user=cast["office"], campaign=campaign)
    status = {row.criterion.code: row.status for row in gap.rows}
    assert status["3"] == "approved" and status["4"] == "returned" and status["5"] == "returned"
    assert status["1"] == "missing"
    assert gap.totals == {"missing": gap.total - 3, "returned": 2, "pending": 0, "approved": 1}
    assert dict(gap.by_department)["民一庭"] == {"missing": 0, "returned": 1, "pending": 0, "approved": 1}
    missing = selectors.gap_matrix(user=cast["office"], campaign=campaign,
                                   filters=selectors.GapFilters(status="missing"))
    assert {row.criterion.code for row in missing.rows} == {c for c, s in status.items() if s == "missing"}
    page = client_for(cast["office"]).get(f"/evidence/gaps/{campaign.pk}/?status=missing")
    assert "补材料" in page.content.decode()
