import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenming.core.trail import audit_record
from wenming.org import services
from wenming.org.models import User


class Command(BaseCommand):
    help = ("在服务器上重置三员（系统管理员、安全管理员、审计管理员）或任一账号的密码：设置新的初始密码，本人下次登录时须修改；"
            "--remove-otp 同时解除其动态口令绑定。三员分立，网页和接口上不能重置管理员的密码。操作记入审计日志。"
            "Reset an administrator's password on the server (audited).")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--remove-otp", action="store_true", help="同时解除动态口令绑定（手机丢失时）")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码（供脚本使用）")

    def handle(self, username, remove_otp=False, password_stdin=False, **options):
        user = User.objects.filter(username=username).select_related("unit").first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在。")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("新的初始密码：")
            if getpass.getpass("再输入一次：") != password:
                raise CommandError("两次输入的密码不一致。")
        try:
            with transaction.atomic():
                services.user_reset_password(actor=None, user=user, password=password)
                if remove_otp:
                    removed, _counts = TOTPDevice.objects.filter(user=user).delete()
                    audit_record(actor=None, actor_name="命令行", verb="auth.otp_removed", obj=user,
                                 after={"devices": removed})
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"已重置“{user.real_name}（{user.username}）”的密码，本人下次登录时须修改。操作已记入审计日志。"))
