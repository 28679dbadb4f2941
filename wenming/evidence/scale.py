"""City-scale data for benchmarks and load tests (issue 10): units, departments, people, a standard, a campaign,
its tasks and evidence — made with `bulk_create`, fast enough for 30,000 evidence items in well under 2 minutes.

Sizes are per unit. Names are Chinese, built from small syllable lists; dates fall across the campaign's four
phases; statuses come in realistic proportions. `--files` writes a small real file per item through the default
storage. Every generated unit name carries `prefix`, so a second run into the same database takes a new prefix.
"""

import hashlib
import io
import random
import time
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from wenming.campaigns.models import DEFAULT_PHASES, Campaign, Phase, Task
from wenming.evidence.models import Evidence, EvidenceFile, evidence_file_path
from wenming.org.models import Department, RoleAssignment, Unit, User
from wenming.org.roles import Role
from wenming.standards.models import KNOWN_METHODS, Criterion, Standard

PASSWORD = "Scale#2026"
BATCH = 2000

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海波宁慧颖琳浩宇晨欣怡博涵子轩"
PLACES_A = ["青", "江", "临", "安", "平", "东", "西", "南", "北", "长", "永", "新", "华", "泰", "宁", "丰", "和", "崇", "兴", "清"]
PLACES_B = ["川", "州", "阳", "山", "河", "城", "源", "宁", "原", "海", "林", "水", "湖", "丘", "台", "陵", "溪", "江", "峰", "岭"]
UNIT_KINDS = ["市中级人民法院", "市人民检察院", "市公安局", "市税务局", "市教育局", "市卫生健康委员会", "市自然资源局", "市交通运输局"]
DEPARTMENTS = [
    "机关党委", "办公室", "政治部", "立案庭", "刑一庭", "刑二庭", "民一庭", "民二庭", "民三庭", "民四庭", "行政庭",
    "审监庭", "执行局", "执行一庭", "执行二庭", "研究室", "司法行政装备处", "法警支队", "审管办", "信访办",
    "宣传科", "纪检组", "督察处", "技术室", "档案室", "财务科", "人事科", "老干部科", "工会", "团委",
]
CATEGORIES = ["组织领导", "思想道德建设", "精神文明创建", "诚信建设", "业务工作", "学雷锋志愿服务", "廉政建设",
              "文化建设", "环境建设", "社会责任"]
INDICATOR_WORDS = ["工作机制", "理论学习", "宣传教育", "活动开展", "制度建设", "阵地建设", "队伍建设", "工作成效"]
LINE_VERBS = ["建立健全", "深入开展", "定期组织", "认真落实", "广泛宣传", "持续推进", "规范开展", "组织参与"]
LINE_OBJECTS = ["学习教育活动", "志愿服务活动", "道德讲堂", "文明礼仪培训", "廉政警示教育", "读书分享会",
                "结对帮扶", "诚信承诺", "环境卫生整治", "先进典型评选", "法治宣传", "文体活动"]
MATERIALS = ["通知、签到表、会议记录及2张以上照片", "工作方案、总结及相关照片", "活动记录、宣传报道截图", "台账及佐证材料"]
TASK_VERBS = ["制定", "组织", "开展", "落实", "报送", "完善", "召开", "整理"]
EVIDENCE_WORDS = ["会议记录", "活动照片", "工作方案", "签到表", "宣传报道", "工作总结", "学习笔记", "台账"]
DUE_TEXTS = ["", "", "每月", "长期坚持", "年底前"]

# Realistic proportions by phase: early phases mostly done, the current one busy, later ones not started.
TASK_STATUS_WEIGHTS = {
    "past": [(Task.Status.DONE, 80), (Task.Status.IN_REVIEW, 8), (Task.Status.IN_PROGRESS, 7),
             (Task.Status.RETURNED, 3), (Task.Status.NOT_STARTED, 2)],
    "current": [(Task.Status.DONE, 30), (Task.Status.IN_PROGRESS, 35), (Task.Status.IN_REVIEW, 12),
                (Task.Status.RETURNED, 5), (Task.Status.NOT_STARTED, 18)],
    "future": [(Task.Status.NOT_STARTED, 85), (Task.Status.IN_PROGRESS, 15)],
}
EVIDENCE_STATUS_WEIGHTS = [(Evidence.Status.APPROVED, 62), (Evidence.Status.PENDING, 28), (Evidence.Status.RETURNED, 10)]
EVIDENCE_KIND_WEIGHTS = [(Evidence.Kind.PHOTO, 40), (Evidence.Kind.FILE, 25), (Evidence.Kind.MINUTES, 15),
                         (Evidence.Kind.LEDGER, 10), (Evidence.Kind.SCREENSHOT, 6), (Evidence.Kind.LINK, 4)]
