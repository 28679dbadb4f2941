"""Django's sign-in signal: remember which session is the account's current one (one session per account)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="org_current_session")
def _remember_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        if not request.session.session_key:
            request.session.save()
        user.current_session_key = request.session.session_key or ""
        user.save(update_fields=["current_session_key"])
