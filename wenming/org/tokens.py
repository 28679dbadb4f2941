"""API tokens for system integration: a key shown once, kept as a hash, with an expiry, checked on every request."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from wenming.org.models import ApiToken
from wenming.org.security import api_access_refusal

# `last_used_at` is written at most this often, so a busy integration does not write on every call.
LAST_USED_PRECISION = timedelta(minutes=10)


def new_key() -> str:
    return secrets.token_hex(20)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=settings.WENMING_API_TOKEN_DAYS)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`: the key's owner, while the token is unexpired and unrevoked and the account is
    active, unlocked and needs no password change — the same sign-in rules a browser session meets."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (ApiToken.objects.select_related("user__unit__security_policy", "user__department")
                 .filter(key_hash=key_hash(key)).first())
        now = timezone.now()
        if token is None or token.revoked_at is not None:
            raise AuthenticationFailed(_("令牌无效或已作废。"))
        if token.expires_at <= now:
            raise AuthenticationFailed(_("令牌已过期，请在“API 令牌”页面签发新令牌。"))
        refusal = api_access_refusal(token.user)
        if refusal:
            raise AuthenticationFailed(refusal)
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
