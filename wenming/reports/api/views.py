"""Report endpoints: the same access path and services as the screens."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign
from wenming.core.api import fetch as _fetch
from wenming.core.api import parse_id, validated
from wenming.org.policy import api_door
from wenming.org.roles import Role
from wenming.reports import services
from wenming.reports.api.serializers import (
    ReportJobSerializer,
    ReportStartSerializer,
    ReportTemplateSerializer,
)
from wenming.reports.models import ReportJob, ReportTemplate
from wenming.reports.views import DOCX

# The 创建办 and leaders; everyone else of the unit has no report content.
ReadsReports = api_door(ReportJob, "view", "没有查看创建报告的权限。")


@extend_schema(parameters=[OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号")])
class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """生成的报告: the 创建办 starts one (generated in the background); the 创建办 and leaders follow and download."""

    serializer_class = ReportJobSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsReports]

    def get_queryset(self):
        jobs = ReportJob.objects.visible_to(self.request.user).order_by("-created_at", "-id")
        campaign = self.request.query_params.get("campaign", "")
        if self.action == "list" and campaign:
            jobs = jobs.filter(campaign_id=parse_id(campaign, "campaign"))
        return jobs

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=ReportStartSerializer,
                   responses={202: ReportJobSerializer, 400: OpenApiResponse(description="模板、阶段不符（中文说明）")},
                   description="按模板生成创建工作报告或阶段总结（后台进行）；用返回的编号查询进度。")
    def create(self, request):
        if not request.user.has_role(Role.OFFICE):
            raise PermissionDenied("只有创建办可以生成报告。")
        data = validated(ReportStartSerializer, request)
        user = request.user
        campaign = Campaign.objects.visible_to(user).select_related("unit").filter(pk=data["campaign"]).first()
        if campaign is None:
            raise NotFound("创建活动不存在。")
        template = ReportTemplate.objects.editable_by(user).filter(pk=data["template"]).first()
        if template is None:
            raise ValidationError({"template": ["模板不存在。"]}, code="does_not_exist")
        phase = None
        if data.get("phase"):
            phase = campaign.phases.filter(pk=data["phase"]).first()
            if phase is None:
                raise ValidationError({"phase": ["所选阶段不属于这个创建活动。"]}, code="does_not_exist")
        job = services.report_start(actor=user, campaign=campaign, template=template, phase=phase,
                                    origin=Origin.from_request(request))
        job.refresh_from_db()
        return Response(ReportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, DOCX): OpenApiResponse(response=OpenApiTypes.BINARY, description="Word 文档")},
                   description="下载已生成的报告（Word）。")
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if job.status != ReportJob.Status.DONE or not job.file:
            raise NotFound("报告尚未生成完成。")
        services.report_downloaded(actor=request.user, job=job, origin=Origin.from_request(request))
        response = FileResponse(job.file.open("rb"), as_attachment=True, filename=f"report-{job.pk}.docx",
                                content_type=DOCX)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ReportTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """报告模板 of the person's unit (edited on the screen by the 创建办)."""

    serializer_class = ReportTemplateSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsReports]

    def get_queryset(self):
        return ReportTemplate.objects.visible_to(self.request.user).order_by("-kind", "id")

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])
