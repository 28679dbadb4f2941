from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wenming.activities.models import Activity, Attendance, VolunteerRecord
from wenming.core.api import MAX_ID, version_field


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(Activity.Status.values) + ")$",
                      "description": "状态：" + "、".join(f"{v} {label}" for v, label in Activity.Status.choices)})
class ActivityStatusField(serializers.ChoiceField):
    """The activity's status, described inline (other apps name their own, different, status sets)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Activity.Status.choices, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(Attendance.Method.values) + ")$",
                      "description": "签到方式：" + "、".join(f"{v} {label}" for v, label in Attendance.Method.choices)})
class MethodField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Attendance.Method.choices, **kwargs)


class ActivitySerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    is_meeting = serializers.BooleanField(source="kind.is_meeting", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    organiser_name = serializers.CharField(source="organiser.real_name", read_only=True, default="")
    status = ActivityStatusField(read_only=True)
    criteria = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    tasks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    evidence = serializers.SerializerMethodField()
    attendance_count = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "campaign", "kind", "kind_name", "is_meeting", "title", "department", "department_name",
                  "organiser", "organiser_name", "starts_at", "ends_at", "place", "description", "status",
                  "criteria", "tasks", "summary", "minutes", "decisions", "attendance_expires_at",
                  "attendance_count", "evidence", "version", "created_at"]
        read_only_fields = fields

    def get_evidence(self, obj) -> list[int]:
        return [doc.evidence_id for doc in obj.documents.all()]

    def get_attendance_count(self, obj) -> int:
        value = getattr(obj, "attendance_total", None)
        return value if value is not None else obj.attendance.count()


class ActivityWriteSerializer(serializers.Serializer):
    """A change to an activity: only the fields given change; `version` is required."""

    kind = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="活动类型编号")
    title = serializers.CharField(max_length=200, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    status = ActivityStatusField(required=False)
    department = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    organiser = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    criteria = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                     max_length=500)
    tasks = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                  max_length=500)
    version = version_field()


class ActivityCreateSerializer(ActivityWriteSerializer):
    """A new activity: campaign, kind, title, starts_at and ends_at are required."""

    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="创建活动编号")
    kind = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="活动类型编号")
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    version = None


class AttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.real_name", read_only=True)
    department_name = serializers.CharField(source="person.department.name", read_only=True, default="")
    method = MethodField(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "activity", "person", "person_name", "department_name", "signed_at", "method"]
        read_only_fields = fields


class SignInSerializer(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    token = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                  help_text="二维码中的签到码：本人签到时必填。")
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                      help_text="组织人代为登记时填写人员编号（须有管理该活动的权限）。")


class VolunteerRecordSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.real_name", read_only=True)
    department_name = serializers.CharField(source="person.department.name", read_only=True, default="")

    class Meta:
        model = VolunteerRecord
        fields = ["id", "campaign", "person", "person_name", "department_name", "hours", "activity_name",
                  "served_on"]
        read_only_fields = fields
