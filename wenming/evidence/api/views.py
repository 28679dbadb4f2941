"""Evidence endpoints: the same access path and services as the screens."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign, Task
from wenming.core.api import fetch as _fetch
from wenming.core.api import not_found, validated
from wenming.core.api import parse_id as _id
from wenming.evidence import archive, selectors, services
from wenming.evidence.api.serializers import (
    ArchiveJobSerializer,
    ArchiveStartSerializer,
    EvidenceCreateSerializer,
    EvidenceReviewSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    GapSerializer,
)
from wenming.evidence.models import ArchiveJob, Evidence
from wenming.org.models import Department
from wenming.org.policy import api_door
from wenming.org.roles import Role
from wenming.org.services import check_department_owned

# 三员分立: accounts without a campaign role see no campaign content.
HoldsCampaignRole = api_door(Evidence, "view", "没有查看创建材料的权限。")


def _campaign(request, pk) -> Campaign:
    found = Campaign.objects.visible_to(request.user).select_related("standard", "unit").filter(pk=pk).first()
    if found is None:
        raise NotFound("创建活动不存在。")
    return found


@extend_schema(parameters=[
    OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Evidence.Status.values, description="审核状态"),
    OpenApiParameter("criterion", OpenApiTypes.INT, description="只列出用于这个测评指标的材料"),
    OpenApiParameter("mine", OpenApiTypes.STR, enum=["returned"], description="returned：退回给我的"),
])
class EvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EvidenceSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        user = self.request.user
        items = (Evidence.objects.visible_to(user).select_related("uploader", "department")
                 .prefetch_related("criteria", selectors._current_files()).order_by("-occurred_on", "-id"))
        if self.action != "list":
            return items
        params = self.request.query_params
        campaign, criterion = _id(params.get("campaign"), "campaign"), _id(params.get("criterion"), "criterion")
        if campaign:
            items = items.filter(campaign_id=campaign)
        if criterion:
            items = items.filter(criteria__id=criterion)
        if params.get("status"):
            if params["status"] not in Evidence.Status.values:
                raise ValidationError({"status": "未知的审核状态。"})
            items = items.filter(status=params["status"])
        if params.get("mine") == "returned":
            items = items.filter(status=Evidence.Status.RETURNED, uploader=user)
        return items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    def _reload(self, pk):
        return self.get_queryset().get(pk=pk)

    @extend_schema(request={"multipart/form-data": EvidenceCreateSerializer},
                   responses={201: EvidenceSerializer, 400: OpenApiResponse(description="各字段或各文件的错误（中文）")},
                   description="上传一份材料（一个或多个文件，或一个链接）；文件按内容识别类型，任何一个被拒则全部不保存。")
    def create(self, request):
        data = validated(EvidenceCreateSerializer, request)
        user = request.user
        campaign = _campaign(request, data["campaign"])
        task = None
        if data.get("task"):
            task = Task.objects.visible_to(user).filter(campaign=campaign, pk=data["task"]).first()
            if task is None:
                raise not_found("task", "所选任务不存在或无权使用。")
        department = user.department if user.department_id else (task.lead_department if task else None)
        if data.get("department"):
            department = Department.objects.restrict(user).filter(pk=data["department"]).first()
            if department is None:
                raise not_found("department", "所选部门不存在。")
            check_department_owned(user, department)  # the 创建办 names any; others only their own
        evidence = services.evidence_create(
            actor=user, campaign=campaign, title=data["title"], kind=data["kind"],
            occurred_on=data["occurred_on"], department=department, task=task,
            criteria=services.criteria_for(campaign, data["criteria"]), description=data["description"],
            link=data["link"], files=data["files"], origin=Origin.from_request(request))
        return Response(EvidenceSerializer(self._reload(evidence.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={200: EvidenceSerializer, 400: OpenApiResponse(description="各文件的错误（中文）")},
                   description="补充文件或撤下文件；已退回的材料由此重新提交（版本加一，历史保留）。")
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request, pk=None):
        evidence = self.get_object()
        if not Evidence.objects.editable_by(request.user).filter(pk=evidence.pk).exists():
            raise PermissionDenied("没有修改这份材料的权限。")
        data = validated(EvidenceUploadSerializer, request)
        services.evidence_update(actor=request.user, evidence=evidence, add_files=data["files"],
                                 retire_files=data["retire"], expected_version=data.get("version"),
                                 origin=Origin.from_request(request))
        return Response(EvidenceSerializer(self._reload(evidence.pk)).data)

    @extend_schema(request=EvidenceReviewSerializer,
                   responses={200: EvidenceSerializer, 400: OpenApiResponse(description="状态不允许或缺少退回原因")},
                   description="创建办审核：通过，或写明原因退回。")
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser])
    def review(self, request, pk=None):
        evidence = self.get_object()
        if not Evidence.objects.reviewable_by(request.user).filter(pk=evidence.pk).exists():
            raise PermissionDenied("只有创建办可以审核材料。")
        data = validated(EvidenceReviewSerializer, request)
        services.evidence_review(actor=request.user, evidence=evidence, approve=data["decision"] == "approve",
                                 reason=data["reason"], expected_version=data.get("version"),
                                 origin=Origin.from_request(request))
        return Response(EvidenceSerializer(self._reload(evidence.pk)).data)


class GapViewSet(viewsets.ViewSet):
    """查漏补缺 data of one campaign (its id is the path parameter)."""

    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]
    lookup_value_regex = r"[0-9]+"

    @extend_schema(responses={200: GapSerializer}, description="创建活动的每条测评内容及其材料状态，按测评项目和部门汇总。",
                   parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="创建活动编号"),
                               OpenApiParameter("status", OpenApiTypes.STR, enum=list(selectors.GAP_STATUSES))])
    def retrieve(self, request, pk=None):
        campaign = _campaign(request, _id(pk, "id"))
        wanted = request.query_params.get("status", "")
        filters = selectors.GapFilters(status=wanted if wanted in selectors.GAP_STATUSES else "")
        gap = selectors.gap_matrix(user=request.user, campaign=campaign, filters=filters)
        body = {
            "campaign": campaign.pk, "total": gap.total, "totals": gap.totals,
            "by_category": [{"name": f"{c.code} {c.title}".strip(), "counts": counts} for c, counts in gap.by_category],
            "by_department": [{"name": name, "counts": counts} for name, counts in gap.by_department],
            "rows": [{"criterion": r.criterion.pk, "code": r.criterion.code, "title": r.criterion.title,
                      "category": r.category.title if r.category else None, "status": r.status, "counts": r.counts,
                      "departments": r.departments} for r in gap.rows],
        }
        return Response(GapSerializer(body).data)


class ArchiveJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """迎检档案 jobs: the 创建办 starts one; the 创建办 and leaders follow its progress and download it."""

    serializer_class = ArchiveJobSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        return ArchiveJob.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=ArchiveStartSerializer, responses={202: ArchiveJobSerializer},
                   description="开始生成迎检档案（后台进行）；用返回的编号查询进度。")
    def create(self, request):
        if not request.user.has_role(Role.OFFICE):
            raise PermissionDenied("只有创建办可以生成迎检档案。")
        serializer = ArchiveStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = _campaign(request, serializer.validated_data["campaign"])
        job = archive.archive_start(actor=request.user, campaign=campaign, origin=Origin.from_request(request))
        job.refresh_from_db()
        return Response(ArchiveJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(response=OpenApiTypes.BINARY,
                                                                        description="ZIP 档案包")},
                   description="下载已完成的迎检档案。")
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if job.status != ArchiveJob.Status.DONE or not job.file:
            raise NotFound("档案尚未生成完成。")
        archive.archive_downloaded(actor=request.user, job=job, origin=Origin.from_request(request))
        response = FileResponse(job.file.open("rb"), as_attachment=True, filename=f"archive-{job.pk}.zip",
                                content_type="application/zip")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
