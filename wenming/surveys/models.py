"""问卷测评: questionnaires for 群众满意度 and 干警知晓率, answered on a phone through a QR code per sampling point
(or by signed-in 干警), with a sampling plan, honest-answer checks, results and a proposed self-check score.

A survey's questions live in numbered questionnaire versions: once answers arrive, a change makes a new version,
so every answer keeps the exact wording it was given. Answers are stored one row per question (one per chosen
option) with the response's group, point and counted flag copied on, so results are a few grouped queries.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from wenming.core.models import UnitOwned, Versioned
from wenming.surveys.querysets import ResponseQuerySet, SurveyQuerySet


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Audience(models.TextChoices):
    PUBLIC = "public", _("群众（扫码作答，无需登录）")
    STAFF = "staff", _("干警（登录后作答，每人一份）")


class Measure(models.TextChoices):
    SATISFACTION = "satisfaction", _("满意率")
    AWARENESS = "awareness", _("知晓率")
    NONE = "none", _("不计算")


class Group(models.TextChoices):
    """Respondent groups (受访者类别) a sampling plan sets quotas for."""

    PUBLIC = "public", _("群众")
    LITIGANT = "litigant", _("当事人")
    LAWYER = "lawyer", _("律师")
    DEPUTY = "deputy", _("人大代表、政协委员")
    STAFF = "staff", _("干警")


class Survey(Versioned, UnitOwned):
    """问卷: one questionnaire of a campaign with its distribution, sampling plan and link to a criterion.

    Status runs draft → open → closed; an open survey stops accepting answers by itself at its close time or once
    the target sample size is reached (then it is closed by the submission that filled it).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("收集中")
        CLOSED = "closed", _("已结束")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="surveys",
                                 verbose_name=_("创建活动"))
    title = models.CharField(_("问卷名称"), max_length=200)
    template = models.CharField(_("模板"), max_length=40, blank=True)
    audience = models.CharField(_("作答对象"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    measure = models.CharField(_("计算指标"), max_length=20, choices=Measure.choices, default=Measure.SATISFACTION)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    welcome = models.TextField(_("欢迎语"), blank=True, max_length=2000)
    thanks = models.TextField(_("结束语"), blank=True, max_length=2000)
    target_size = models.PositiveIntegerField(_("目标样本量"), null=True, blank=True,
                                              help_text=_("达到后自动结束收集；留空表示不限。"))
    group_quotas = models.JSONField(_("各类受访者配额"), default=dict, blank=True)
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True, help_text=_("到时自动结束收集。"))
    chinese_only = models.BooleanField(_("答题页只用中文"), default=False,
                                       help_text=_("勾选后扫码答题页始终显示中文，不提供语言切换；不勾选时跟随答题人所选的语言，"
                                                   "页面上可切换中文/English。"))
    min_seconds = models.PositiveIntegerField(_("最短作答时间（秒）"), default=20,
                                              validators=[MaxValueValidator(3600)],
                                              help_text=_("少于这个时间提交的答卷标记为“作答过快”，留待审核。"))
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("关联测评指标"),
                                  help_text=_("结果按“比率 × 该项分值”建议自查得分，报告和原始答卷可作为该项创建材料。"))
    current = models.ForeignKey("Questionnaire", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("当前版本"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="surveys",
                                      verbose_name=_("形成的创建材料"))

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷测评")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_staff_survey(self) -> bool:
        return self.audience == Audience.STAFF

    @property
    def status_now(self) -> str:
        """The status as it stands: an open survey past its close time reads 已结束 (the next screen or answer that
        looks at it closes it for good, audited)."""
        if self.status == self.Status.OPEN and self.closes_at and timezone.now() >= self.closes_at:
            return self.Status.CLOSED
        return self.status

    def not_accepting(self, *, now=None) -> str:
        """Why the survey takes no answers now ("" when it does), in words a respondent reads."""
        now = now or timezone.now()
        if self.status == self.Status.DRAFT or (self.opens_at and now < self.opens_at):
            return str(_("问卷尚未开始收集，请稍后再来。"))
        if self.status == self.Status.CLOSED or (self.closes_at and now >= self.closes_at):
            return str(_("问卷已结束收集，感谢您的关注。"))
        return ""


class Questionnaire(models.Model):
    """问卷版本: the questions as they stood; answers point at the version they were given."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questionnaires",
                               verbose_name=_("问卷"))
    number = models.PositiveIntegerField(_("版本号"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问卷版本")
        verbose_name_plural = _("问卷版本")
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="surveys_questionnaire_number_unique",
                                    violation_error_message=_("该问卷已有这个版本号。")),
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"


class Question(models.Model):
    """题目: one question of a questionnaire version. `key` stays the same across versions, so results add up."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("单选题")
        MULTIPLE = "multiple", _("多选题")
        RATING = "rating", _("评分题（1–5分）")
        SATISFACTION = "satisfaction", _("满意度（满意/基本满意/不满意）")
        TEXT = "text", _("简答题")
        PHONE = "phone", _("手机号码（脱敏保存）")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions",
                                      verbose_name=_("问卷版本"))
    key = models.CharField(_("题目标识"), max_length=20)
    order = models.PositiveIntegerField(_("排序"), default=0)
    section = models.CharField(_("所属部分"), max_length=100, blank=True)
    kind = models.CharField(_("题型"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("题目"), max_length=300)
    required = models.BooleanField(_("必答"), default=True)
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer_key = models.JSONField(_("正确答案"), default=list, blank=True,
                                  help_text=_("知晓率测试：答对的选项；计入知晓率。"))
    counts = models.BooleanField(_("计入比率"), default=False,
                                 help_text=_("满意度题计入满意率；有正确答案的题计入知晓率。"))

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["questionnaire", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="surveys_question_key_unique",
                                    violation_error_message=_("同一版本中题目标识不能重复。")),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def choices(self) -> list[str]:
        """What a respondent can pick: the options, the 1–5 scale, or the satisfaction scale."""
        if self.kind == self.Kind.RATING:
            return ["1", "2", "3", "4", "5"]
        if self.kind == self.Kind.SATISFACTION:
            return list(SATISFACTION_SCALE)
        return list(self.options or [])


# Stored answers, not labels: the same words whatever the reader's language (the results count them).
SATISFACTION_SCALE = (gettext_noop("满意"), gettext_noop("基本满意"), gettext_noop("不满意"))  # labels translated on display
SATISFIED = {"满意", "基本满意", "4", "5"}  # the answers that count as satisfied (rating: 4 and 5 of 5)


class SamplingPoint(models.Model):
    """抽样点: where answers are collected (诉讼服务中心窗口, 立案大厅, 社区, a 企业微信群 link), with its own QR code."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="points", verbose_name=_("问卷"))
    name = models.CharField(_("抽样点"), max_length=100)
    quota = models.PositiveIntegerField(_("配额"), null=True, blank=True, help_text=_("留空表示不限。"))
    token = models.CharField(_("链接码"), max_length=32, unique=True, default=new_token, editable=False)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("抽样点")
        verbose_name_plural = _("抽样点")
        ordering = ["survey", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="surveys_point_unique_name",
                                    violation_error_message=_("该问卷已有同名的抽样点。")),
        ]

    def __str__(self) -> str:
        return self.name


class Response(models.Model):
    """答卷: one submitted questionnaire. Public answers carry a device id (from a signed cookie) and a hashed
    address, never a name; staff answers carry the person. Flagged answers are kept; the 创建办 may exclude one
    with a reason (audited), and excluded answers leave the results."""

    class Flag(models.TextChoices):
        TOO_FAST = "too_fast", _("作答过快")
        STRAIGHT = "straight", _("答案一律相同")
        DUPLICATE = "duplicate", _("与同一地址的答卷完全相同")

    # indexed by surveys_response_counted and the unique constraints, all led by the survey
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("问卷"),
                               db_index=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses",
                                      verbose_name=_("问卷版本"))
    point = models.ForeignKey(SamplingPoint, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="responses", verbose_name=_("抽样点"))
    group = models.CharField(_("受访者类别"), max_length=20, choices=Group.choices, blank=True)
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("作答人"))
    department = models.ForeignKey("org.Department", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("部门"))
    device = models.CharField(_("设备标识"), max_length=64, blank=True)
    address = models.CharField(_("来源地址（摘要）"), max_length=64, blank=True)
    pattern = models.CharField(_("答案摘要"), max_length=64, blank=True)
    seconds = models.PositiveIntegerField(_("作答用时（秒）"), default=0)
    flags = models.JSONField(_("异常标记"), default=list, blank=True)
    flagged = models.BooleanField(_("有异常标记"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    excluded = models.BooleanField(_("已剔除"), default=False)
    exclude_reason = models.CharField(_("剔除原因"), max_length=200, blank=True)
    correct = models.PositiveIntegerField(_("答对题数"), default=0)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["survey", "address", "submitted_at"], name="surveys_response_address"),
            models.Index(fields=["survey", "excluded", "flagged", "group", "point"], name="surveys_response_counted"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["survey", "device"], condition=~Q(device=""),
                                    name="surveys_response_once_per_device",
                                    violation_error_message=_("这台设备已经提交过本问卷。")),
            models.UniqueConstraint(fields=["survey", "respondent"], condition=Q(respondent__isnull=False),
                                    name="surveys_response_once_per_person",
                                    violation_error_message=_("您已经提交过本问卷。")),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"

    @property
    def flag_labels(self) -> list[str]:
        labels = dict(self.Flag.choices)
        return [str(labels.get(flag, flag)) for flag in self.flags or []]


class Answer(models.Model):
    """One answer to one question (one row per chosen option of a multiple-choice question). The response's
    survey, group, point and counted flag are copied here so results are grouped queries on one table."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("答卷"))
    # indexed by surveys_answer_texts (survey, key, counted), which SQLite must not pass over for the FK's own
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+", verbose_name=_("问卷"),
                               db_index=False)
    key = models.CharField(_("题目标识"), max_length=20)
    choice = models.CharField(_("选项"), max_length=200, blank=True)
    text = models.CharField(_("填写内容"), max_length=500, blank=True)
    group = models.CharField(_("受访者类别"), max_length=20, blank=True)
    point = models.ForeignKey(SamplingPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("抽样点"))
    counted = models.BooleanField(_("计入结果"), default=True)
    hit = models.BooleanField(_("计入比率的结果"), null=True,
                              help_text=_("满意（或答对）为是，不满意（或答错）为否，不计入比率的题为空。"))

    class Meta:
        verbose_name = _("答案")
        verbose_name_plural = _("答案")
        indexes = [models.Index(fields=["survey", "key", "counted"], name="surveys_answer_texts")]

    def __str__(self) -> str:
        return f"{self.key}: {self.choice or self.text}"


