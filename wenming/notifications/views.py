"""Screens for notifications: my notifications and the bell, my settings, the unit's group robots and delivery log,
and 通知公告 with read receipts. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.audit.services import Origin, audit_record
from wenming.core.access import get_for_user
from wenming.core.forms import form_page
from wenming.core.middleware import session_passive
from wenming.core.recycle import recycle_page
from wenming.core.xlsx import build_workbook, xlsx_response
from wenming.files.serving import serve_stored
from wenming.notifications import selectors, services
from wenming.notifications.forms import (
    AnnouncementForm,
    CorrectionForm,
    PreferenceForm,
    UnitSettingsForm,
    WebhookForm,
)
from wenming.notifications.models import Announcement, Attachment, Delivery, UnitSettings, WebhookEndpoint
from wenming.notifications.querysets import MANAGER_ROLES
from wenming.notifications.verbs import EVENT_LABELS
from wenming.org.policy import door
from wenming.org.roles import Role

managers = door(UnitSettings)
office = door(Announcement, "change")


def _in_unit(view):
    """Announcements: any signed-in person of a unit (an account without a unit has none to read)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.unit_id is None:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _page(request, items, per_page=30):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# ------------------------------------------------------------------------------------------------ my notifications
@login_required
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    page = _page(request, selectors.notification_list(user=request.user, unread_only=unread_only))
    context = {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(user=request.user),
               "can_manage": bool(request.user.unit_id and request.user.has_role(*MANAGER_ROLES))}
    if request.htmx:
        return render(request, "notifications/notification_list.html#notification-table", context)
    return render(request, "notifications/notification_list.html", context)


