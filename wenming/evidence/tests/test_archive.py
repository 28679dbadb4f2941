"""The 迎检档案: ZIP by criterion code, the 目录 lists every file, an interrupted job leaves no half archive."""

import io
import zipfile
from datetime import UTC, date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from wenming.evidence import archive, services
from wenming.evidence.models import ArchiveJob
from wenming.evidence.tests.conftest import upload_photos

pytestmark = pytest.mark.django_db


def approved_set(cast, campaign):
    one = upload_photos(cast, campaign, codes=("3", "8"), count=2, title="道德讲堂")
    two = upload_photos(cast, campaign, codes=("1",), count=1, title="领导小组文件")
    pending = upload_photos(cast, campaign, codes=("2",), title="还没审核的")
    for item in (one, two):
        services.evidence_review(actor=cast["office"], evidence=item, approve=True)
    return one, two, pending


def test_archive_lays_out_by_code_and_its_catalogue_lists_every_file(cast, campaign, django_capture_on_commit_callbacks):
    approved_set(cast, campaign)
    with django_capture_on_commit_callbacks(execute=True):
        job = archive.archive_start(actor=cast["office"], campaign=campaign)
    job.refresh_from_db()
    assert job.status == ArchiveJob.Status.DONE and job.done_files == job.total_files == 5 and job.percent == 100
    with job.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as built:
        names = built.namelist()
        rows = list(load_workbook(io.BytesIO(built.read("00-目录.xlsx"))).active.iter_rows(values_only=True))
        docx_bytes = built.read("00-封面和目录.docx")
        assert built.testzip() is None
    listed = [row[-1] for row in rows[2:]]
    files_in_zip = [n for n in names if not n.startswith("00-")]
    assert sorted(listed) == sorted(files_in_zip) and len(listed) == 5
    assert any(n.startswith("组织领导/创建机制/3-") and "/01-20210305-道德讲堂/" in n for n in files_in_zip)
    assert not any("还没审核的" in n for n in names)
    from docx import Document

    document = Document(io.BytesIO(docx_bytes))
    assert "迎检档案资料" in "\n".join(p.text for p in document.paragraphs)
    assert len(document.tables[0].rows) == 6


def test_an_interrupted_job_leaves_nothing_and_runs_again(cast, campaign, monkeypatch):
    approved_set(cast, campaign)
    job = ArchiveJob.objects.create(campaign=campaign, requested_by=cast["office"])

    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(archive.zipfile.ZipFile, "writestr", broken)  # small files are written whole
    archive.archive_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ArchiveJob.Status.FAILED and not job.file and "磁盘已满" in job.error
    storage = job.file.storage
    leftovers = storage.listdir(f"evidence/archives/{campaign.pk}")[1] if storage.exists(
        f"evidence/archives/{campaign.pk}") else []
    assert leftovers == []
    monkeypatch.undo()
    archive.archive_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ArchiveJob.Status.DONE and job.file.size == job.size


def test_export_archive_command(cast, campaign, tmp_path):
    approved_set(cast, campaign)
    out = tmp_path / "档案.zip"
    call_command("export_archive", campaign=campaign.pk, out=str(out), stdout=io.StringIO())
    with zipfile.ZipFile(out) as built:
        assert len([n for n in built.namelist() if not n.startswith("00-")]) == 5
    assert not (tmp_path / "档案.zip.part").exists()


def test_archive_download_is_audited(cast, campaign, client_for):
    from wenming.audit.models import AuditEvent

    approved_set(cast, campaign)
    job = ArchiveJob.objects.create(campaign=campaign, requested_by=cast["office"])
    archive.archive_build(job_id=job.pk)
    response = client_for(cast["leader"]).get(f"/evidence/archives/{job.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert AuditEvent.objects.filter(verb="evidence.archive_downloaded").count() == 1
    page = client_for(cast["office"]).get(f"/evidence/campaigns/{campaign.pk}/archive/").content.decode()
    assert "<progress" in page and "下载" in page


def test_the_archive_page_and_its_cover_state_one_count(cast, campaign, client_for):
    """The page said 15 份材料 and the cover 14: an approved link has no file and is not in the ZIP."""
    from docx import Document

    approved_set(cast, campaign)
    link = services.evidence_create(
        actor=cast["office"], campaign=campaign, title="网站专栏链接", kind="link", occurred_on=date(2021, 3, 5),
        department=cast.dept_a, task=None, criteria=[], description="", link="https://www.example.gov.cn/wm/",
        files=[])
    services.evidence_review(actor=cast["office"], evidence=link, approve=True)
    page = client_for(cast["office"]).get(f"/evidence/campaigns/{campaign.pk}/archive/").content.decode()
    assert "把已审核通过的 2 份材料" in page and "另有 1 份已通过的材料没有文件" in page
    cover = Document(io.BytesIO(archive.catalogue_docx(campaign, archive.plan(campaign))))
    assert any("共 2 份材料、5 个文件" in paragraph.text for paragraph in cover.paragraphs)


def test_the_archive_file_name_carries_the_beijing_date(cast, campaign, client_for):
    from datetime import datetime

    approved_set(cast, campaign)
    job = ArchiveJob.objects.create(campaign=campaign, requested_by=cast["office"])
    archive.archive_build(job_id=job.pk)
    # 2026-12-02 17:30 UTC is 2026-12-03 01:30 in Beijing
    ArchiveJob.objects.filter(pk=job.pk).update(finished_at=datetime(2026, 12, 2, 17, 30, tzinfo=UTC))
    response = client_for(cast["office"]).get(f"/evidence/archives/{job.pk}/download/")
    assert "20261203" in response["Content-Disposition"]
