from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wenming.publicity.models import Channel, Level, Practice, PublicityItem, SuperiorReport

MAX_ID = 2**63 - 1


def _choice_schema(choices, what):
    return {"type": "string", "pattern": "^(" + "|".join(v for v, _label in choices) + ")$",
            "description": f"{what}：" + "、".join(f"{v} {label}" for v, label in choices)}


@extend_schema_field(_choice_schema(Channel.choices, "宣传渠道"))
class ChannelField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Channel.choices, **kwargs)


@extend_schema_field(_choice_schema(Level.choices, "媒体级别"))
class LevelField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Level.choices, **kwargs)


class PublicityItemSerializer(serializers.ModelSerializer):
    channel = ChannelField(read_only=True)
    level = LevelField(read_only=True)
    criteria = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    link = serializers.CharField(read_only=True, help_text="链接（可为空字符串）")

    class Meta:
        model = PublicityItem
        fields = ["id", "campaign", "channel", "level", "title", "published_on", "outlet", "link", "department",
                  "department_name", "author", "criteria", "evidence", "version", "created_at"]
        read_only_fields = fields


class PublicityItemCreateSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    channel = ChannelField()
    level = LevelField()
    title = serializers.CharField(max_length=200)
    published_on = serializers.DateField()
    outlet = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    link = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    department = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                          help_text="仅创建办可指定；部门联络员按本人所在部门。")
    author = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    criteria = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                     default=list)
    screenshot = serializers.FileField(required=False, allow_null=True, allow_empty_file=True,
                                       help_text="页面截图（图片）；截图或链接至少一项")


class SuperiorReportSerializer(serializers.ModelSerializer):
    level = LevelField(read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = SuperiorReport
        fields = ["id", "campaign", "recipient", "title", "reported_on", "level", "adopted", "adopted_note",
                  "file_name", "file_url", "version", "created_at"]
        read_only_fields = fields

    def get_file_url(self, obj) -> str | None:
        return reverse("publicity:report_file", args=[obj.pk]) if obj.file else None


class SuperiorReportCreateSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    recipient = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=200)
    reported_on = serializers.DateField()
    level = LevelField(default=Level.CITY)
    adopted = serializers.BooleanField(default=False)
    adopted_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, allow_empty_file=True)


class PracticeSerializer(serializers.ModelSerializer):
    tags = serializers.ListField(child=serializers.CharField(), source="tag_list", read_only=True)
    added_by_name = serializers.CharField(source="added_by.real_name", read_only=True)
    link = serializers.CharField(read_only=True, help_text="链接（可为空字符串）")
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = ["id", "source_unit", "title", "summary", "tags", "link", "file_name", "file_url", "added_by",
                  "added_by_name", "version", "created_at"]
        read_only_fields = fields

    def get_file_url(self, obj) -> str | None:
        return reverse("publicity:practice_file", args=[obj.pk]) if obj.file else None


class PracticeCreateSerializer(serializers.Serializer):
    source_unit = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=5000)
    tags = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                 help_text="用逗号分隔的标签")
    link = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, allow_empty_file=True)
