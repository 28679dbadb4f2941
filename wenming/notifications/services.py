"""Writes to notifications. Keyword-only, atomic; the acting person is passed in.

`notify(...)` is what other apps call: it writes the in-app rows in the caller's transaction and, only after that
transaction commits, hands emails and group-robot messages to the background worker. Nothing leaves the host
inside a request, and a rolled-back action sends nothing.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.services import Origin, audit_record
from wenming.campaigns.models import Campaign
from wenming.campaigns.reminders import due_reminders
from wenming.core.errors import check_version
from wenming.evidence.models import Evidence
from wenming.notifications.models import (
    Announcement,
    Attachment,
    Delivery,
    Notification,
    Preference,
    ReadReceipt,
    ReminderLog,
    UnitSettings,
    WebhookEndpoint,
    attachment_path,
)
from wenming.org.models import User
from wenming.org.roles import Role

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 60  # 1, 2, 4, 8 minutes between attempts


def site_url(path: str) -> str:
    """An absolute link for email and group robots when WENMING_SITE_URL is set (e.g. https://wenming.court)."""
    base = getattr(settings, "WENMING_SITE_URL", "") or ""
    if not path or path.startswith(("http://", "https://")) or not base:
        return path
    return base.rstrip("/") + path


def email_frequency_of(users: Iterable[User]) -> dict[int, str]:
    """Each person's email frequency; no saved preference means the weekly digest."""
    ids = [user.pk for user in users]
    saved = dict(Preference.objects.filter(user_id__in=ids).values_list("user_id", "email_frequency"))
    return {pk: saved.get(pk, Preference.Frequency.WEEKLY) for pk in ids}


def _people(recipients, actor) -> list[User]:
    """Unique, active people other than the actor, in the order given; ids are accepted too."""
    ids, users = [], {}
    for item in recipients or ():
        if item is None:
            continue
        pk = item.pk if isinstance(item, User) else int(item)
        if pk in users or pk in ids or (actor is not None and pk == actor.pk):
            continue
        if isinstance(item, User):
            users[pk] = item
        ids.append(pk)
    missing = [pk for pk in ids if pk not in users]
    if missing:
        users.update({user.pk: user for user in User.objects.filter(pk__in=missing)})
    return [users[pk] for pk in ids if pk in users and users[pk].is_active]


@transaction.atomic
def notify(*, recipients, verb: str, title: str, body: str = "", url: str = "", actor=None) -> list[Notification]:
    """Notify people of an event: in-app now, email and group robots after commit (per preferences)."""
    people = _people(recipients, actor)
    if not people:
        return []
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    title, body = str(title)[:200], str(body)[:5000]
    rows = Notification.objects.bulk_create([
        Notification(recipient=person, unit_id=person.unit_id, verb=verb, title=title, body=body, url=url,
                     actor_id=actor_id)
        for person in people
    ])
    frequency = email_frequency_of(people)
    deliveries = [
        Delivery(unit_id=row.unit_id, notification=row, channel=Delivery.Channel.EMAIL, recipient=row.recipient,
                 target=row.recipient.email, subject=title, content=body, url=url)
        for row in rows
        if row.recipient.email and frequency[row.recipient_id] == Preference.Frequency.IMMEDIATE
    ]
    first_of_unit = {}
    for row in rows:
        first_of_unit.setdefault(row.unit_id, row)
    unit_ids = [pk for pk in first_of_unit if pk]
    if unit_ids:
        for endpoint in WebhookEndpoint.objects.filter(unit_id__in=unit_ids, is_active=True):
            if endpoint.wants(verb):
                deliveries.append(Delivery(unit_id=endpoint.unit_id, notification=first_of_unit[endpoint.unit_id],
                                           channel=Delivery.Channel.WEBHOOK, endpoint=endpoint,
                                           target=str(endpoint)[:200], subject=title, content=body, url=url))
    schedule(Delivery.objects.bulk_create(deliveries))
    return rows


def schedule(deliveries: list[Delivery]) -> None:
    """Hand the deliveries to the background worker once the current transaction commits."""
    ids = [delivery.pk for delivery in deliveries]
    if not ids:
        return
    from wenming.notifications.tasks import send_deliveries

    transaction.on_commit(lambda: send_deliveries.enqueue(ids))


# ------------------------------------------------------------------------------------------------ delivering
def delivery_send(delivery: Delivery, *, now=None) -> bool:
    """Try one delivery once. On failure, wait 1, 2, 4, 8 minutes between attempts, then give up (已失败)."""
    from wenming.notifications import channels

    now = now or timezone.now()
    delivery.attempts += 1
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            channels.send_email(delivery)
        else:
            if delivery.endpoint is None:
                raise channels.DeliveryError(_("群机器人已被删除。"))
            channels.send_webhook(delivery.endpoint, title=delivery.subject, body=delivery.content,
                                  url=site_url(delivery.url))
    except Exception as error:  # noqa: BLE001 — any failure is recorded and retried
        delivery.last_error = str(error)[:2000] or error.__class__.__name__
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = Delivery.Status.PENDING
            delivery.next_attempt_at = now + timedelta(seconds=BACKOFF_SECONDS * 2 ** (delivery.attempts - 1))
        delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return False
    delivery.status = Delivery.Status.SENT
    delivery.sent_at = now
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at"])
    return True


def deliveries_send(ids=None, *, now=None) -> tuple[int, int]:
    """Send the given pending deliveries (or every one that is due). Returns (sent, not sent)."""
    now = now or timezone.now()
    items = Delivery.objects.select_related("endpoint")
    items = items.filter(pk__in=ids, status=Delivery.Status.PENDING) if ids is not None else items.due(now)
    sent = failed = 0
    for delivery in items.order_by("id"):
        if delivery_send(delivery, now=now):
            sent += 1
        else:
            failed += 1
    return sent, failed


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> Delivery:
    """重新发送: the office sends a given-up delivery once more (after commit, by the worker)."""
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "next_attempt_at"])
    schedule([delivery])
    return delivery


