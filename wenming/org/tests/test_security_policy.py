"""The unit's security policy (等保 2.0): set by the security administrator, enforced at every sign-in and request."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenming.audit.models import AuditEvent
from wenming.org import services
from wenming.org.models import SecurityPolicy
from wenming.testing import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(username, password=PASSWORD, client=None):
    client = client or Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def set_policy(cast, **values):
    return services.security_policy_update(actor=cast["security"], unit=cast.unit, values=values)


def current_token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_security_administrator_changes_the_policy_and_it_is_audited(cast, client_for):
    client = client_for(cast["security"])
    page = client.get(reverse("org:security_policy"))
    assert "连续登录失败几次后锁定" in page.content.decode()

    form = {"password_min_length": 10, "password_expiry_days": 60, "password_history": 5, "lockout_failures": 3,
            "lockout_minutes": 30, "idle_minutes": 20, "single_session": "on", "version": 1}
    response = client.post(reverse("org:security_policy"), form)

    assert response.status_code == 302
    policy = SecurityPolicy.objects.get(unit=cast.unit)
    assert (policy.password_min_length, policy.lockout_failures, policy.single_session) == (10, 3, True)
    event = AuditEvent.objects.get(verb="org.security_policy_changed")
    assert event.before["lockout_failures"] == 5 and event.after["lockout_failures"] == 3


def test_policy_screen_refuses_values_outside_the_safe_range(cast, client_for):
    form = {"password_min_length": 4, "password_expiry_days": 90, "password_history": 5, "lockout_failures": 0,
            "lockout_minutes": 15, "idle_minutes": 30}
    response = client_for(cast["security"]).post(reverse("org:security_policy"), form)

    body = response.content.decode()
    assert response.status_code == 200
    assert "密码最短长度须在 8 到 64 之间" in body
    assert not SecurityPolicy.objects.filter(unit=cast.unit).exists()


def test_lockout_follows_the_units_policy(cast):
    set_policy(cast, lockout_failures=3)
    client = Client()
    for _attempt in range(3):
        sign_in(cast["staff_a"].username, "wrong-password", client)

    _client, response = sign_in(cast["staff_a"].username)

    assert response.status_code == 429
    assert "已被锁定" in response.content.decode()


def test_an_expired_password_must_be_changed_before_anything_else(cast):
    person = cast["staff_a"]
    person.password_changed_at = timezone.now() - timedelta(days=91)
    person.save(update_fields=["password_changed_at"])
    client, _response = sign_in(person.username)

    response = client.get(reverse("org:people"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "您的密码已超过 90 天未修改" in response.content.decode()


def test_a_recent_password_cannot_be_used_again(cast, client_for):
    person = cast["staff_a"]
    client = client_for(person)
    first = {"old_password": PASSWORD, "new_password1": "Second#Pass2026", "new_password2": "Second#Pass2026"}
    assert client.post(reverse("password_change"), first).status_code == 302

    back = {"old_password": "Second#Pass2026", "new_password1": PASSWORD, "new_password2": PASSWORD}
    response = client.post(reverse("password_change"), back)

    assert response.status_code == 200
    assert "不能使用最近 5 次用过的密码" in response.content.decode()


def test_the_policy_can_ask_for_longer_passwords(cast, client_for):
    set_policy(cast, password_min_length=14)
    form = {"old_password": PASSWORD, "new_password1": "Short#Pass26", "new_password2": "Short#Pass26"}

    response = client_for(cast["staff_a"]).post(reverse("password_change"), form)

    assert "密码至少须有 14 位" in response.content.decode()


def test_idle_sessions_end_after_the_policys_minutes(cast):
    set_policy(cast, idle_minutes=20)
    client, _response = sign_in(cast["staff_a"].username)

    client.get(reverse("home"))

    assert client.session.get_expiry_age() == 20 * 60


def test_one_session_per_account_ends_the_earlier_sign_in(cast):
    set_policy(cast, single_session=True)
    first, _response = sign_in(cast["staff_a"].username)
    assert first.get(reverse("home")).status_code == 200

    second, _response = sign_in(cast["staff_a"].username)
    response = first.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "您的账号已在别处登录" in response.content.decode()
    assert second.get(reverse("home")).status_code == 200


def test_without_the_single_session_rule_two_sign_ins_coexist(cast):
    first, _response = sign_in(cast["staff_a"].username)
    second, _response = sign_in(cast["staff_a"].username)

    assert first.get(reverse("home")).status_code == 200
    assert second.get(reverse("home")).status_code == 200


def test_required_two_factor_makes_the_administrator_enrol_then_verify(cast):
    set_policy(cast, totp_required_for_admins=True)
    client, _response = sign_in(cast["admin"].username)

    response = client.get(reverse("org:people"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("otp_setup")
    assert "扫描下方二维码" in response.content.decode()
    device = TOTPDevice.objects.get(user=cast["admin"], confirmed=False)

    response = client.post(reverse("otp_setup"), {"token": current_token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("org:people")).status_code == 200
    assert AuditEvent.objects.filter(verb="auth.otp_enrolled", object_id=str(cast["admin"].pk)).exists()

    # A new sign-in asks for the code; a wrong one is refused and audited, the right one lets the person in.
    later, _response = sign_in(cast["admin"].username)
    response = later.get(reverse("org:people"))
    assert response.status_code == 302 and response.url.startswith(reverse("otp_verify"))
    wrong = later.post(reverse("otp_verify"), {"token": "000000", "next": reverse("org:people")})
    assert "动态口令不正确" in wrong.content.decode()
    assert AuditEvent.objects.filter(verb="auth.otp_failed").exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()
    right = later.post(reverse("otp_verify"), {"token": current_token(device), "next": reverse("org:people")})
    assert right.status_code == 302 and right.url == reverse("org:people")
    assert later.get(reverse("org:people")).status_code == 200


def test_required_two_factor_leaves_other_roles_alone(cast):
    set_policy(cast, totp_required_for_admins=True)
    client, _response = sign_in(cast["office"].username)

    assert client.get(reverse("org:people")).status_code == 200


def test_administrator_removes_a_lost_authenticator(cast, client_for):
    device = TOTPDevice.objects.create(user=cast["staff_a"], name="phone", confirmed=True)

    response = client_for(cast["admin"]).post(reverse("org:person_otp_reset", args=[cast["staff_a"].pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(verb="auth.otp_removed", object_id=str(cast["staff_a"].pk)).exists()


@pytest.mark.parametrize("endpoint", ["department-detail", "user-detail"])
def test_api_update_with_a_stale_version_answers_409(cast, client_for, endpoint):
    target = cast.dept_a if endpoint == "department-detail" else cast["staff_a"]
    client = client_for(cast["admin"])
    url = reverse(endpoint, args=[target.pk])
    current = client.get(url).json()["version"]
    field = {"order": 7} if endpoint == "department-detail" else {"job_title": "审判员"}
    assert client.patch(url, json.dumps({**field, "version": current}), content_type="application/json").status_code == 200

    stale = client.patch(url, json.dumps({**field, "version": current}), content_type="application/json")

    assert stale.status_code == 409
    assert "此记录已被他人修改" in stale.json()["detail"]
