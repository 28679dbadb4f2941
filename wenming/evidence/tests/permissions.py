"""What every evidence URL answers to each persona (DESIGN.md §5).

The 三员 and the evaluator hold no campaign role: 403. The outsider (创建办 of another unit) passes the role check
but finds none of our objects: 404. Inside the unit: the item used is uploaded by 民一庭's 干警; 民一庭's liaison
may change it, 民二庭's liaison and the leader may read it (403 on changes); an item of 民二庭 is invisible to
民一庭's 干警 (404). Only the 创建办 reviews and builds the archive; leaders read and download it.
"""

from wenming.evidence import archive, services
from wenming.evidence.models import ArchiveJob, Evidence
from wenming.evidence.tests import files
from wenming.evidence.tests.conftest import make_campaign, upload_photos
from wenming.testing.matrix import Expect, each, newest

NO_ROLE = ("admin", "security", "auditor", "evaluator")
PEOPLE = ("office", "leader", "liaison_a", "staff_a", "liaison_b")


def statuses(*, people=200, anonymous=302, outsider=404, **overrides) -> dict[str, int]:
    result = {**each(NO_ROLE, 403), **each(PEOPLE, people), "outsider": outsider, "anonymous": anonymous}
    result.update(overrides)
    return result


def the_campaign(cast):
    from wenming.campaigns.models import Campaign

    return Campaign.objects.filter(unit=cast.unit).first() or make_campaign(cast)


def campaign(cast):
    return {"pk": the_campaign(cast).pk}


def item_a(cast):
    return {"pk": upload_photos(cast, the_campaign(cast)).pk}


def item_b(cast):
    return {"pk": upload_photos(cast, the_campaign(cast), actor=cast["liaison_b"]).pk}


def file_a(cast):
    evidence = upload_photos(cast, the_campaign(cast))
    row = evidence.files.get()
    services.thumbnails_make([row.pk])
    return {"pk": row.pk}


def upload_data(cast):
    return {"title": "文明庭室评选公示", "kind": "photo", "occurred_on": "2021-04-01",
            "files": files.upload("公示照片.jpg", files.jpeg())}


def job(cast):
    return {"pk": ArchiveJob.objects.create(campaign=the_campaign(cast), requested_by=cast["office"]).pk}


def built_job(cast):
    found = the_campaign(cast)
    upload_photos(cast, found)
    created = ArchiveJob.objects.create(campaign=found, requested_by=cast["office"])
    archive.archive_build(job_id=created.pk)
    return {"pk": created.pk}


def built_binder(cast):
    """A finished PDF binder job (its file stored as built; building one per persona would only repeat the
    binder's own tests)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    name = default_storage.save("evidence/archives/test/binder.pdf", ContentFile(files.pdf(pages=1)))
    return {"pk": ArchiveJob.objects.create(campaign=the_campaign(cast), requested_by=cast["office"],
                                            kind=ArchiveJob.Kind.BINDER, status=ArchiveJob.Status.DONE, file=name,
                                            finished_at=timezone.now()).pk}


def api_data(cast):
    return {"campaign": the_campaign(cast).pk, "title": "志愿服务照片", "kind": "photo",
            "occurred_on": "2021-05-01", "files": files.upload("志愿服务.jpg", files.jpeg())}


READ_ONLY_ITEM = {"leader": 403, "liaison_b": 403}
ARCHIVE = statuses(people=403, office=200, leader=200)

MATRIX = [
    Expect("evidence:index", statuses(outsider=200), note="no campaign yet: the page says so"),
    Expect("evidence:gaps_index", statuses(outsider=200)),
    Expect("evidence:list", statuses(), kwargs=campaign),
    Expect("evidence:create", statuses(), kwargs=campaign),
    Expect("evidence:create", statuses(people=302), method="post", kwargs=campaign, data=upload_data,
           note="everyone of the unit may file evidence for the campaign"),
    Expect("evidence:gaps", statuses(), kwargs=campaign),
    Expect("evidence:detail", statuses(), kwargs=item_a),
    Expect("evidence:detail", statuses(staff_a=404), kwargs=item_b, note="民一庭's 干警 cannot see 民二庭's"),
    Expect("evidence:edit", statuses(**READ_ONLY_ITEM), kwargs=item_a),
    Expect("evidence:review", statuses(people=403, office=302), method="post", kwargs=item_a,
           data=lambda cast: {"decision": "approve"}),
    Expect("evidence:delete", statuses(people=302, **READ_ONLY_ITEM), method="post", kwargs=item_a),
    Expect("evidence:file", statuses(), kwargs=file_a),
    Expect("evidence:thumbnail", statuses(), kwargs=file_a),
    Expect("evidence:archive_index", statuses(people=403, office=200, leader=200, outsider=200),
           note="no campaign yet: the page says so (the outsider is another unit's 创建办)"),
    Expect("evidence:archive", ARCHIVE, kwargs=campaign),
    Expect("evidence:archive", statuses(people=403, office=302), method="post", kwargs=campaign),
    Expect("evidence:archive_status", ARCHIVE, kwargs=job),
    Expect("evidence:archive_download", ARCHIVE, kwargs=built_job),
    Expect("evidence:archive", statuses(people=403, office=302), method="post", kwargs=campaign,
           data=lambda cast: {"kind": "binder"}, note="the PDF binder: built by the 创建办 only"),
    Expect("evidence:archive_download", ARCHIVE, kwargs=built_binder),
    # API: DRF answers 403 to anonymous callers (session auth has no challenge header).
    Expect("evidence-list", statuses(anonymous=403, outsider=200)),
    Expect("evidence-list", statuses(people=201, anonymous=403, outsider=404), method="post", data=api_data),
    Expect("evidence-detail", statuses(anonymous=403), kwargs=item_a),
    Expect("evidence-upload", statuses(anonymous=403, **READ_ONLY_ITEM), method="post", kwargs=item_a,
           data=lambda cast: {"files": files.upload("补充.jpg", files.jpeg()), "version": newest(Evidence).version}),
    Expect("evidence-review", statuses(people=403, office=200, anonymous=403), method="post", kwargs=item_a,
           data=lambda cast: {"decision": "return", "reason": "缺签到表", "version": newest(Evidence).version}),
    Expect("evidence-gap-detail", statuses(anonymous=403), kwargs=campaign),
    Expect("evidence-archive-list", statuses(anonymous=403, outsider=200)),
    Expect("evidence-archive-list", statuses(people=403, office=202, anonymous=403), method="post",
           data=lambda cast: {"campaign": the_campaign(cast).pk}),
    Expect("evidence-archive-detail", statuses(people=404, office=200, leader=200, anonymous=403), kwargs=job),
    Expect("evidence-archive-download", statuses(people=404, office=200, leader=200, anonymous=403),
           kwargs=built_job),
]