# ------------------------------------------------------------------------------------------------ read state
def notification_read(*, user: User, notification: Notification) -> None:
    if notification.read_at is None and notification.recipient_id == user.pk:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)


def notifications_read_all(*, user: User) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


# ------------------------------------------------------------------------------------------------ preferences
@transaction.atomic
def preference_save(*, user: User, email_frequency: str, review_notice: str | None = None) -> Preference:
    pref, _created = Preference.objects.select_for_update().get_or_create(user=user)
    pref.email_frequency = email_frequency
    if review_notice is not None:
        pref.review_notice = review_notice
    pref.full_clean()
    if not _created:
        pref.version += 1
    pref.save()
    return pref


def unit_settings_for(unit_id: int) -> UnitSettings:
    found = UnitSettings.objects.filter(unit_id=unit_id).first()
    return found or UnitSettings(unit_id=unit_id)


@transaction.atomic
def unit_settings_save(*, actor: User, reminder_days: int, origin: Origin | None = None) -> UnitSettings:
    row, _created = UnitSettings.objects.select_for_update().get_or_create(unit_id=actor.unit_id)
    before = {"reminder_days": row.reminder_days}
    row.reminder_days = reminder_days
    row.full_clean()
    row.save()
    audit_record(actor=actor, verb="notifications.settings_changed", obj=row, unit=actor.unit, before=before,
                 after={"reminder_days": reminder_days}, origin=origin)
    return row


# ------------------------------------------------------------------------------------------------ group robots
WEBHOOK_FIELDS = ("name", "platform", "url", "secret", "verbs", "is_active")


def _webhook_snapshot(endpoint: WebhookEndpoint) -> dict:
    data = {field: getattr(endpoint, field) for field in WEBHOOK_FIELDS}
    data["secret"] = "***" if endpoint.secret else ""
    return data


@transaction.atomic
def webhook_save(*, actor: User, endpoint: WebhookEndpoint, data: dict, version: int | None = None,
                 origin: Origin | None = None) -> WebhookEndpoint:
    """Create (endpoint.pk empty) or change a group robot of the actor's unit."""
    from wenming.core.errors import check_version

    creating = endpoint.pk is None
    before = None
    if not creating:
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = _webhook_snapshot(endpoint)
        check_version(endpoint, version)
    endpoint.unit_id = actor.unit_id
    for field in WEBHOOK_FIELDS:
        if field in data:
            setattr(endpoint, field, data[field])
    endpoint.full_clean()
    try:
        with transaction.atomic():
            endpoint.save()
    except IntegrityError:
        raise ValidationError({"name": _("本单位已有同名的群机器人。")}) from None
    audit_record(actor=actor, verb="notifications.webhook_created" if creating else "notifications.webhook_changed",
                 obj=endpoint, unit=actor.unit, before=before, after=_webhook_snapshot(endpoint), origin=origin)
    return endpoint


@transaction.atomic
def webhook_delete(*, actor: User, endpoint: WebhookEndpoint, origin: Origin | None = None) -> None:
    before = _webhook_snapshot(endpoint)
    audit_record(actor=actor, verb="notifications.webhook_deleted", obj=endpoint, unit=actor.unit, before=before,
                 origin=origin)
    endpoint.delete()


