from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.standards import services
from wenming.standards.tests.workbooks import make_standard, sample_workbook
from wenming.testing.matrix import SIGNED_IN, UNIT_MEMBERS, Expect, each, page_for

READERS = ("office", "leader", "liaison_a", "staff_a", "liaison_b", "evaluator", "outsider")
UNIT_READERS = ("office", "leader", "liaison_a", "staff_a", "liaison_b")
SEPARATED = ("admin", "security", "auditor")
OUT_OF_SCOPE = {"evaluator": 404, "outsider": 404}


def unit_object(allowed, status=200, *, anonymous=302, others=403):
    """An object of the cast's unit: `allowed` get `status`, other unit members `others`, the 三员 403,
    people of other units 404."""
    statuses = {**each(UNIT_MEMBERS, others), **each(SEPARATED, 403), **OUT_OF_SCOPE, "anonymous": anonymous}
    statuses.update(each(allowed, status))
    return statuses


def office_action(status):
    return unit_object(["office"], status)


def draft_standard(cast):
    return {"pk": make_standard(cast.unit, cast["office"]).pk}


def published_standard(cast):
    return {"pk": make_standard(cast.unit, cast["office"], published=True).pk}


def draft_line(cast):
    standard = make_standard(cast.unit, cast["office"])
    return {"pk": standard.criteria.filter(code="3").get().pk}


def published_line(cast):
    standard = make_standard(cast.unit, cast["office"], published=True)
    return {"pk": standard.criteria.filter(code="3").get().pk}


def import_draft(cast):
    draft = services.import_draft_create(actor=cast["office"], unit=cast.unit, filename="细则.xlsx",
                                         content=sample_workbook())
    return {"token": draft.token}


def upload(cast):
    return {"file": SimpleUploadedFile("细则.xlsx", sample_workbook())}


OFFICES = ["office", "outsider"]  # the outsider is the 创建办 of another unit: it acts on its own unit only

MATRIX = [
    Expect("standards:list", page_for(READERS)),
    Expect("standards:library", page_for(OFFICES)),
    Expect("standards:library_load", {**each(SIGNED_IN, 403), "office": 302, "outsider": 302, "anonymous": 302},
           method="post", kwargs=lambda cast: {"key": "city-court"}),
    Expect("standards:import", page_for(OFFICES)),
    Expect("standards:import", {**each(SIGNED_IN, 403), "office": 302, "outsider": 302, "anonymous": 302},
           method="post", data=upload, note="the upload is kept and the preview opens"),
    Expect("standards:import_preview", {**page_for(["office"]), "outsider": 404}, kwargs=import_draft,
           note="an upload is seen only by the person who uploaded it"),
    Expect("standards:import_confirm", {**each(SIGNED_IN, 403), "office": 302, "outsider": 404, "anonymous": 302},
           method="post", kwargs=import_draft, data=lambda cast: {"name": "导入的细则", "level": "city"}),
    Expect("standards:detail", unit_object(UNIT_READERS), kwargs=draft_standard),
    Expect("standards:edit", office_action(200), kwargs=draft_standard),
    Expect("standards:publish", office_action(302), method="post", kwargs=draft_standard),
    Expect("standards:new_version", office_action(302), method="post", kwargs=published_standard),
    Expect("standards:compare", unit_object(UNIT_READERS), kwargs=draft_standard),
    Expect("standards:export_xlsx", office_action(200), kwargs=published_standard),
    Expect("standards:export_yaml", office_action(200), kwargs=published_standard),
    Expect("standards:criterion_edit", office_action(200), kwargs=draft_line),
    Expect("standards:criterion_refine", office_action(200), kwargs=published_line),
    Expect("standards:criterion_delete", office_action(302), method="post", kwargs=draft_line),
    # API: DRF answers 403 to anonymous callers (session auth has no challenge header).
    Expect("standard-list", page_for(READERS, anonymous=403)),
    Expect("standard-detail", unit_object(UNIT_READERS, anonymous=403), kwargs=draft_standard),
    Expect("standard-import-file", {**each(SIGNED_IN, 403), "office": 200, "outsider": 200, "anonymous": 403},
           method="post", data=upload, note="without confirm: the preview only"),
    Expect("criterion-list", page_for(READERS, anonymous=403)),
    Expect("criterion-detail", unit_object(UNIT_READERS, anonymous=403), kwargs=draft_line),
    Expect("criterion-refine", unit_object(["office"], 201, anonymous=403), method="post", kwargs=published_line,
           data=lambda cast: {"title": "本院细化：每季度通报一次", "materials": "通报文件"},
           content_type="application/json"),
]
