"""`wenming export_archive --campaign ID --out FILE.zip`: the 迎检档案 of a campaign written to a local file."""

import os

from django.core.management.base import BaseCommand, CommandError

from wenming.campaigns.models import Campaign
from wenming.evidence.archive import write_archive


class Command(BaseCommand):
    help = "把创建活动中已审核通过的材料按测评指标编号导出为迎检档案 ZIP（含目录和封面）。"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True, help="创建活动编号")
        parser.add_argument("--out", required=True, help="输出的 ZIP 文件路径")

    def handle(self, *args, campaign, out, **options):
        found = Campaign.objects.select_related("unit", "standard").filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"创建活动 {campaign} 不存在。")
        partial = f"{out}.part"
        try:
            with open(partial, "wb") as handle:
                count = write_archive(found, handle)
            os.replace(partial, out)  # never a half archive under the final name
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
        self.stdout.write(f"已导出 {count} 个文件到 {out}（{os.path.getsize(out)} 字节）。")
