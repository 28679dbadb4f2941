"""The outward channels: email through Django's mail settings, and the group robots of 企业微信, 钉钉 and 飞书.

Each robot gets its platform's documented message shape and signing; a reply whose JSON `errcode` / `code` is not
0 counts as a failure, like a network error or a non-2xx status. Standard library only, with a timeout.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 10
MAX_TEXT = 3000  # well below each platform's limit (企业微信 markdown: 4096 bytes)
SUBJECT_PREFIX = "【文明创建】"


class DeliveryError(Exception):
    """A channel refused or could not take the message; the text says why, in Chinese."""


def send_email(delivery) -> None:
    if not delivery.target:
        raise DeliveryError(_("接收人没有填写电子邮箱。"))
    from wenming.notifications.services import site_url

    body = delivery.content
    if delivery.url:
        body = f"{body}\n\n{_('查看详情')}：{site_url(delivery.url)}".strip()
    body += "\n\n" + _("——文明创建管理平台（系统邮件，请勿直接回复）")
    send_mail(SUBJECT_PREFIX + delivery.subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.target],
              fail_silently=False)


# ------------------------------------------------------------------------------------------------ signing
def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉加签: base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")), URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """飞书加签: base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b""))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


# ------------------------------------------------------------------------------------------------ payloads
def _text(title: str, body: str, url: str) -> str:
    lines = [title]
    if body:
        lines.append(body)
    if url:
        lines.append(f"{_('查看详情')}：{url}")
    return "\n".join(lines)[:MAX_TEXT]


def _markdown(title: str, body: str, url: str) -> str:
    lines = [f"**{title}**"]
    if body:
        lines.append(body)
    if url:
        lines.append(f"[{_('查看详情')}]({url})" if url.startswith(("http://", "https://")) else url)
    return "\n\n".join(lines)[:MAX_TEXT]


def build_request(endpoint, *, title: str, body: str = "", url: str = "", now: float | None = None
                  ) -> tuple[str, dict]:
    """The address to post to and the JSON body, in the platform's documented format."""
    now = time.time() if now is None else now
    target = endpoint.url
    if endpoint.platform == "wecom":
        return target, {"msgtype": "markdown", "markdown": {"content": _markdown(title, body, url)}}
    if endpoint.platform == "dingtalk":
        if endpoint.secret:
            timestamp = int(now * 1000)
            joiner = "&" if "?" in target else "?"
            target = f"{target}{joiner}timestamp={timestamp}&sign={dingtalk_sign(endpoint.secret, timestamp)}"
        return target, {"msgtype": "markdown", "markdown": {"title": title[:60], "text": _markdown(title, body, url)}}
    if endpoint.platform == "feishu":
        payload = {"msg_type": "text", "content": {"text": _text(title, body, url)}}
        if endpoint.secret:
            timestamp = int(now)
            payload = {"timestamp": str(timestamp), "sign": feishu_sign(endpoint.secret, timestamp), **payload}
        return target, payload
    raise DeliveryError(_("不支持的平台：%(platform)s") % {"platform": endpoint.platform})


def send_webhook(endpoint, *, title: str, body: str = "", url: str = "") -> dict:
    """Post one message; raise DeliveryError with the platform's own message when it refuses."""
    target, payload = build_request(endpoint, title=title, body=body, url=url)
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(target, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 — http(s) only
            raw = response.read(65536)
    except urllib.error.HTTPError as error:
        raise DeliveryError(_("平台返回 HTTP %(status)s。") % {"status": error.code}) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(_("无法连接：%(reason)s") % {"reason": reason}) from None
    try:
        reply = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise DeliveryError(_("平台返回的不是 JSON。")) from None
    if not isinstance(reply, dict):
        raise DeliveryError(_("平台返回的不是 JSON 对象。"))
    code = reply.get("errcode", reply.get("code", reply.get("StatusCode", 0)))
    if code not in (0, "0", None):
        message = reply.get("errmsg") or reply.get("msg") or reply.get("StatusMessage") or ""
        raise DeliveryError(_("平台拒绝：%(code)s %(message)s") % {"code": code, "message": message})
    return reply