@transaction.atomic
def webhook_test(*, actor: User, endpoint: WebhookEndpoint) -> Delivery:
    """发送测试消息: a logged delivery, sent by the worker after commit."""
    delivery = Delivery.objects.create(
        unit_id=endpoint.unit_id, channel=Delivery.Channel.WEBHOOK, endpoint=endpoint, recipient=actor,
        target=str(endpoint)[:200], subject=_("测试消息"),
        content=_("这是文明创建管理平台发送的测试消息，收到即表示群机器人配置正确。"),
    )
    schedule([delivery])
    return delivery


# ------------------------------------------------------------------------------------------------ announcements
def announcement_audience(announcement: Announcement):
    """Everyone the announcement was sent to: the active people of the unit, or of the chosen departments."""
    people = User.objects.filter(unit_id=announcement.unit_id, is_active=True)
    department_ids = [department.pk for department in announcement.departments.all()]
    if department_ids:
        people = people.filter(department_id__in=department_ids)
    return people


@transaction.atomic
def announcement_publish(*, actor: User, title: str, body: str, departments=(), files=(),
                         origin: Origin | None = None) -> Announcement:
    """发布通知公告: checked attachments stored, the audience notified, all or nothing."""
    from wenming.files.intake import check_files

    departments = list(departments)
    if any(department.unit_id != actor.unit_id for department in departments):
        raise ValidationError({"departments": _("只能选择本单位的部门。")})
    checked = check_files(files, unit_id=actor.unit_id) if files else []
    announcement = Announcement(unit_id=actor.unit_id, title=title, body=body, author=actor,
                                published_at=timezone.now())
    announcement.full_clean()
    announcement.save()
    announcement.departments.set(departments)
    saved: list[str] = []
    try:
        for item in checked:
            item.upload.seek(0)
            stored = default_storage.save(attachment_path(None, item.name), item.upload)
            saved.append(stored)
            Attachment.objects.create(announcement=announcement, file=stored, name=item.name, size=item.size,
                                      file_type=item.file_type.key, mime=item.file_type.mime)
    except Exception:
        for name in saved:
            default_storage.delete(name)
        raise
    audit_record(actor=actor, verb="notifications.announcement_published", obj=announcement, unit=actor.unit,
                 after={"title": title, "departments": [d.name for d in departments],
                        "attachments": [item.name for item in checked]}, origin=origin)
    notify(recipients=announcement_audience(announcement), verb="notifications.announcement",
           title=_("通知公告：%(title)s") % {"title": title}, body=body[:500], actor=actor,
           url=reverse("notifications:announcement_detail", args=[announcement.pk]))
    return announcement


