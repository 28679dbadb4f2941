"""Sign-in events arrive as Django's (and django-axes') signals; they are recorded here."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from wenming.audit.services import Origin, audit_record


def _known_user(username: str | None):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).select_related("unit").first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender, request, user, **kwargs):
    audit_record(actor=user, verb="auth.login", obj=user, unit=user.unit, origin=Origin.from_request(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, verb="auth.logout", obj=user, unit=user.unit, origin=Origin.from_request(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    user = _known_user(username)
    audit_record(
        actor=None,
        actor_name=str(username)[:150],
        verb="auth.login_failed",
        obj=user,
        unit=user.unit if user else None,
        after={"username": str(username)[:150]},
        origin=Origin.from_request(request),
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _on_locked_out(sender, request, username, ip_address, **kwargs):
    user = _known_user(username)
    audit_record(
        actor=None,
        actor_name=str(username)[:150],
        verb="auth.locked_out",
        obj=user,
        unit=user.unit if user else None,
        after={"username": str(username)[:150], "ip": ip_address},
        origin=Origin.from_request(request),
    )
