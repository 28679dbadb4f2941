"""`wenming export_binder --campaign ID --out FILE.pdf`: the 迎检档案 as a paginated PDF (封面, 卷内目录, materials
indicator by indicator, 备考表), split into volumes of at most --max-pages body pages when asked."""

from django.core.management.base import BaseCommand, CommandError

from wenming.campaigns.models import Campaign
from wenming.evidence.binder import BinderError, write_binder


class Command(BaseCommand):
    help = "把创建活动中已审核通过的材料按测评体系顺序组卷为带卷内目录和页号的迎检档案 PDF。"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True, help="创建活动编号")
        parser.add_argument("--out", required=True, help="输出的 PDF 文件路径（分册时其余各卷为 名称-卷N.pdf）")
        parser.add_argument("--category", help="只导出此编号的类别（如 I）")
        parser.add_argument("--department", type=int, help="只导出此部门提供的材料（部门编号）")
        parser.add_argument("--max-pages", type=int, help="每卷正文最多页数，超过则分册")

    def handle(self, *args, campaign, out, category, department, max_pages, verbosity=1, **options):
        found = Campaign.objects.select_related("unit", "standard").filter(pk=campaign).first()
        if found is None:
            raise CommandError(f"创建活动 {campaign} 不存在。")
        if max_pages is not None and max_pages < 1:
            raise CommandError("--max-pages 必须是正整数。")

        def progress(done, total):
            if verbosity > 1:
                self.stderr.write(f"已转换 {done}/{total} 个文件")

        try:
            written = write_binder(found, out, category=category, department=department, max_pages=max_pages,
                                   progress=progress)
        except BinderError as error:
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(f"已生成 {path}")
