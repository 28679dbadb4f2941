from decimal import Decimal

from rest_framework import serializers

from wenming.assessments import scoring
from wenming.assessments.models import Assessment, Finding, Rectification, Score
from wenming.core.api import MAX_ID, DecimalText, version_field


class AssessmentSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "campaign", "kind", "title", "team", "starts_on", "ends_on", "status", "grade_scale",
                  "allow_not_applicable", "submitted_at", "created_at", "version"]
        read_only_fields = fields


class CategoryTotalSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    earned = serializers.DecimalField(max_digits=8, decimal_places=None)
    maximum = serializers.DecimalField(max_digits=8, decimal_places=None)
    is_bonus = serializers.BooleanField()
    vetoed = serializers.BooleanField()


class TotalsSerializer(serializers.Serializer):
    base = serializers.DecimalField(max_digits=8, decimal_places=None)
    bonus = serializers.DecimalField(max_digits=8, decimal_places=None)
    total = serializers.DecimalField(max_digits=8, decimal_places=None)
    maximum = serializers.DecimalField(max_digits=8, decimal_places=None)
    pass_score = serializers.DecimalField(max_digits=8, decimal_places=None, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    vetoed = serializers.BooleanField()
    rescaled = serializers.BooleanField()
    scored = serializers.IntegerField()
    to_score = serializers.IntegerField()
    categories = CategoryTotalSerializer(many=True)


class AssessmentTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Assessment.Status.choices)
    version = version_field()


class ScoreSerializer(serializers.ModelSerializer):
    points = serializers.SerializerMethodField(help_text="得分（如 3.5、3.75），未填为 null。")
    grade = serializers.ChoiceField(choices=Score.Grade.choices, allow_blank=True, read_only=True,
                                    help_text="等次；未评等次时为空字符串")

    class Meta:
        model = Score
        fields = ["id", "assessment", "criterion", "points", "grade", "missing", "triggered", "not_applicable", "note",
                  "scored_by", "updated_at", "version"]
        read_only_fields = fields

    def get_points(self, score) -> str | None:
        return scoring.plain(score.points)


class ScoreWriteSerializer(serializers.Serializer):
    points = DecimalText(max_digits=6, decimal_places=2, min_value=Decimal(0), required=False,
                                      allow_null=True, help_text="得分，精确到测评体系的最小分值单位（0.1 或 0.01 分）。")
    grade = serializers.ChoiceField(choices=[("", "—"), *Score.Grade.choices], required=False, allow_blank=True)
    missing = serializers.IntegerField(min_value=0, max_value=10000, required=False, allow_null=True)
    triggered = serializers.BooleanField(required=False, default=False)
    not_applicable = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = version_field(help_text="读取时该行的版本；从未评分的行为 0。版本不符返回 409。")


class ScoreCreateSerializer(ScoreWriteSerializer):
    assessment = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    criterion = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "assessment", "criterion", "description", "severity", "created_by", "created_at", "version"]
        read_only_fields = fields


class FindingCreateSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    criterion = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    description = serializers.CharField(max_length=4000)
    severity = serializers.ChoiceField(choices=Finding.Severity.choices, default=Finding.Severity.MINOR)


class RectificationSerializer(serializers.ModelSerializer):
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Rectification
        fields = ["id", "finding", "campaign", "department", "department_name", "requirement", "due_on", "status",
                  "measures", "evidence", "return_reason", "responded_at", "verified_by", "closed_at", "created_at",
                  "version"]
        read_only_fields = fields


class RectificationCreateSerializer(serializers.Serializer):
    finding = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    department = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    due_on = serializers.DateField()
    requirement = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class RespondSerializer(serializers.Serializer):
    measures = serializers.CharField(max_length=4000)
    evidence = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                     default=list, max_length=200)
    version = version_field()


class VerifySerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("close", "核验通过，销号"), ("return", "退回重新整改")])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = version_field()
