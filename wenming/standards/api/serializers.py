from rest_framework import serializers

from wenming.core.api import DecimalText
from wenming.standards.models import KNOWN_METHODS, Criterion, Standard


class StandardSerializer(serializers.ModelSerializer):
    line_count = serializers.IntegerField(read_only=True, help_text="计分条目数")

    class Meta:
        model = Standard
        fields = ["id", "name", "issuer", "level", "year", "lineage", "revision", "previous", "status",
                  "total_points", "pass_score", "source", "line_count", "created_at", "published_at"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    methods = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Criterion
        fields = ["id", "standard", "parent", "key", "depth", "order", "code", "title", "content", "scoring", "points",
                  "per_item", "kind", "bonus_cap", "methods", "materials", "department", "is_local"]
        read_only_fields = fields


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="测评细则 .xlsx（或本系统导出的 .yaml）")
    confirm = serializers.BooleanField(default=False, help_text="false：只返回预览和问题；true：无错误时保存为草稿")
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=100)
    level = serializers.ChoiceField(choices=Standard.Level.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    pass_score = DecimalText(required=False, max_digits=8, decimal_places=2, min_value=0)


class ProblemSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=["error", "warning"])
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    message = serializers.CharField()
    text = serializers.CharField()


class ImportPreviewSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    summary = serializers.DictField()
    problems = ProblemSerializer(many=True)
    criteria = serializers.ListField(child=serializers.DictField(), help_text="解析出的树（与 YAML 格式相同）")
    standard = StandardSerializer(required=False, allow_null=True)


class RefineSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=1000)
    code = serializers.CharField(required=False, allow_blank=True, max_length=30)
    content = serializers.CharField(required=False, allow_blank=True)
    scoring = serializers.CharField(required=False, allow_blank=True)
    points = DecimalText(required=False, allow_null=True, max_digits=7, decimal_places=2, min_value=0)
    methods = serializers.ListField(child=serializers.CharField(max_length=20), required=False,
                                    help_text="如 " + "、".join(KNOWN_METHODS))
    materials = serializers.CharField(required=False, allow_blank=True)
    department = serializers.CharField(required=False, allow_blank=True, max_length=200)
