"""What every activities URL answers to each persona (DESIGN.md §5).

Activities are shared by the unit: every campaign member sees them and may sign in. The activity used is organised
by 民一庭 (its liaison organises it): the 创建办 and 民一庭's liaison manage it; the leader, 民二庭's liaison and
民一庭's 干警 may read it (403 on changes). The 三员 and the evaluator hold no campaign role: 403. The outsider
(创建办 of another unit) finds none of our objects: 404. The QR sign-in link opens for anyone of the unit (the 三员
attend meetings too), sends anonymous visitors to sign in first, and is 404 to other units and the city.
"""

from wenming.activities import services
from wenming.activities.models import Activity, VolunteerImportDraft
from wenming.activities.tests.conftest import make_activity, the_campaign
from wenming.testing.matrix import Expect, each, newest

NO_ROLE = ("admin", "security", "auditor", "evaluator")
PEOPLE = ("office", "leader", "liaison_a", "staff_a", "liaison_b")
READ_ONLY = {"leader": 403, "liaison_b": 403, "staff_a": 403}


def statuses(*, people=200, anonymous=302, outsider=404, **overrides) -> dict[str, int]:
    result = {**each(NO_ROLE, 403), **each(PEOPLE, people), "outsider": outsider, "anonymous": anonymous}
    result.update(overrides)
    return result


def activity(cast):
    return {"pk": make_activity(cast).pk}


def meeting(cast):
    return {"pk": make_activity(cast, kind_name="党组会议", title="党组会议").pk}


def token(cast):
    return {"token": make_activity(cast).attendance_token}


def draft(cast):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "服务时长", "服务日期"])
    workbook.active.append(["干警甲", 2, "2021-03-05"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    found = VolunteerImportDraft.objects.filter(owner=cast["office"]).first()
    if found:
        return {"token": found.token}
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = services.volunteer_draft_create(actor=cast["office"], campaign=the_campaign(cast),
                                           upload=SimpleUploadedFile("志愿汇.xlsx", buffer.getvalue()))
    return {"token": made.token}


def campaign_ready(cast):
    the_campaign(cast)
    return {}


def new_activity(cast):
    from wenming.activities.tests.conftest import kind

    return {"title": "文明餐桌志愿服务", "kind": kind(cast, "志愿服务").pk, "starts_at": "2021-04-01T09:00",
            "ends_at": "2021-04-01T11:00", "status": "planned"}


def a_kind(cast):
    from wenming.activities.tests.conftest import kind

    return {"pk": kind(cast).pk}


def person(cast):
    return {"person": cast["staff_a"].pk}


OFFICE_ONLY = statuses(people=403, office=200)
WIDE = statuses(staff_a=200)

MATRIX = [
    Expect("activities:list", statuses(outsider=200), kwargs=campaign_ready, note="outsider: no campaign page"),
    Expect("activities:calendar", statuses(outsider=200), kwargs=campaign_ready),
    Expect("activities:create", statuses(outsider=200), kwargs=campaign_ready),
    Expect("activities:create", statuses(people=302, outsider=200), method="post", kwargs=campaign_ready,
           data=new_activity, note="everyone of the unit may register an activity"),
    Expect("activities:kinds", statuses(people=403, office=200, outsider=200),
           note="the outsider is the 创建办 of its own unit"),
    Expect("activities:kind_edit", statuses(people=403, office=200), kwargs=a_kind,
           note="the outsider's unit has its own kinds: ours are 404 to it"),
    Expect("activities:kind_edit", statuses(people=403, office=302), method="post", kwargs=a_kind,
           data=lambda cast: {"name": "道德讲堂（月度）", "is_meeting": "", "is_active": "on"}),
    Expect("activities:detail", statuses(), kwargs=activity),
    Expect("activities:edit", statuses(**READ_ONLY), kwargs=activity),
    Expect("activities:delete", statuses(people=302, **READ_ONLY), method="post", kwargs=activity),
    Expect("activities:document_add", statuses(people=302, **READ_ONLY), method="post", kwargs=activity,
           data=lambda cast: {"step": "plan"}, note="no file: the service refuses, the view redirects with a message"),
    Expect("activities:minutes", statuses(**READ_ONLY), kwargs=meeting),
    Expect("activities:attendance", statuses(**READ_ONLY), kwargs=activity),
    Expect("activities:attendance_list", statuses(**READ_ONLY), kwargs=activity),
    Expect("activities:attendance_mark", statuses(people=302, **READ_ONLY), method="post", kwargs=activity,
           data=person),
    Expect("activities:attendance_code", statuses(people=302, **READ_ONLY), method="post", kwargs=activity),
    Expect("activities:attendance_xlsx", statuses(), kwargs=activity),
    Expect("activities:attendance_docx", statuses(), kwargs=meeting),
    Expect("activities:sign_in", {**each(("admin", "security", "auditor"), 200), **each(PEOPLE, 200),
                                  "evaluator": 404, "outsider": 404, "anonymous": 302}, kwargs=token),
    Expect("activities:sign_in", {**each(("admin", "security", "auditor"), 200), **each(PEOPLE, 200),
                                  "evaluator": 404, "outsider": 404, "anonymous": 302}, method="post", kwargs=token),
    Expect("activities:volunteers", statuses(outsider=200), kwargs=campaign_ready),
    Expect("activities:volunteer_export", statuses(people=200, staff_a=403, outsider=404), kwargs=campaign_ready,
           note="the outsider's unit has no campaign"),
    Expect("activities:volunteer_import", statuses(people=403, office=200, outsider=200), kwargs=campaign_ready),
    Expect("activities:volunteer_preview", statuses(people=403, office=200, outsider=404), kwargs=draft),
]


def api_new(cast):
    from wenming.activities.tests.conftest import kind

    return {"campaign": the_campaign(cast).pk, "kind": kind(cast, "文体活动").pk, "title": "迎新春趣味运动会",
            "starts_at": "2021-02-05T14:00:00+08:00", "ends_at": "2021-02-05T17:00:00+08:00"}


def api_sign_in(cast):
    found = make_activity(cast)
    return {"activity": found.pk, "token": found.attendance_token}


API = statuses(anonymous=403)
MATRIX += [
    # API: DRF answers 403 to anonymous callers (session auth has no challenge header).
    Expect("activity-list", statuses(anonymous=403, outsider=200)),
    Expect("activity-list", statuses(people=201, anonymous=403, outsider=404), method="post", data=api_new,
           content_type="application/json"),
    Expect("activity-detail", API, kwargs=activity),
    Expect("activity-detail", statuses(anonymous=403, **READ_ONLY), method="patch", kwargs=activity,
           data=lambda cast: {"place": "一楼大厅", "version": newest(Activity).version}, content_type="application/json"),
    Expect("activity-detail", statuses(anonymous=403, **READ_ONLY), method="put", kwargs=activity,
           data=lambda cast: {"title": "3月道德讲堂（改）", "version": newest(Activity).version},
           content_type="application/json"),
    Expect("activity-attendance-list", statuses(anonymous=403, outsider=200)),
    Expect("activity-attendance-list", statuses(people=201, anonymous=403, outsider=404), method="post",
           data=api_sign_in, content_type="application/json", note="everyone of the unit signs in with the token"),
    Expect("volunteer-hours-list", statuses(anonymous=403, outsider=200)),
]