class Tally(models.Model):
    """Counted answers of a survey by question, option, group, point and hit, kept by the services that write or
    exclude answers (in the same transaction), so the results page sums a few hundred rows however many answers
    arrive. `key` "" counts answer sheets; `choice` "" counts the people who answered the question; `point` 0 is "no sampling point"; `hit` is
    1 (satisfied / right), 0 (not), -1 (not counted in the rate). `tallies_rebuild` recomputes them from the
    answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+", verbose_name=_("问卷"))
    key = models.CharField(_("题目标识"), max_length=20)
    choice = models.CharField(_("选项"), max_length=200, blank=True)
    group = models.CharField(_("受访者类别"), max_length=20, blank=True)
    point = models.PositiveBigIntegerField(_("抽样点"), default=0)
    hit = models.SmallIntegerField(_("计入比率的结果"), default=-1)
    n = models.IntegerField(_("人数"), default=0)

    class Meta:
        verbose_name = _("答案计数")
        verbose_name_plural = _("答案计数")
        constraints = [
            models.UniqueConstraint(fields=["survey", "key", "choice", "group", "point", "hit"],
                                    name="surveys_tally_unique", violation_error_message=_("计数行重复。")),
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.choice}: {self.n}"


class ScoreProposal(models.Model):
    """A result's proposed self-check score for the linked criterion, and whether the 创建办 accepted it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("问卷"))
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("测评指标"))
    rate = models.DecimalField(_("比率（%）"), max_digits=5, decimal_places=1,
                               validators=[MinValueValidator(0), MaxValueValidator(100)])
    points = models.DecimalField(_("建议得分"), max_digits=6, decimal_places=1)
    sample = models.PositiveIntegerField(_("有效样本"))
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("写入的测评"))
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("采纳人"))
    accepted_at = models.DateTimeField(_("采纳时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("得分建议")
        verbose_name_plural = _("得分建议")
        ordering = ["-accepted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.survey} → {self.points}"
