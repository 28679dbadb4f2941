from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from wenming.audit.services import audit_record
from wenming.org.models import User


class Command(BaseCommand):
    help = "为系统集成账号生成（或用 --rotate 更换）API 令牌，并打印。Issue (or rotate) an API token for an account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="作废旧令牌并生成新令牌")

    def handle(self, username, rotate=False, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在或已停用。")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit_record(actor=None, actor_name="命令行", verb="org.api_token_issued", obj=user, unit=user.unit)
        self.stdout.write(token.key)
