from django.urls import reverse
from rest_framework import serializers

from wenming.reports.models import ReportJob, ReportTemplate

MAX_ID = 2**63 - 1


class ReportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = ["id", "campaign", "template", "kind", "phase", "title", "status", "progress", "percent", "size",
                  "error", "created_by", "created_at", "started_at", "finished_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        if obj.status != ReportJob.Status.DONE:
            return None
        return reverse("report-job-download", args=[obj.pk])


class ReportStartSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    template = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    phase = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                     help_text="阶段总结须指定阶段；创建工作报告不填则统计全年。")


class ReportTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportTemplate
        fields = ["id", "name", "kind", "title", "addressee", "body", "signature", "is_default", "updated_at",
                  "version"]
        read_only_fields = fields
