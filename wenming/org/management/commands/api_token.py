from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wenming.org import services
from wenming.org.models import User


class Command(BaseCommand):
    help = ("为账号签发 API 令牌并打印（只显示这一次；有效期见 WENMING_API_TOKEN_DAYS）。--rotate 先作废此账号的全部令牌。"
            "本人也可在网页“API 令牌”页面签发和作废。Issue an API token for an account and print it once.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行签发", help="令牌用途")
        parser.add_argument("--rotate", action="store_true", help="作废此账号的全部令牌，再签发新令牌")

    def handle(self, username, name="命令行签发", rotate=False, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在或已停用。")
        if rotate:
            for token in user.api_tokens.filter(revoked_at__isnull=True):
                services.api_token_revoke(actor=None, token=token)
        try:
            _token, key = services.api_token_issue(actor=None, user=user, name=name)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(key)
