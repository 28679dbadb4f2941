from rest_framework import serializers

from wenming.campaigns.models import Campaign, Phase, RosterEntry, Task
from wenming.core.api import DecimalText, version_field

VERSION_HELP = "记录版本号：修改时带上读取到的版本，若他人已先修改则返回 409。"


class PhaseSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = Phase
        fields = ["id", "campaign", "name", "starts_on", "ends_on", "order", "summary", "version"]
        read_only_fields = ["id", "campaign"]


class CampaignSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="planning 筹备中；active 进行中；closed 已结束。")
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    phases = PhaseSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "title", "level", "year", "standard", "pass_score", "starts_on", "ends_on", "status",
                  "document_title", "document_number", "phases", "version"]
        read_only_fields = fields


class CampaignWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    level = serializers.ChoiceField(choices=Campaign.Level.choices, required=False)
    standard = serializers.IntegerField(required=False, allow_null=True, help_text="已发布的测评体系版本的 id。")
    pass_score = DecimalText(max_digits=7, decimal_places=1, min_value=0, required=False, allow_null=True)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=Campaign.Status.choices, required=False,
                                     error_messages={"invalid_choice": "状态须是 planning、active 或 closed。"},
                                     help_text="planning 筹备中；active 进行中；closed 已结束。")
    document_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    version = version_field()


class CampaignCreateSerializer(CampaignWriteSerializer):
    """A new campaign: title and year are required; there is no version yet."""

    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    version = None


class RosterEntrySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.real_name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = RosterEntry
        fields = ["id", "campaign", "person", "person_name", "role", "role_label", "department", "department_name",
                  "title", "order"]


class TaskSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True, default="")
    owner_name = serializers.CharField(source="owner.real_name", read_only=True, default="")
    supervisor_name = serializers.CharField(source="supervisor.real_name", read_only=True, default="")
    phase_name = serializers.CharField(source="phase.name", read_only=True, default="")
    co_departments = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField()
    next_due = serializers.DateField(read_only=True, allow_null=True, help_text="周期任务的下一次日期，否则为完成时限。")
    status = serializers.CharField(read_only=True, help_text="not_started 未开始；in_progress 进行中；in_review 待审核；"
                                                             "done 已完成；returned 已退回。")
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "campaign", "number", "title", "description", "criteria", "lead_department",
                  "lead_department_name", "co_departments", "owner", "owner_name", "supervisor", "supervisor_name",
                  "supervisor_label", "phase", "phase_name", "starts_on", "due_on", "recurrence", "due_text",
                  "next_due", "status", "status_label", "progress", "return_reason", "version"]
        read_only_fields = ["id", "campaign", "number", "lead_department", "owner", "supervisor", "phase",
                            "starts_on", "due_on", "recurrence", "status", "progress", "return_reason"]

    # the list prefetches plain lists (`selectors.task_list(lists=True)`); one task comes with the managers
    def get_co_departments(self, task) -> list[int]:
        departments = task.co_department_list if hasattr(task, "co_department_list") else task.co_departments.all()
        return [d.pk for d in departments]

    def get_criteria(self, task) -> list[dict]:
        criteria = task.criteria_list if hasattr(task, "criteria_list") else task.criteria.all()
        return [{"id": c.pk, "code": c.code, "title": c.title} for c in criteria]


class TaskWriteSerializer(serializers.Serializer):
    """Create or change a task. Departments, people, phase and criteria by id; the time limit as written."""

    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    lead_department = serializers.IntegerField(required=False, allow_null=True)
    co_departments = serializers.ListField(child=serializers.IntegerField(), required=False)
    criteria = serializers.ListField(child=serializers.IntegerField(), required=False)
    owner = serializers.IntegerField(required=False, allow_null=True)
    supervisor = serializers.IntegerField(required=False, allow_null=True)
    phase = serializers.IntegerField(required=False, allow_null=True)
    due_text = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                     help_text="完成时限，如“2021年6月底前”“每季度”“长期坚持”。")
    version = version_field()


class TaskCreateSerializer(TaskWriteSerializer):
    """A new task: its title is required; there is no version yet."""

    title = serializers.CharField(max_length=500)
    version = None


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["start", "submit", "approve", "return"],
                                     help_text="start 开始办理；submit 提交审核；approve 审核通过；return 退回（须写原因）。")
    reason = serializers.CharField(required=False, allow_blank=True)
    version = version_field()


class ProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    version = version_field()
