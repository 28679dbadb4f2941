"""Campaign endpoints: the same access path, selectors and services as the screens."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from wenming.audit.services import Origin
from wenming.campaigns import selectors, services
from wenming.campaigns.api.serializers import (
    CampaignCreateSerializer,
    CampaignSerializer,
    CampaignWriteSerializer,
    PhaseSerializer,
    ProgressSerializer,
    RosterEntrySerializer,
    TaskCreateSerializer,
    TaskSerializer,
    TaskWriteSerializer,
    TransitionSerializer,
)
from wenming.campaigns.models import Campaign, Phase, RosterEntry, Task
from wenming.campaigns.timelimits import UnreadableTimeLimit, parse_time_limit
from wenming.core.api import as_id, required_version, validated
from wenming.core.memo import memoized
from wenming.org.models import Department, User
from wenming.org.policy import api_door
from wenming.org.roles import Role
from wenming.standards.models import Criterion, Standard

# 三员分立: accounts without a campaign role see nothing of campaign content.
HoldsCampaignRole = api_door(Task, "view", "没有查看创建活动的权限。")


def _one(queryset, pk, field):
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: "不存在或无权使用。"}, code="does_not_exist")
    return obj


CAMPAIGN_FILTER = OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动 id")
TASK_FILTERS = [
    CAMPAIGN_FILTER,
    OpenApiParameter("department", OpenApiTypes.INT, description="部门 id（牵头或配合）"),
    OpenApiParameter("phase", OpenApiTypes.INT, description="阶段 id"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Task.Status.values, description="状态"),
    OpenApiParameter("criterion", OpenApiTypes.INT, description="测评指标 id（含其下各条）"),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="只看逾期"),
    OpenApiParameter("owner", OpenApiTypes.INT, description="责任人 id"),
    OpenApiParameter("q", OpenApiTypes.STR, description="任务内容关键词"),
]


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CampaignSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).prefetch_related("phases").order_by("-year", "-id")

    def _values(self, data):
        values = dict(data)
        values.pop("version", None)
        if "standard" in values:
            values["standard"] = _one(Standard.objects.visible_to(self.request.user), values["standard"], "standard")
        return values

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignSerializer})
    def create(self, request):
        if not request.user.has_role(Role.OFFICE):
            raise PermissionDenied("只有创建办可以新建创建活动。")
        incoming = CampaignCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = self._values(incoming.validated_data)
        if not values.get("title") or not values.get("year"):
            raise ValidationError({"title": "请填写名称和年度。"})
        values.pop("status", None), values.pop("document_title", None), values.pop("document_number", None)
        campaign = services.campaign_create(actor=request.user, unit=request.user.unit,
                                            origin=Origin.from_request(request), **values)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CampaignWriteSerializer, responses={200: CampaignSerializer})
    def partial_update(self, request, pk=None):
        campaign = self.get_object()
        if not Campaign.objects.editable_by(request.user).filter(pk=campaign.pk).exists():
            raise PermissionDenied("只有创建办可以修改创建活动。")
        incoming = CampaignWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        campaign = services.campaign_update(actor=request.user, campaign=campaign,
                                            values=self._values(incoming.validated_data),
                                            expected_version=required_version(request),
                                            origin=Origin.from_request(request))
        return Response(CampaignSerializer(campaign).data)


class PhaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                   viewsets.GenericViewSet):
    serializer_class = PhaseSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        phases = Phase.objects.visible_to(self.request.user).order_by("campaign_id", "order", "id")
        campaign = self.request.query_params.get("campaign", "")
        return phases.filter(campaign_id=as_id(campaign)) if as_id(campaign) is not None else phases

    @extend_schema(parameters=[CAMPAIGN_FILTER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_update(self, serializer):
        phase = serializer.instance
        if not Phase.objects.editable_by(self.request.user).filter(pk=phase.pk).exists():
            raise PermissionDenied("只有创建办可以修改阶段。")
        data = serializer.validated_data
        serializer.instance = services.phase_save(
            actor=self.request.user, campaign=phase.campaign, phase=phase, name=data.get("name", phase.name),
            starts_on=data.get("starts_on", phase.starts_on), ends_on=data.get("ends_on", phase.ends_on),
            order=data.get("order", phase.order), summary=data.get("summary", phase.summary),
            expected_version=required_version(self.request), origin=Origin.from_request(self.request),
        )


class RosterViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = RosterEntrySerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        entries = (RosterEntry.objects.visible_to(self.request.user).select_related("person", "department")
                   .order_by("campaign_id", "order", "id"))
        campaign = self.request.query_params.get("campaign", "")
        return entries.filter(campaign_id=as_id(campaign)) if as_id(campaign) is not None else entries

    @extend_schema(parameters=[CAMPAIGN_FILTER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TaskSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            campaign_id = self.request.query_params.get("campaign", "")
            campaign = (Campaign.objects.visible_to(user).filter(pk=as_id(campaign_id)).first() if as_id(campaign_id) is not None
                        else selectors.current_campaign(user=user))
            if campaign is None:
                return Task.objects.none()
            return selectors.task_list(user=user, campaign=campaign, lists=True,
                                       filters=selectors.TaskFilters.from_query(self.request.query_params))
        return selectors.task_detail(user=user, pk=self.kwargs.get("pk"))

    def get_object(self):
        try:
            return super().get_object()
        except (Task.DoesNotExist, ValueError):
            raise NotFound from None

    @extend_schema(parameters=TASK_FILTERS, description="不带 campaign 参数时为本单位当前的创建活动。")
    def list(self, request, *args, **kwargs):
        # a page of the list is kept until the data changes (wenming.core.memo): integrations poll it
        data = memoized("api-tasks", (request.user.pk, request.build_absolute_uri(), selectors.today()),
                        lambda: super(TaskViewSet, self).list(request, *args, **kwargs).data)
        return Response(data)

    def _values(self, campaign, data) -> dict:
        user = self.request.user
        values = {}
        for name in ("title", "description"):
            if name in data:
                values[name] = data[name]
        if "lead_department" in data:
            values["lead_department"] = _one(Department.objects.visible_to(user), data["lead_department"],
                                             "lead_department")
        if "co_departments" in data:
            values["co_departments"] = list(Department.objects.visible_to(user).filter(pk__in=data["co_departments"]))
        if "criteria" in data:
            values["criteria"] = list(Criterion.objects.visible_to(user).filter(
                standard_id=campaign.standard_id, pk__in=data["criteria"]))
        for name in ("owner", "supervisor"):
            if name in data:
                values[name] = _one(User.objects.visible_to(user).business_people(), data[name], name)
        if "phase" in data:
            values["phase"] = _one(campaign.phases.all(), data["phase"], "phase")
        if "due_text" in data:
            try:
                limit = parse_time_limit(data["due_text"], year=campaign.year)
            except UnreadableTimeLimit as error:
                raise ValidationError({"due_text": str(error)}) from None
            values.update(due_text=data["due_text"], due_on=limit.due_on, starts_on=limit.starts_on,
                          recurrence=limit.recurrence)
        return values

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer},
                   parameters=[OpenApiParameter("campaign", OpenApiTypes.INT, required=True,
                                                description="创建活动 id")])
    def create(self, request):
        campaign = _one(Campaign.objects.editable_by(request.user), request.query_params.get("campaign")
                        or request.data.get("campaign"), "campaign") if request.user.has_role(Role.OFFICE) else None
        if campaign is None:
            raise PermissionDenied("只有创建办可以新增任务。")
        incoming = TaskCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = self._values(campaign, incoming.validated_data)
        if not values.get("title"):
            raise ValidationError({"title": "请填写工作任务。"})
        task = services.task_create(actor=request.user, campaign=campaign, origin=Origin.from_request(request),
                                    **values)
        return Response(TaskSerializer(selectors.task_detail(user=request.user, pk=task.pk).get(pk=task.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=TaskWriteSerializer, responses={200: TaskSerializer})
    def partial_update(self, request, pk=None):
        task = self.get_object()
        if not Task.objects.editable_by(request.user).filter(pk=task.pk).exists():
            raise PermissionDenied("只能修改本部门牵头的任务。")
        incoming = TaskWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        values = self._values(task.campaign, incoming.validated_data)
        if "lead_department" in values and not request.user.has_role(Role.OFFICE):
            raise PermissionDenied("牵头部门由创建办调整。")
        services.task_update(actor=request.user, task=task, values=values,
                             expected_version=required_version(request),
                             origin=Origin.from_request(request))
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=TransitionSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """开始办理、提交审核、审核通过或退回（退回须写原因）。"""
        task = self.get_object()
        data = validated(TransitionSerializer, request)
        allowed = (Task.objects.approvable_by(request.user) if data["action"] in services.APPROVAL_ACTIONS
                   else Task.objects.progress_editable_by(request.user))
        if not allowed.filter(pk=task.pk).exists():
            raise PermissionDenied("无权对此任务执行该操作。")
        services.task_transition(actor=request.user, task=task, action=data["action"],
                                 reason=data.get("reason", ""), expected_version=data.get("version"),
                                 origin=Origin.from_request(request))
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=ProgressSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """报告进度（0–100）。"""
        task = self.get_object()
        if not Task.objects.progress_editable_by(request.user).filter(pk=task.pk).exists():
            raise PermissionDenied("只有责任人、本部门联络员或创建办可以报告进度。")
        incoming = ProgressSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.task_report_progress(actor=request.user, task=task, progress=incoming.validated_data["progress"],
                                      expected_version=incoming.validated_data.get("version"),
                                      origin=Origin.from_request(request))
        return Response(TaskSerializer(self.get_queryset().get(pk=task.pk)).data)
