from wenming.testing.matrix import SIGNED_IN, UNIT_MEMBERS, Expect, each, page_for

IN_UNIT_OBJECT = {"evaluator": 404, "outsider": 404}


def staff_a(cast):
    return {"pk": cast["staff_a"].pk}


def dept_a(cast):
    return {"pk": cast.dept_a.pk}


def office_token(cast):
    from wenming.org.services import api_token_issue

    token, _key = api_token_issue(actor=cast["office"], user=cast["office"], name="矩阵")
    return {"pk": token.pk}


def new_department(cast):
    return {"name": "新部门", "order": 9}


MATRIX = [
    Expect("org:departments", page_for(SIGNED_IN)),
    Expect("org:department_create", page_for(["admin", "outsider"])),
    Expect("org:department_edit", page_for(["admin"], out_of_scope=404), kwargs=dept_a),
    Expect("org:department_delete", {**each(UNIT_MEMBERS, 403), **IN_UNIT_OBJECT, "admin": 302, "anonymous": 302},
           method="post", kwargs=dept_a, note="refused with a message while it has people; still a redirect"),
    Expect("org:people", page_for(SIGNED_IN)),
    Expect("org:person_create", page_for(["admin", "outsider"])),
    Expect("org:roster_import", page_for(["admin", "outsider"])),
    Expect("org:roster_template", page_for(["admin", "outsider"])),
    Expect("org:roster_export", page_for(["admin", "office", "outsider"])),
    Expect("org:person_edit", page_for(UNIT_MEMBERS, out_of_scope=404), kwargs=staff_a),
    Expect("org:person_password", {**each(UNIT_MEMBERS, 403), **IN_UNIT_OBJECT, "admin": 302, "anonymous": 302},
           method="post", kwargs=staff_a, data=lambda cast: {"password": "Reset#Pass2026"}),
    Expect("org:person_active", {**each(UNIT_MEMBERS, 403), **IN_UNIT_OBJECT, "admin": 302, "anonymous": 302},
           method="post", kwargs=staff_a, data=lambda cast: {"active": "0"}),
    Expect("org:person_otp_reset", {**each(UNIT_MEMBERS, 403), **IN_UNIT_OBJECT, "admin": 302, "anonymous": 302},
           method="post", kwargs=staff_a),
    Expect("org:security_policy", page_for(["security"])),
    Expect("org:person_roles", page_for(["security"], out_of_scope=404), kwargs=staff_a),
    # API 令牌: everyone who signs in manages their own; nobody sees or revokes another's.
    Expect("org:tokens", page_for(SIGNED_IN)),
    Expect("org:tokens", {**each(SIGNED_IN, 200), "anonymous": 302}, method="post",
           data=lambda cast: {"name": "对接"}, note="issues one for the signed-in person and shows it once"),
    Expect("org:token_revoke", {**each(SIGNED_IN, 404), "office": 302, "anonymous": 302}, method="post",
           kwargs=office_token),
    # API: DRF answers 403 to anonymous callers (session auth has no challenge header).
    Expect("department-list", page_for(SIGNED_IN, anonymous=403)),
    Expect("department-list", {**each(SIGNED_IN, 403), "admin": 201, "outsider": 201, "anonymous": 403},
           method="post", data=new_department, content_type="application/json"),
    Expect("department-detail", page_for(UNIT_MEMBERS, anonymous=403, out_of_scope=404), kwargs=dept_a),
    Expect("department-detail", {**each(UNIT_MEMBERS, 403), **IN_UNIT_OBJECT, "admin": 200, "anonymous": 403},
           method="patch", kwargs=dept_a, data=lambda cast: {"order": 5, "version": cast.dept_a.version},
           content_type="application/json"),
    Expect("department-detail", {**each(UNIT_MEMBERS, 403), **IN_UNIT_OBJECT, "admin": 400, "anonymous": 403},
           method="delete", kwargs=dept_a, note="admin is refused with 400 while the department has people"),
    Expect("user-list", page_for(SIGNED_IN, anonymous=403)),
    Expect("user-list", {**each(SIGNED_IN, 403), "admin": 201, "outsider": 201, "anonymous": 403},
           method="post", content_type="application/json",
           data=lambda cast: {"username": "new_person", "real_name": "新同志", "password": "Initial#2026"}),
    Expect("user-detail", page_for(UNIT_MEMBERS, anonymous=403, out_of_scope=404), kwargs=staff_a),
    Expect("user-detail", {**each(UNIT_MEMBERS, 403), **IN_UNIT_OBJECT, "admin": 200, "anonymous": 403},
           method="patch", kwargs=staff_a, data=lambda cast: {"job_title": "审判员", "version": cast["staff_a"].version},
           content_type="application/json"),
]
