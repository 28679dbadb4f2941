from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wenming.core.api import MAX_ID, version_field
from wenming.evidence.models import ArchiveJob, Evidence, EvidenceFile


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(Evidence.Kind.values) + ")$",
                      "description": "材料类型：" + "、".join(f"{v} {label}" for v, label in Evidence.Kind.choices)})
class KindField(serializers.ChoiceField):
    """The evidence kind, described inline (the name "kind" is also the criterion's, another set of choices)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Evidence.Kind.choices, **kwargs)


class EvidenceFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "size", "file_type", "mime", "sha256", "page_count", "taken_at", "added_in",
                  "retired_in", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("evidence:file", args=[obj.pk])


class EvidenceSerializer(serializers.ModelSerializer):
    criteria = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    uploader_name = serializers.CharField(source="uploader.real_name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    kind = KindField(read_only=True)
    link = serializers.CharField(read_only=True, help_text="已发布内容的链接（可为空字符串）")
    files = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "campaign", "task", "criteria", "title", "kind", "occurred_on", "department",
                  "department_name", "description", "link", "uploader", "uploader_name", "status", "revision",
                  "return_reason", "version", "created_at", "files"]
        read_only_fields = fields

    @extend_schema_field(EvidenceFileSerializer(many=True))
    def get_files(self, obj):
        current = getattr(obj, "current_files", None)
        if current is None:
            current = [f for f in obj.files.all() if f.retired_in is None]
        return EvidenceFileSerializer(current, many=True).data


class EvidenceCreateSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = serializers.CharField(max_length=200)
    kind = KindField(default=Evidence.Kind.FILE)
    occurred_on = serializers.DateField()
    task = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    criteria = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                     default=list)
    department = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                          help_text="仅创建办可指定；其他人按本人所在部门。")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    link = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)


class EvidenceUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)
    retire = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                   default=list, help_text="撤下的文件编号（历史版本仍保留）")
    version = version_field()


class EvidenceReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "通过"), ("return", "退回")])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = version_field()


class GapCountsSerializer(serializers.Serializer):
    missing = serializers.IntegerField()
    returned = serializers.IntegerField()
    pending = serializers.IntegerField()
    approved = serializers.IntegerField()


class GapRowSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["missing", "returned", "pending", "approved"])
    counts = serializers.DictField(child=serializers.IntegerField())
    departments = serializers.ListField(child=serializers.CharField())


class GapGroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    counts = GapCountsSerializer()


class GapSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    total = serializers.IntegerField()
    totals = GapCountsSerializer()
    by_category = GapGroupSerializer(many=True)
    by_department = GapGroupSerializer(many=True)
    rows = GapRowSerializer(many=True)


class ArchiveJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveJob
        fields = ["id", "campaign", "status", "total_files", "done_files", "percent", "size", "error", "created_at",
                  "started_at", "finished_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        if obj.status != ArchiveJob.Status.DONE:
            return None
        return reverse("evidence-archive-download", args=[obj.pk])


class ArchiveStartSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID)
