"""Screens for departments and people. Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.access import get_for_user, role_required
from wenming.core.api import as_id
from wenming.core.forms import form_page, form_save
from wenming.core.memo import memoized, paginate
from wenming.core.trail import Origin, audit_record
from wenming.core.xlsx import xlsx_response
from wenming.org import roster, selectors, services
from wenming.org.forms import DepartmentForm, PasswordResetForm, PersonForm, RolesForm, RosterImportForm
from wenming.org.models import Department, User
from wenming.org.roles import Role


def _departments(user, pk):
    return Department.objects.visible_to(user), Department.objects.editable_by(user), pk


@login_required
def department_list(request):
    rows = selectors.department_tree(user=request.user)
    can_edit = request.user.has_role(Role.ADMIN)
    return render(request, "org/department_list.html", {"rows": rows, "can_edit": can_edit})


def _department_parent(request, value):
    if value is None:
        return None
    return get_for_user(Department.objects.visible_to(request.user), None, value)[0]


@role_required(Role.ADMIN)
def department_create(request):
    choices = selectors.department_choices(user=request.user)
    form = DepartmentForm(request.POST or None, department_choices=choices)
    return form_page(request, form, lambda data: services.department_create(
        actor=request.user, unit=request.user.unit, name=data["name"], parent=_department_parent(request, data["parent"]),
        order=data["order"] or 0, origin=Origin.from_request(request)),
        template="org/department_form.html", context={"creating": True}, then="org:departments",
        message=lambda department: _("已新增部门“%(name)s”。") % {"name": department.name})


def _department_initial(department) -> dict:
    return {"name": department.name, "parent": department.parent_id, "order": department.order,
            "is_active": department.is_active, "version": department.version}


def _person_initial(person) -> dict:
    return {"username": person.username, "real_name": person.real_name, "department": person.department_id,
            "job_title": person.job_title, "phone": person.phone, "email": person.email, "version": person.version}


@login_required
def department_edit(request, pk):
    department, can_edit = get_for_user(*_departments(request.user, pk), need_edit=True)
    choices = [c for c in selectors.department_choices(user=request.user) if c[0] != department.pk]
    form = DepartmentForm(request.POST or None, initial=_department_initial(department), department_choices=choices)
    saved = form_save(request, form, lambda data: services.department_update(
        actor=request.user, department=department, name=data["name"], parent=_department_parent(request, data["parent"]),
        order=data["order"] or 0, is_active=data["is_active"], expected_version=data["version"],
        origin=Origin.from_request(request)))
    if saved.ok:
        messages.success(request, _("已保存部门“%(name)s”。") % {"name": form.cleaned_data["name"]})
        return redirect("org:departments")
    return render(request, "org/department_form.html",
                  {"form": form, "department": saved.current or department, "conflict": saved.conflict},
                  status=saved.status)


@require_POST
@login_required
def department_delete(request, pk):
    department, _can_edit = get_for_user(*_departments(request.user, pk), need_edit=True)
    try:
        services.department_delete(actor=request.user, department=department, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已删除部门“%(name)s”。") % {"name": department.name})
    return redirect("org:departments")


@login_required
def people_list(request):
    department_id = request.GET.get("department") or None
    filters = {
        "q": request.GET.get("q", "").strip(),
        "department_id": as_id(department_id),
        "role": request.GET.get("role", "") if request.GET.get("role", "") in Role.values else "",
        "active": request.GET.get("active", "1"),
    }
    page = paginate(request, selectors.people_list(user=request.user, **filters), 50, name="people")
    context = {
        "page": page,
        "filters": filters,
        "departments": memoized("department-choices", request.user.pk,
                                lambda: selectors.department_choices(user=request.user)),
        "roles": Role.choices,
        "can_edit": request.user.has_role(Role.ADMIN),
        "can_edit_roles": request.user.has_role(Role.SECURITY),
        "can_export": request.user.has_role(Role.ADMIN, Role.OFFICE),
    }
    template = "org/people_list.html#people-table" if request.htmx else "org/people_list.html"
    return render(request, template, context)


@role_required(Role.ADMIN)
def person_create(request):
    choices = selectors.department_choices(user=request.user)
    form = PersonForm(request.POST or None, department_choices=choices)
    return form_page(request, form, lambda data: services.user_create(
        actor=request.user, unit=request.user.unit, username=data["username"], real_name=data["real_name"],
        password=data["password"], department=_department_parent(request, data["department"]),
        job_title=data["job_title"], phone=data["phone"], email=data["email"], origin=Origin.from_request(request)),
        template="org/person_form.html", context={"creating": True}, then="org:people",
        message=lambda person: _("已新增人员“%(name)s”，请把账号和初始密码告知本人。") % {"name": person.real_name})


@login_required
def person_edit(request, pk):
    person, can_edit = get_for_user(User.objects.visible_to(request.user), User.objects.editable_by(request.user), pk)
    if not can_edit and request.method == "POST":
        raise PermissionDenied
    choices = selectors.department_choices(user=request.user)
    form = PersonForm(request.POST or None, initial=_person_initial(person), department_choices=choices, editing=True)
    saved = form_save(request, form, lambda data: services.user_update(
        actor=request.user, user=person, real_name=data["real_name"],
        department=_department_parent(request, data["department"]), job_title=data["job_title"], phone=data["phone"],
        email=data["email"], expected_version=data["version"], origin=Origin.from_request(request)))
    if saved.ok:
        messages.success(request, _("已保存“%(name)s”的信息。") % {"name": form.cleaned_data["real_name"]})
        return redirect("org:people")
    person = saved.current or person
    context = {"form": form, "person": person, "can_edit": can_edit, "password_form": PasswordResetForm(),
               "conflict": saved.conflict, "administrator": services.is_administrator(person),
               "can_edit_roles": request.user.has_role(Role.SECURITY) and person.unit_id == request.user.unit_id}
    return render(request, "org/person_form.html", context, status=saved.status)


@require_POST
@login_required
def person_password(request, pk):
    person, _can_edit = get_for_user(User.objects.visible_to(request.user), User.objects.editable_by(request.user), pk,
                                     need_edit=True)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_reset_password(actor=request.user, user=person, password=form.cleaned_data["password"],
                                         origin=Origin.from_request(request))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已重置“%(name)s”的密码，本人下次登录时须修改。") % {"name": person.real_name})
    else:
        messages.error(request, _("请填写新的初始密码。"))
    return redirect("org:person_edit", pk=person.pk)


@require_POST
@login_required
def person_active(request, pk):
    person, _can_edit = get_for_user(User.objects.visible_to(request.user), User.objects.editable_by(request.user), pk,
                                     need_edit=True)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=person, active=active, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, (_("已启用“%(name)s”。") if active else _("已停用“%(name)s”。")) % {"name": person.real_name})
    return redirect("org:person_edit", pk=person.pk)


@login_required
def person_roles(request, pk):
    person, _can_edit = get_for_user(
        User.objects.visible_to(request.user), User.objects.roles_editable_by(request.user), pk, need_edit=True
    )
    form = RolesForm(request.POST or None, initial={"roles": sorted(person.role_set)})
    return form_page(request, form, lambda data: services.user_set_roles(
        actor=request.user, user=person, roles=set(data["roles"]), origin=Origin.from_request(request)),
        template="org/person_roles.html", context={"person": person}, then="org:people",
        message=_("已更新“%(name)s”的角色。") % {"name": person.real_name})


@role_required(Role.ADMIN)
def roster_import(request):
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = roster.roster_import(
            actor=request.user, unit=request.user.unit, uploaded=form.cleaned_data["file"],
            initial_password=form.cleaned_data["initial_password"], origin=Origin.from_request(request),
        )
        if result.ok:
            messages.success(request, _("导入完成：新增 %(created)d 人，更新 %(updated)d 人。")
                             % {"created": result.created, "updated": result.updated})
            return redirect("org:people")
    refused = request.method == "POST" and (not form.is_valid() or (result is not None and not result.ok))
    return render(request, "org/roster_import.html", {"form": form, "result": result}, status=400 if refused else 200)


@role_required(Role.ADMIN)
def roster_template(request):
    return xlsx_response(roster.roster_template(), "人员名册导入模板")


@role_required(Role.ADMIN, Role.OFFICE)
def roster_export(request):
    people = selectors.people_list(user=request.user, active="")
    audit_record(actor=request.user, verb="org.roster_exported", unit=request.user.unit,
                 after={"count": people.count()}, origin=Origin.from_request(request))
    return xlsx_response(roster.roster_export(people), "人员名册")