@transaction.atomic
def announcement_correct(*, actor: User, announcement: Announcement, title: str, body: str,
                         expected_version: int | None, notify_again: bool = False,
                         origin: Origin | None = None) -> Announcement:
    """更正 a published announcement's title or text (its audience and attachments stay: those are a new
    announcement). The change is audited with both versions; `notify_again` reminds the whole audience."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError({"title" if not title else "body": _("标题和正文都不能为空。")})
    current = Announcement.objects.select_for_update().get(pk=announcement.pk)
    check_version(current, expected_version)
    before = {"title": current.title, "body": current.body}
    if before == {"title": title, "body": body}:
        return current
    current.title, current.body = title, body
    current.save(update_fields=["title", "body", "version"])
    audit_record(actor=actor, verb="notifications.announcement_corrected", obj=current, unit=actor.unit,
                 before=before, after={"title": title, "body": body, "notify_again": notify_again}, origin=origin)
    if notify_again:
        notify(recipients=announcement_audience(current), verb="notifications.announcement",
               title=_("通知公告（更正）：%(title)s") % {"title": title}, body=body[:500], actor=actor,
               url=reverse("notifications:announcement_detail", args=[current.pk]))
    return current


def announcement_opened(*, user: User, announcement: Announcement) -> bool:
    """Record the first reading (阅读回执); True when this was the first time."""
    _receipt, created = ReadReceipt.objects.get_or_create(announcement=announcement, user=user)
    if created:  # its notification is read too
        url = reverse("notifications:announcement_detail", args=[announcement.pk])
        Notification.objects.visible_to(user).unread().filter(url=url).update(read_at=timezone.now())
    return created


# ------------------------------------------------------------------------------------------------ reminders
def reminders_send(*, today: date | None = None) -> int:
    """到期提醒: delivers what `wenming.campaigns.reminders` finds due (tasks and rounds for their owners, 节点 for the
    创建办), each at most once per item, person and day. Returns how many reminders went out."""
    today = today or timezone.localdate()
    days_by_unit = dict(UnitSettings.objects.values_list("unit_id", "reminder_days"))
    sent = 0
    for reminder in due_reminders(today, days_by_unit):
        with transaction.atomic():
            _log, created = ReminderLog.objects.get_or_create(recipient=reminder.recipient, item=reminder.item,
                                                              day=today)
            if not created:
                continue
            notify(recipients=[reminder.recipient], verb=reminder.verb, title=reminder.title, body=reminder.body,
                   url=reminder.url)
            sent += 1
    return sent


# ------------------------------------------------------------------------------------------------ review notices
def reviewers_of(unit_id: int, *, notice: str) -> list[User]:
    """The unit's 创建办 people who chose this kind of notice of evidence submitted for review (no saved preference:
    the daily summary)."""
    office = list(User.objects.filter(unit_id=unit_id, role_assignments__role=Role.OFFICE).business_people()
                  .distinct().order_by("id"))
    saved = dict(Preference.objects.filter(user__in=office).values_list("user_id", "review_notice"))
    return [person for person in office if saved.get(person.pk, Preference.ReviewNotice.DAILY) == notice]


def review_summaries_send(*, today: date | None = None) -> int:
    """材料待审核日报: once a day, each 创建办 person on the daily summary (the default) gets one notice listing the
    evidence waiting for review in each active campaign and how much of it came in since yesterday's summary; at
    most once per person and day, none when nothing waits. Returns how many went out."""
    today = today or timezone.localdate()
    since = timezone.now() - timedelta(days=1)
    waiting = (Evidence.objects.alive().filter(status=Evidence.Status.PENDING,
                                               campaign__status=Campaign.Status.ACTIVE)
               .values("campaign_id", "campaign__title", "campaign__unit_id")
               .annotate(n=Count("id"), new=Count("id", filter=Q(updated_at__gte=since)))
               .order_by("campaign__unit_id", "campaign_id"))
    by_unit: dict[int, list[dict]] = {}
    for row in waiting:
        by_unit.setdefault(row["campaign__unit_id"], []).append(row)
    sent = 0
    for unit_id, rows in by_unit.items():
        total, new = sum(row["n"] for row in rows), sum(row["new"] for row in rows)
        title = _("待审核材料 %(n)d 份（近一天新提交 %(new)d 份）") % {"n": total, "new": new}
        body = "；".join(_("%(campaign)s：%(n)d 份") % {"campaign": row["campaign__title"], "n": row["n"]}
                        for row in rows)
        url = reverse("evidence:list", args=[rows[0]["campaign_id"]]) + "?status=pending"
        for person in reviewers_of(unit_id, notice=Preference.ReviewNotice.DAILY):
            with transaction.atomic():
                _log, created = ReminderLog.objects.get_or_create(recipient=person, item="review-summary", day=today)
                if not created:
                    continue
                notify(recipients=[person], verb="evidence.review_summary", title=title, body=body, url=url)
                sent += 1
    return sent


# ------------------------------------------------------------------------------------------------ digests
def digests_send(*, now=None) -> int:
    """每周汇总: one email per person on the weekly digest (the default) with unread notifications of the past
    7 days. Returns how many digests were queued."""
    now = now or timezone.now()
    since = now - timedelta(days=7)
    unread = (Notification.objects.unread().filter(created_at__gte=since)
              .exclude(recipient__email="").filter(recipient__is_active=True)
              .select_related("recipient").order_by("recipient_id", "-created_at"))
    by_person: dict[int, list[Notification]] = {}
    for row in unread:
        by_person.setdefault(row.recipient_id, []).append(row)
    frequency = email_frequency_of([rows[0].recipient for rows in by_person.values()])
    already = set(Delivery.objects.filter(is_digest=True, recipient_id__in=list(by_person),
                                          created_at__gte=now - timedelta(days=6)).values_list("recipient_id", flat=True))
    deliveries = []
    for person_id, rows in by_person.items():
        if frequency[person_id] != Preference.Frequency.WEEKLY or person_id in already:
            continue  # immediate mail or none chosen, or this week's digest already went out
        person = rows[0].recipient
        lines = [_("%(name)s，您好！本周您有 %(n)d 条未读通知：") % {"name": person.real_name or person.username,
                                                              "n": len(rows)}, ""]
        for row in rows:
            lines.append(f"· {timezone.localtime(row.created_at):%m-%d} {row.title}")
            if row.url:
                lines.append(f"  {site_url(row.url)}")
        deliveries.append(Delivery(unit_id=person.unit_id, is_digest=True, channel=Delivery.Channel.EMAIL,
                                   recipient=person, target=person.email,
                                   subject=_("每周通知汇总（%(n)d 条未读）") % {"n": len(rows)},
                                   content="\n".join(lines), url=reverse("notifications:list")))
    with transaction.atomic():
        schedule(Delivery.objects.bulk_create(deliveries))
    return len(deliveries)
