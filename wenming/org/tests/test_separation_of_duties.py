"""Issue 19.2: 三员分立 without gaps — no administrator holds a business role (the role service refuses it, so the
screen and any other caller alike), no administrator resets another's password or authenticator on the web or API
(only `wenming reset_admin_password` on the server, audited), and a new unit asks the 三员 for a TOTP."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenming.audit.models import AuditEvent
from wenming.org import services
from wenming.org.models import SecurityPolicy, User
from wenming.org.roles import Role


def roles_of(person):
    return set(person.role_assignments.values_list("role", flat=True))


def test_the_security_administrator_cannot_grant_himself_the_office_role(cast, client_for):
    security = cast["security"]

    response = client_for(security).post(reverse("org:person_roles", args=[security.pk]),
                                         {"roles": [Role.SECURITY, Role.OFFICE]})

    assert response.status_code == 200
    assert "三员分立：安全管理员不能兼任业务角色（创建办）" in response.content.decode()
    assert roles_of(security) == {Role.SECURITY}
    assert not AuditEvent.objects.filter(verb="org.roles_changed").exists()


@pytest.mark.parametrize("admin_role", [Role.ADMIN, Role.SECURITY, Role.AUDITOR])
@pytest.mark.parametrize("business", [Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF, Role.EVALUATOR])
def test_no_administrator_role_goes_with_a_business_role(cast, admin_role, business):
    with pytest.raises(ValidationError, match="不能兼任业务角色"):
        services.user_set_roles(actor=cast["security"], user=cast["staff_a"], roles={admin_role, business})

    assert roles_of(cast["staff_a"]) == {Role.STAFF}


def test_an_administrator_role_replaces_the_business_roles(cast):
    person = services.user_set_roles(actor=cast["security"], user=cast["liaison_a"], roles={Role.AUDITOR})

    assert roles_of(person) == {Role.AUDITOR}


@pytest.mark.parametrize("target", ["auditor", "security"])
def test_the_system_administrator_cannot_reset_another_administrators_password(cast, client_for, target):
    person = cast[target]
    before = User.objects.get(pk=person.pk).password
    client = client_for(cast["admin"])

    page = client.get(reverse("org:person_edit", args=[person.pk])).content.decode()
    assert "wenming reset_admin_password" in page and reverse("org:person_password", args=[person.pk]) not in page
    response = client.post(reverse("org:person_password", args=[person.pk]), {"password": "Takeover#2026"},
                           follow=True)

    assert "三员分立" in response.content.decode()
    assert User.objects.get(pk=person.pk).password == before
    assert not User.objects.get(pk=person.pk).check_password("Takeover#2026")
    assert not AuditEvent.objects.filter(verb="org.password_reset").exists()


def test_the_system_administrator_cannot_remove_the_auditors_authenticator(cast, client_for):
    device = TOTPDevice.objects.create(user=cast["auditor"], name="phone", confirmed=True)

    response = client_for(cast["admin"]).post(reverse("org:person_otp_reset", args=[cast["auditor"].pk]), follow=True)

    assert "三员分立" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_service_refuses_an_administrator_reset_whoever_calls_it(cast):
    with pytest.raises(ValidationError, match="reset_admin_password"):
        services.user_reset_password(actor=cast["admin"], user=cast["auditor"], password="Takeover#2026")


def test_an_ordinary_persons_password_is_still_reset_on_the_screen(cast, client_for):
    response = client_for(cast["admin"]).post(reverse("org:person_password", args=[cast["staff_a"].pk]),
                                              {"password": "Reset#Pass2026"})

    assert response.status_code == 302
    assert User.objects.get(pk=cast["staff_a"].pk).must_change_password


def test_the_server_command_resets_an_administrators_password_and_audits_it(cast, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Server#Reset2026\n"))
    TOTPDevice.objects.create(user=cast["auditor"], name="phone", confirmed=True)

    call_command("reset_admin_password", cast["auditor"].username, "--password-stdin", "--remove-otp",
                 stdout=io.StringIO())

    auditor = User.objects.get(pk=cast["auditor"].pk)
    assert auditor.check_password("Server#Reset2026") and auditor.must_change_password
    assert not TOTPDevice.objects.filter(user=auditor).exists()
    event = AuditEvent.objects.get(verb="org.admin_password_reset")
    assert event.actor is None and event.actor_name == "命令行" and event.object_id == str(auditor.pk)
    assert AuditEvent.objects.filter(verb="auth.otp_removed", actor_name="命令行").exists()


def test_the_server_command_refuses_a_weak_password(cast, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="密码"):
        call_command("reset_admin_password", cast["auditor"].username, "--password-stdin", stdout=io.StringIO())


def test_a_new_installation_asks_the_three_administrators_for_a_totp(cast, settings):
    settings.WENMING_ADMIN_TOTP_DEFAULT = True  # the installed default (tests switch it off for the personas)
    assert SecurityPolicy().totp_required_for_admins

    for persona in ("admin", "security", "auditor"):
        client = Client()
        client.post("/accounts/login/", {"username": cast[persona].username, "password": "Persona#2026"})
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url == reverse("otp_setup"), persona
    office = Client()
    office.post("/accounts/login/", {"username": cast["office"].username, "password": "Persona#2026"})
    assert office.get(reverse("home")).status_code == 200


def test_the_demo_relaxes_the_totp_rule_explicitly(db, settings):
    settings.WENMING_ADMIN_TOTP_DEFAULT = True
    from wenming.org import demo

    demo.load()

    policy = SecurityPolicy.objects.get(unit__name=demo.COURT)
    assert policy.totp_required_for_admins is False
