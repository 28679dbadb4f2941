from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wenming.core import health, recycle
from wenming.core.access import role_required
from wenming.core.middleware import session_passive
from wenming.core.todo import todo_for
from wenming.core.trail import Origin
from wenming.org.roles import Role
from wenming.org.services import user_change_own_password


@login_required
def home(request):
    """工作台: the person's to-do list with counts, by role, each line one tap from where the work is done (the apps'
    `todo` lines, `wenming.core.todo`); a fixed number of queries whatever the data size."""
    return render(request, "core/home.html", {"todos": todo_for(request.user)})


@never_cache
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_change_own_password(
            user=request.user, password=form.cleaned_data["new_password1"], origin=Origin.from_request(request)
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})


def healthz(request):
    """For the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
def health_json(request):
    """For monitoring, without sign-in: the database and the background worker (counts and ages only); 503 when
    either is down, so a monitor alerts."""
    state = health.health_check()
    return JsonResponse(state.as_json(), status=200 if state.ok else 503)


@session_passive
@never_cache
def worker_banner(request):
    """“后台任务未在运行” for the 创建办, loaded by htmx with each of their pages (nothing when all is well)."""
    if not (request.user.is_authenticated and request.user.has_role(Role.OFFICE)):
        return HttpResponse(status=204)
    if not health.worker_stalled():
        return HttpResponse("")
    return render(request, "core/partials/worker_banner.html", {"message": health.worker_stalled_message()})


@role_required(Role.OFFICE)
def recycle_bin(request):
    """回收站: what the unit deleted, restorable until it is purged (after the retention period)."""
    sections = recycle.bin_items(unit=request.user.unit)
    return render(request, "core/recycle_bin.html", {
        "sections": sections, "retention_days": recycle.retention_days(),
        "empty": not any(rows for _entry, rows in sections),
    })


def _binned(request, key, pk):
    entry = recycle.bin_entry(key)
    if entry is None:
        raise Http404
    obj = entry.model.objects.in_bin().filter(**{entry.unit_path: request.user.unit}).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@require_POST
@role_required(Role.OFFICE)
def recycle_restore(request, key, pk):
    obj = _binned(request, key, pk)
    recycle.recycle_restore(actor=request.user, obj=obj, origin=Origin.from_request(request))
    messages.success(request, _("已恢复“%(title)s”。") % {"title": obj})
    return redirect("recycle_bin")


@require_POST
@role_required(Role.OFFICE)
def recycle_purge(request, key, pk):
    obj = _binned(request, key, pk)
    title = str(obj)
    recycle.recycle_purge(actor=request.user, obj=obj, origin=Origin.from_request(request))
    messages.success(request, _("已彻底删除“%(title)s”，此操作已记入审计日志。") % {"title": title})
    return redirect("recycle_bin")
