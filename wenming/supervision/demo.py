"""Demo: supervision for the demo campaign of 某某市人民法院 (idempotent).

The campaign's tasks already show all three lights relative to today (the demo is dated so that today falls
inside the plan); if a light is missing on some day, one open task's deadline is moved to show it. Three 督办单:
one closed after 民二庭 answered, one answered by 民一庭 and waiting for the issuer, one still waiting for the
审判管理办公室's answer. The ranking follows from the tasks and evidence (done tasks get plausible completion
dates: most by their deadline).
"""

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from wenming.campaigns.models import Campaign, Task
from wenming.evidence.models import Evidence
from wenming.org.demo import COURT
from wenming.org.models import Department, Unit, User
from wenming.supervision import lights, services
from wenming.supervision.models import SupervisionOrder

# (task title contains, department, issuer username, request, answer by, answer, close)
ORDERS = [
    ("发布以案释法典型案例", "民二庭", "office",
     "请于时限内报送本庭本季度以案释法典型案例不少于2篇，并在微信公众号发布。",
     "liaison_b", "已报送典型案例3篇，其中2篇已在微信公众号发布，链接和截图见佐证材料。", "答复材料齐全，予以办结。"),
    ("发布以案释法典型案例", "民一庭", "leader",
     "本季度以案释法典型案例至今未报送，请抓紧整理家事审判典型案例，按期报送研究室。",
     "liaison_a", "已整理家事审判典型案例2篇报送研究室，另1篇正在征求合议庭意见，下周报送。", ""),
    ("开展案件质量评查", "审判管理办公室", "leader",
     "案件质量评查已逾期，请说明原因，并于时限内完成评查、形成评查报告。", "", "", ""),
]


def _ensure_lights(campaign, today, warn_days) -> None:
    """If the calendar happens to leave a light unused today, move one open one-off task's deadline to show it."""
    tasks = lights.tasks_with_light(Task.objects.alive().filter(campaign=campaign), today=today, warn_days=warn_days)
    present = set(tasks.values_list("light", flat=True))
    movable = (Task.objects.alive().filter(campaign=campaign, recurrence=Task.Recurrence.ONCE, due_on__isnull=False)
               .exclude(status=Task.Status.DONE).order_by("-number"))
    wanted = {lights.Light.YELLOW: today + timedelta(days=1), lights.Light.RED: today - timedelta(days=10),
              lights.Light.GREEN: today + timedelta(days=30)}
    used = set()
    for light, due in wanted.items():
        if light in present:
            continue
        task = movable.exclude(pk__in=used).first()
        if task is not None:
            Task.objects.filter(pk=task.pk).update(due_on=due)
            used.add(task.pk)


def _completion_dates(campaign) -> None:
    """The campaigns demo marks tasks done on the day it runs; in the story most were done by their deadline,
    a few (every fourth) late — so the ranking's on-time rate means something."""
    late_done = (Task.objects.alive().filter(campaign=campaign, status=Task.Status.DONE, due_on__isnull=False,
                                             completed_at__date__gt=F("due_on")).order_by("number"))
    zone = timezone.get_current_timezone()
    for task in late_done:
        if task.number % 4 == 0:
            continue
        finished = datetime.combine(task.due_on - timedelta(days=task.number % 5), time(17, 0), tzinfo=zone)
        Task.objects.filter(pk=task.pk).update(completed_at=finished)


def load(*, year=None) -> list:
    """The demo's orders. Returns no accounts (the `demo` command lists what loaders return as accounts)."""
    _load_orders(year=year)
    return []


def _load_orders(*, year=None) -> list:
    court = Unit.objects.filter(name=COURT).first()
    if court is None:
        return []
    today = timezone.localdate()
    year = year or today.year
    campaign = Campaign.objects.filter(unit=court, title=f"{year}年创建市级文明单位").first()
    if campaign is None or SupervisionOrder.objects.filter(campaign=campaign).exists():
        return []
    people = {u.username: u for u in User.objects.filter(unit=court)}
    departments = {d.name: d for d in Department.objects.filter(unit=court)}
    _ensure_lights(campaign, today, services.settings_for(court.pk).warn_days)
    _completion_dates(campaign)
    made = []
    for needle, department_name, issuer, request, answerer, answer, close in ORDERS:
        task = Task.objects.alive().filter(campaign=campaign, title__contains=needle).exclude(
            status=Task.Status.DONE).select_related("campaign__unit", "lead_department").first()
        department = departments.get(department_name)
        if task is None or department is None or issuer not in people:
            continue
        order = services.order_issue(actor=people[issuer], task=task, department=department,
                                     deadline=today + timedelta(days=5), request=request)
        if answerer and answerer in people:
            evidence = list(Evidence.objects.alive().filter(campaign=campaign, department=department)
                            .order_by("-occurred_on")[:2])
            order = services.order_answer(actor=people[answerer], order=order, text=answer, evidence=evidence)
            if close:
                order = services.order_close(actor=people[issuer], order=order, text=close)
        made.append(order)
    return made