RETURN_REASONS = ["照片不清晰，请重新上传", "缺少签到表", "材料与测评指标不对应", "日期不在本年度"]


@dataclass
class Sizes:
    units: int = 1
    departments: int = 30
    users: int = 300
    criteria: int = 500
    tasks: int = 3000
    evidence: int = 30000
    files: bool = False

    def check(self) -> None:
        problems = []
        if self.units < 1:
            problems.append("--units 至少为 1")
        if self.departments < 1:
            problems.append("--departments 至少为 1")
        if self.users < 5:
            problems.append("--users 至少为 5（创建办、领导和三员各一人）")
        if self.criteria < 3:
            problems.append("--criteria 至少为 3（测评项目、指标和内容各一条）")
        if self.tasks < 0 or self.evidence < 0:
            problems.append("--tasks 和 --evidence 不能为负数")
        if self.evidence and not self.tasks:
            problems.append("有材料时 --tasks 至少为 1")
        if problems:
            raise ValidationError("；".join(problems) + "。")


@dataclass
class Result:
    units: list[Unit] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    office_users: list[User] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def unit_names(prefix: str, count: int) -> list[str]:
    """`count` distinct, realistic unit names (20 × 20 places × 8 kinds before a number is needed)."""
    names = []
    places = len(PLACES_A) * len(PLACES_B)
    for index in range(count):
        place = PLACES_A[index % len(PLACES_A)] + PLACES_B[(index // len(PLACES_A)) % len(PLACES_B)]
        kind = UNIT_KINDS[(index // places) % len(UNIT_KINDS)]
        suffix = f"（{index // (places * len(UNIT_KINDS)) + 1}）" if index >= places * len(UNIT_KINDS) else ""
        names.append(f"{prefix}{place}{kind}{suffix}")
    return names


def username_base(prefix: str) -> str:
    return "scale" + (hashlib.sha1(prefix.encode()).hexdigest()[:6] if prefix else "")


def office_username(prefix: str, unit_index: int) -> str:
    return f"{username_base(prefix)}-{unit_index + 1:03d}-00000"


def check_free(prefix: str, count: int) -> None:
    """Refuse, in Chinese, to generate into a database that already holds a unit of the same generated names."""
    names = unit_names(prefix, count)
    taken = list(Unit.objects.filter(name__in=names).values_list("name", flat=True)[:3])
    if taken or User.objects.filter(username__startswith=username_base(prefix) + "-").exists():
        shown = "、".join(taken) or "（同名账号）"
        raise ValidationError(f"数据库中已有同名单位或账号：{shown}。请用 --prefix 指定一个新的名称前缀后再试。")


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _split_criteria(total: int) -> tuple[int, int, int]:
    """~10 categories → indicators (≈5 each) → lines, adding up to `total`."""
    categories = max(1, min(10, total // 10))
    indicators = max(1, min(categories * 5, (total - categories) // 5))
    categories = min(categories, indicators)
    return categories, indicators, total - categories - indicators


class Generator:
    def __init__(self, sizes: Sizes, *, prefix: str = "", seed: int = 2026, year: int | None = None):
        self.sizes, self.prefix, self.rng = sizes, prefix, random.Random(seed)
        self.today = timezone.localdate()
        self.year = year or self.today.year
        self.password = make_password(PASSWORD)  # one hash, reused by every account
        self.now = timezone.now()
        self.result = Result()

    # ------------------------------------------------------------------------------------------ run
    def run(self) -> Result:
        self.sizes.check()
        start = time.perf_counter()
        with transaction.atomic():
            check_free(self.prefix, self.sizes.units)
            units = _bulk(Unit, [Unit(name=name, short_name=name[len(self.prefix):][:40])
                                 for name in unit_names(self.prefix, self.sizes.units)])
            self.result.units = units
            self.result.counts["units"] += len(units)
            for index, unit in enumerate(units):
                self._unit(index, unit)
        self.result.seconds = time.perf_counter() - start
        return self.result

    def _unit(self, index: int, unit: Unit) -> None:
        departments = self._departments(unit)
        users, office, leader = self._users(index, unit, departments)
        standard, lines = self._standard(unit, office)
        campaign, phases = self._campaign(unit, standard)
        tasks = self._tasks(campaign, phases, departments, users, leader, lines)
        self._evidence(campaign, tasks, users, office, lines)
        self.result.campaigns.append(campaign)
        self.result.office_users.append(office)

    # ------------------------------------------------------------------------------------------ org
    def _departments(self, unit: Unit) -> list[Department]:
        rows = []
        for i in range(self.sizes.departments):
            base = DEPARTMENTS[i % len(DEPARTMENTS)]
            name = base if i < len(DEPARTMENTS) else f"{base}{i // len(DEPARTMENTS) + 1}"
            rows.append(Department(unit=unit, name=name, order=i + 1))
        departments = _bulk(Department, rows)
        self.result.counts["departments"] += len(departments)
        return departments

    def _users(self, unit_index: int, unit: Unit, departments: list[Department]):
        rng, base = self.rng, f"{username_base(self.prefix)}-{unit_index + 1:03d}"
        office_dept = departments[0]
        fixed = [([Role.OFFICE, Role.STAFF], "创建办主任", office_dept), ([Role.LEADER, Role.STAFF], "院长", office_dept),
                 ([Role.ADMIN], "系统管理员", office_dept), ([Role.SECURITY], "安全管理员", office_dept),
                 ([Role.AUDITOR], "审计管理员", office_dept)]
        plan = []
        for n in range(self.sizes.users):
            if n < len(fixed):
                plan.append(fixed[n])
                continue
            department = departments[(n - len(fixed)) % len(departments)]
            first_in_department = n - len(fixed) < len(departments)
            roles = [Role.LIAISON, Role.STAFF] if first_in_department else [Role.STAFF]
            if not first_in_department and rng.random() < 0.04:
                roles = [Role.LEADER, Role.STAFF]
            title = "联络员" if first_in_department else rng.choice(["庭长", "副庭长", "审判员", "法官助理", "书记员", "科员"])
            plan.append((roles, title, department))
        users = _bulk(User, [
            User(username=f"{base}-{n:05d}", real_name=person_name(rng), job_title=title, unit=unit,
                 department=department, password=self.password, password_changed_at=self.now,
                 phone=f"13{rng.randrange(10**9):09d}", date_joined=self.now)
            for n, (_roles, title, department) in enumerate(plan)])
        _bulk(RoleAssignment, [RoleAssignment(user=user, role=role)
                               for user, (roles, _t, _d) in zip(users, plan, strict=True) for role in roles])
        self.result.counts["users"] += len(users)
        self.result.counts["roles"] += sum(len(roles) for roles, _t, _d in plan)
        return users, users[0], users[1]

    # ------------------------------------------------------------------------------------------ standard
    def _standard(self, unit: Unit, office: User) -> tuple[Standard, list[Criterion]]:
        rng = self.rng
        n_categories, n_indicators, n_lines = _split_criteria(self.sizes.criteria)
        standard = Standard.objects.create(
            unit=unit, name=f"{self.year}年度文明单位测评体系", issuer="市精神文明建设委员会办公室", year=self.year,
            status=Standard.Status.PUBLISHED, source="seed_scale", created_by=office, published_by=office,
            published_at=self.now, pass_score=Decimal("90"))
        categories = _bulk(Criterion, [
            Criterion(standard=standard, depth=1, order=i, code=_roman(i + 1),
                      title=CATEGORIES[i % len(CATEGORIES)] + ("" if i < len(CATEGORIES) else str(i)))
            for i in range(n_categories)])
        indicators = _bulk(Criterion, [
            Criterion(standard=standard, depth=2, order=i, parent=categories[i % n_categories],
                      code=f"{i // n_categories + 1}", title=f"{rng.choice(INDICATOR_WORDS)}")
            for i in range(n_indicators)])
        lines = _bulk(Criterion, [
            Criterion(standard=standard, depth=3, order=i, parent=indicators[i % n_indicators], code=str(i + 1),
                      title=f"{rng.choice(LINE_VERBS)}{rng.choice(LINE_OBJECTS)}，全年不少于{rng.randint(1, 12)}次",
                      points=Decimal(rng.choice(["0.5", "1", "1", "2", "3"])),
                      methods=rng.sample(KNOWN_METHODS[:4], rng.randint(1, 2)), materials=rng.choice(MATERIALS),
                      department=rng.choice(DEPARTMENTS[:12]))
            for i in range(n_lines)])
        standard.total_points = sum((line.points for line in lines), Decimal("0"))
        standard.save(update_fields=["total_points"])
        self.result.counts["criteria"] += len(categories) + len(indicators) + len(lines)
        return standard, lines

    # ------------------------------------------------------------------------------------------ campaign
    def _campaign(self, unit: Unit, standard: Standard) -> tuple[Campaign, list[Phase]]:
        campaign = Campaign.objects.create(
            unit=unit, title=f"{self.year}年创建市级文明单位", year=self.year, standard=standard,
            pass_score=standard.pass_score, starts_on=date(self.year, 1, 1), ends_on=date(self.year, 12, 31),
            document_title="关于成立创建市级文明单位工作领导小组的通知")
        phases = _bulk(Phase, [
            Phase(campaign=campaign, name=str(name), order=i, starts_on=date(self.year, *start),
                  ends_on=date(self.year, *end))
            for i, (name, start, end) in enumerate(DEFAULT_PHASES)])
        self.result.counts["campaigns"] += 1
        self.result.counts["phases"] += len(phases)
        return campaign, phases

    def _when(self, phase: Phase) -> str:
        if phase.ends_on < self.today:
            return "past"
        return "current" if phase.starts_on <= self.today else "future"

    def _tasks(self, campaign, phases, departments, users, leader, lines) -> list[Task]:
        rng = self.rng
        by_department: dict[int, list[User]] = {}
        for user in users:
            by_department.setdefault(user.department_id, []).append(user)
        rows, links = [], []
        for i in range(self.sizes.tasks):
            phase = phases[min(len(phases) - 1, int(rng.random() ** 1.3 * len(phases)))]
            span = (phase.ends_on - phase.starts_on).days
            starts = phase.starts_on + timedelta(days=rng.randrange(max(1, span // 2)))
            due = starts + timedelta(days=rng.randint(7, max(7, span)))
            due = min(due, campaign.ends_on)
            status = weighted(rng, TASK_STATUS_WEIGHTS[self._when(phase)])
            progress = {Task.Status.DONE: 100, Task.Status.NOT_STARTED: 0, Task.Status.IN_REVIEW: 100}.get(
                status, rng.choice([10, 20, 30, 50, 60, 80]))
            lead = departments[rng.randrange(len(departments))]
            owner = rng.choice(by_department.get(lead.pk) or users)
            line = lines[rng.randrange(len(lines))] if lines else None
            done_at = (timezone.make_aware(datetime.combine(min(due, self.today), dtime(17, 30)))
                       if status == Task.Status.DONE else None)
            rows.append(Task(
                campaign=campaign, number=i + 1, phase=phase, lead_department=lead, owner=owner, supervisor=leader,
                title=f"{rng.choice(TASK_VERBS)}{line.title.split('，')[0] if line else '创建工作'}（{lead.name}）",
                description=f"按照测评细则要求，{rng.choice(LINE_VERBS)}{rng.choice(LINE_OBJECTS)}，留存相关材料。",
                starts_on=starts, due_on=due, due_text=rng.choice(DUE_TEXTS), status=status, progress=progress,
                recurrence=Task.Recurrence.ONGOING if rng.random() < 0.08 else Task.Recurrence.ONCE,
                completed_at=done_at,
                return_reason=rng.choice(RETURN_REASONS) if status == Task.Status.RETURNED else "",
                returned_at=self.now if status == Task.Status.RETURNED else None,
            ))
            links.append((line, [d for d in rng.sample(departments, min(len(departments), rng.choice([0, 1, 1, 2, 3])))
                                 if d.pk != lead.pk]))
        tasks = _bulk(Task, rows)
        criteria_through, co_through = Task.criteria.through, Task.co_departments.through
        task_criteria = []
        for task, (line, _co) in zip(tasks, links, strict=True):
            chosen = {line.pk} if line else set()
            if lines and rng.random() < 0.3:
                chosen.add(lines[rng.randrange(len(lines))].pk)
            task_criteria.extend(criteria_through(task_id=task.pk, criterion_id=pk) for pk in chosen)
        _bulk(criteria_through, task_criteria)
        _bulk(co_through, [co_through(task_id=task.pk, department_id=d.pk)
                           for task, (_line, co) in zip(tasks, links, strict=True) for d in co])
        self.task_criteria = {}
        for row in task_criteria:
            self.task_criteria.setdefault(row.task_id, []).append(row.criterion_id)
        self.result.counts["tasks"] += len(tasks)
        return tasks

    # ------------------------------------------------------------------------------------------ evidence
    def _evidence(self, campaign, tasks, users, office, lines) -> None:
        if not self.sizes.evidence:
            return
        rng = self.rng
        by_department: dict[int, list[User]] = {}
        for user in users:
            by_department.setdefault(user.department_id, []).append(user)
        line_ids = [line.pk for line in lines]
        last_day = min(self.today, campaign.ends_on)
        rows, item_criteria = [], []
        for i in range(self.sizes.evidence):
            task = tasks[i % len(tasks)] if rng.random() < 0.9 else None
            anchor = task or tasks[rng.randrange(len(tasks))]
            start = anchor.starts_on or campaign.starts_on
            end = max(start, min(anchor.due_on or last_day, last_day))
            occurred = start + timedelta(days=rng.randrange((end - start).days + 1)) if end >= start else start
            status = weighted(rng, EVIDENCE_STATUS_WEIGHTS)
            kind = weighted(rng, EVIDENCE_KIND_WEIGHTS)
            uploader = rng.choice(by_department.get(anchor.lead_department_id) or users)
            reviewed = status != Evidence.Status.PENDING
            rows.append(Evidence(
                campaign=campaign, task=task, department_id=anchor.lead_department_id, uploader=uploader,
                title=f"{occurred:%m月%d日}{rng.choice(LINE_OBJECTS)}{rng.choice(EVIDENCE_WORDS)}", kind=kind,
                occurred_on=occurred, status=status, revision=2 if rng.random() < 0.1 else 1,
                description=f"{anchor.lead_department.name}于{occurred:%Y年%m月%d日}{rng.choice(LINE_VERBS)}"
                            f"{rng.choice(LINE_OBJECTS)}，参加人数{rng.randint(8, 120)}人。",
                link=f"https://www.example.gov.cn/news/{uuid.uuid4().hex[:12]}.html" if kind == Evidence.Kind.LINK else "",
                reviewed_by=office if reviewed else None, reviewed_at=self.now if reviewed else None,
                return_reason=rng.choice(RETURN_REASONS) if status == Evidence.Status.RETURNED else "",
            ))
            chosen = list(self.task_criteria.get(anchor.pk, ()))[:2] or ([rng.choice(line_ids)] if line_ids else [])
            if line_ids and rng.random() < 0.25:  # enter once, reuse everywhere: a second criterion
                chosen.append(rng.choice(line_ids))
            item_criteria.append(set(chosen))
        items = _bulk(Evidence, rows)
        through = Evidence.criteria.through
        _bulk(through, [through(evidence_id=item.pk, criterion_id=pk)
                        for item, chosen in zip(items, item_criteria, strict=True) for pk in chosen])
        self.result.counts["evidence"] += len(items)
        if self.sizes.files:
            self._files(items)

    def _files(self, items: list[Evidence]) -> None:
        rows = []
        for index, item in enumerate(items):
            if item.kind == Evidence.Kind.LINK:
                continue
            raster = item.kind in (Evidence.Kind.PHOTO, Evidence.Kind.SCREENSHOT)
            data, ext, mime = (_png(index), "png", "image/png") if raster else (_pdf(item.title, index), "pdf",
                                                                                "application/pdf")
            name = default_storage.save(evidence_file_path(None, f"x.{ext}"), ContentFile(data))
            rows.append(EvidenceFile(
                evidence=item, file=name, name=f"{item.title}.{ext}", sha256=hashlib.sha256(data).hexdigest(),
                size=len(data), file_type=ext, mime=mime, page_count=None if raster else 1, uploaded_by=item.uploader))
        _bulk(EvidenceFile, rows)
        self.result.counts["files"] += len(rows)


def _roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letter in numerals:
        while number >= value:
            out, number = out + letter, number - value
    return out


def _png(index: int) -> bytes:
    """An 8×8 PNG of one colour derived from `index` — real, tiny and distinct."""
    width = height = 8
    rgb = bytes(((index * 37) % 256, (index * 91) % 256, (index * 53) % 256))
    raw = b"".join(b"\x00" + rgb * width for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _pdf(title: str, index: int) -> bytes:
    """A one-page PDF (ASCII text only: the built-in fonts have no Chinese glyphs)."""
    text = f"Wenming scale evidence {index}".encode()
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def seed_scale(sizes: Sizes, *, prefix: str = "", seed: int = 2026, year: int | None = None) -> Result:
    return Generator(sizes, prefix=prefix, seed=seed, year=year).run()
