"""`wenming seed_scale`: generate city-scale data for benchmarks (issue 10). Sizes are per unit."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wenming.evidence.scale import PASSWORD, Sizes, office_username, seed_scale

LABELS = [("units", "单位"), ("departments", "部门"), ("users", "人员"), ("roles", "角色"), ("criteria", "测评项"),
          ("campaigns", "创建活动"), ("phases", "阶段"), ("tasks", "工作任务"), ("evidence", "创建材料"),
          ("files", "材料文件")]


class Command(BaseCommand):
    help = ("生成规模测试数据（每个单位的部门、人员、测评体系、创建活动、任务和材料），用于性能基准测试。"
            "默认规模：1 个单位、30 个部门、300 人、500 条测评项、3,000 项任务、30,000 份材料。")

    def add_arguments(self, parser):
        defaults = Sizes()
        parser.add_argument("--units", type=int, default=defaults.units, help="单位数")
        parser.add_argument("--departments", type=int, default=defaults.departments, help="每个单位的部门数")
        parser.add_argument("--users", type=int, default=defaults.users, help="每个单位的人员数")
        parser.add_argument("--criteria", type=int, default=defaults.criteria, help="每个单位测评体系的条目数")
        parser.add_argument("--tasks", type=int, default=defaults.tasks, help="每个单位的工作任务数")
        parser.add_argument("--evidence", type=int, default=defaults.evidence, help="每个单位的创建材料数")
        parser.add_argument("--files", action="store_true", help="为每份材料写入一个小的真实文件（经默认存储）")
        parser.add_argument("--prefix", default="", help="单位名称前缀，用于在已有规模数据的库中再生成一批")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同参数生成相同内容）")
        parser.add_argument("--year", type=int, default=None, help="创建活动所在年度（默认今年）")

    def handle(self, *args, **options):
        sizes = Sizes(units=options["units"], departments=options["departments"], users=options["users"],
                      criteria=options["criteria"], tasks=options["tasks"], evidence=options["evidence"],
                      files=options["files"])
        try:
            result = seed_scale(sizes, prefix=options["prefix"], seed=options["seed"], year=options["year"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        made = "，".join(f"{label} {result.counts[key]:,}" for key, label in LABELS if result.counts[key])
        self.stdout.write(self.style.SUCCESS(f"已生成：{made}。用时 {result.seconds:.1f} 秒。"))
        first = office_username(options["prefix"], 0)
        self.stdout.write(f"创建办账号（第一个单位）：{first} / {PASSWORD}")