@login_required
def notification_open(request, pk):
    """Clicking a notification marks it read and goes where it points."""
    from wenming.notifications.models import Notification

    notification, _can_edit = get_for_user(Notification.objects.visible_to(request.user), None, pk)
    services.notification_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_read_all(user=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("notifications:list")


@session_passive
def bell(request):
    """The header bell's unread count, loaded by htmx with each page (one count query); nothing for a signed-out page.

    `session_passive`: the fetch never saves the session, so it neither extends an idle browser's sign-in nor
    competes with the page's own session write."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "notifications/partials/bell.html", {"unread": selectors.unread_count(user=request.user)})


@login_required
def preferences(request):
    current = getattr(request.user, "notification_pref", None)
    initial = {"email_frequency": current.email_frequency if current else "weekly",
               "review_notice": current.review_notice if current else "daily"}
    form = PreferenceForm(request.POST or None, initial=initial, reviewer=request.user.has_role(Role.OFFICE))
    if request.method == "POST" and form.is_valid():
        services.preference_save(user=request.user, email_frequency=form.cleaned_data["email_frequency"],
                                 review_notice=form.cleaned_data.get("review_notice") or None)
        messages.success(request, _("通知设置已保存。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "has_email": bool(request.user.email)})


# ------------------------------------------------------------------------------------------------ unit settings
@managers
def settings_view(request):
    unit_settings = services.unit_settings_for(request.user.unit_id)
    form = UnitSettingsForm(request.POST or None, instance=unit_settings)
    return form_page(request, form, lambda data: services.unit_settings_save(
        actor=request.user, reminder_days=data["reminder_days"], origin=Origin.from_request(request)),
        template="notifications/settings.html",
        context={"endpoints": WebhookEndpoint.objects.visible_to(request.user), "events": EVENT_LABELS},
        then="notifications:settings", message=_("提醒设置已保存。"))


def _webhook_form_view(request, endpoint):
    form = WebhookForm(request.POST or None, instance=endpoint,
                       initial={"version": endpoint.version} if endpoint.pk else None)
    return form_page(request, form, lambda data: services.webhook_save(
        actor=request.user, endpoint=endpoint, data={name: data[name] for name in services.WEBHOOK_FIELDS},
        version=data.get("version"), origin=Origin.from_request(request)),
        template="notifications/webhook_form.html", context={"endpoint": endpoint}, then="notifications:settings",
        message=_("群机器人已保存。可点“发送测试消息”检查配置。"))


@managers
def webhook_create(request):
    return _webhook_form_view(request, WebhookEndpoint(unit_id=request.user.unit_id))


def _endpoint(request, pk) -> WebhookEndpoint:
    endpoint, _can_edit = get_for_user(WebhookEndpoint.objects.visible_to(request.user), None, pk)
    return endpoint


@managers
def webhook_edit(request, pk):
    return _webhook_form_view(request, _endpoint(request, pk))


@managers
@require_POST
def webhook_delete(request, pk):
    services.webhook_delete(actor=request.user, endpoint=_endpoint(request, pk), origin=Origin.from_request(request))
    messages.success(request, _("群机器人已删除。"))
    return redirect("notifications:settings")


@managers
@require_POST
def webhook_test(request, pk):
    services.webhook_test(actor=request.user, endpoint=_endpoint(request, pk))
    messages.success(request, _("测试消息已交给后台发送，结果见“发送记录”。"))
    return redirect("notifications:deliveries")


@managers
def deliveries(request):
    status = request.GET.get("status", "")
    status = status if status in Delivery.Status.values else ""
    channel = request.GET.get("channel", "")
    channel = channel if channel in Delivery.Channel.values else ""
    page = _page(request, selectors.delivery_list(user=request.user, status=status, channel=channel), 50)
    context = {"page": page, "status": status, "channel": channel, "statuses": Delivery.Status.choices,
               "channels": Delivery.Channel.choices}
    if request.htmx:
        return render(request, "notifications/deliveries.html#delivery-table", context)
    return render(request, "notifications/deliveries.html", context)


@managers
@require_POST
def delivery_retry(request, pk):
    delivery, _can_edit = get_for_user(Delivery.objects.visible_to(request.user), None, pk)
    if delivery.status == Delivery.Status.SENT:
        messages.info(request, _("这条已发送成功，无需重发。"))
    else:
        services.delivery_retry(delivery=delivery)
        messages.success(request, _("已交给后台重新发送。"))
    return redirect("notifications:deliveries")


# ------------------------------------------------------------------------------------------------ announcements
@_in_unit
def announcements(request):
    page = _page(request, selectors.announcement_list(user=request.user), 20)
    can_post = request.user.has_role(Role.OFFICE)
    return render(request, "notifications/announcement_list.html", {"page": page, "can_post": can_post})


@office
def announcement_create(request):
    form = AnnouncementForm(request.POST or None, user=request.user)
    return form_page(request, form, lambda data: services.announcement_publish(
        actor=request.user, title=data["title"], body=data["body"], departments=data["departments"],
        files=request.FILES.getlist("files"), origin=Origin.from_request(request)),
        template="notifications/announcement_form.html", context={},
        then=lambda announcement: ("notifications:announcement_detail", announcement.pk),
        message=_("通知公告已发布，接收人会收到提醒。"))


def _announcement(request, pk, *, need_edit=False, detail=False) -> tuple[Announcement, bool]:
    user = request.user
    visible = selectors.announcement_detail(user=user) if detail else Announcement.objects.visible_to(user)
    return get_for_user(visible, Announcement.objects.editable_by(user), pk, need_edit=need_edit)


@_in_unit
def announcement_detail(request, pk):
    announcement, can_edit = _announcement(request, pk, detail=True)
    services.announcement_opened(user=request.user, announcement=announcement)
    return render(request, "notifications/announcement_detail.html", {"announcement": announcement,
                                                                      "can_edit": can_edit})


@office
def announcement_receipts(request, pk):
    announcement, _can_edit = _announcement(request, pk, need_edit=True)
    rows, read, unread = selectors.announcement_receipts(announcement)
    if request.GET.get("format") == "xlsx":
        audit_record(actor=request.user, verb="notifications.receipts_exported", obj=announcement,
                     unit=request.user.unit, origin=Origin.from_request(request))
        lines = []
        for row in rows:
            for person in row.unread + row.read:
                lines.append([row.name, person.real_name or person.username,
                              _("已读") if person.read_at else _("未读"),
                              person.read_at.strftime("%Y-%m-%d %H:%M") if person.read_at else ""])
        book = build_workbook(_("阅读情况"), [_("部门"), _("姓名"), _("状态"), _("阅读时间")], lines,
                              widths=[18, 14, 8, 18],
                              note=_("%(title)s：已读 %(read)d 人，未读 %(unread)d 人") % {
                                  "title": announcement.title, "read": read, "unread": unread})
        return xlsx_response(book, _("阅读情况-%(title)s.xlsx") % {"title": announcement.title[:40]})
    return render(request, "notifications/announcement_receipts.html", {
        "announcement": announcement, "rows": rows, "read": read, "unread": unread})


@office
@require_POST
def announcement_delete(request, pk):
    announcement, _can_edit = _announcement(request, pk, need_edit=True)
    return recycle_page(request, announcement, _("已移入回收站，可以在回收站恢复。"), "notifications:announcements")


@office
def announcement_edit(request, pk):
    """更正: the title or the text of a published announcement; its audience and attachments stay."""
    announcement, _can_edit = _announcement(request, pk, need_edit=True)
    form = CorrectionForm(request.POST or None, initial={"title": announcement.title, "body": announcement.body,
                                                         "version": announcement.version})
    return form_page(request, form, lambda data: services.announcement_correct(
        actor=request.user, announcement=announcement, title=data["title"], body=data["body"],
        expected_version=data["version"], notify_again=data["notify_again"], origin=Origin.from_request(request)),
        template="notifications/announcement_correct.html", context={"announcement": announcement},
        then=("notifications:announcement_detail", announcement.pk), invalid_status=400,
        message=lambda _saved: _("已更正，并已再次提醒接收人。") if form.cleaned_data["notify_again"] else _("已更正。"))


@_in_unit
def attachment_download(request, pk):
    visible = Attachment.objects.filter(announcement__in=Announcement.objects.visible_to(request.user))
    row, _can_edit = get_for_user(visible, None, pk)
    if not row.file.storage.exists(row.file.name):
        raise Http404
    return serve_stored(row.file, filename=row.name, as_attachment=True, content_type="application/octet-stream")
