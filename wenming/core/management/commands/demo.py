"""`wenming demo`: load the demo (idempotent). Every app with a `demo.py` adds its part, in INSTALLED_APPS order."""

import inspect
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）：某某市人民法院、部门、各角色的演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="不打印演示账号")
        parser.add_argument(
            "--year", type=int, default=None,
            help="创建活动所在年度（默认今年，使今天落在计划之内；--year 2021 使用实施方案原来的日期）",
        )

    def handle(self, *args, quiet_accounts=False, year=None, **options):
        accounts = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("wenming.") or find_spec(f"{config.name}.demo") is None:
                    continue
                module = import_module(f"{config.name}.demo")
                wants_year = "year" in inspect.signature(module.load).parameters
                accounts.extend((module.load(year=year) if wants_year else module.load()) or [])
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        if accounts and not quiet_accounts:
            self.stdout.write("演示账号（账号 / 密码 / 角色）：")
            for username, password, label in accounts:
                self.stdout.write(f"  {username:<12} {password:<14} {label}")
