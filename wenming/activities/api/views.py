"""Activity, attendance and volunteer-hour endpoints: the same access path and services as the screens."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from wenming.activities import services
from wenming.activities.api.serializers import (
    ActivityCreateSerializer,
    ActivitySerializer,
    ActivityWriteSerializer,
    AttendanceSerializer,
    SignInSerializer,
    VolunteerRecordSerializer,
)
from wenming.activities.models import Activity, ActivityDocument, ActivityKind, Attendance, VolunteerRecord
from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign, Task
from wenming.core.api import fetch as _fetch
from wenming.core.api import parse_id as _id
from wenming.core.api import validated
from wenming.evidence.services import criteria_for
from wenming.org.models import Department, User
from wenming.org.policy import api_door

HoldsCampaignRole = api_door(Activity, "view", "没有查看创建活动记录的权限。")


def _relations(user, campaign: Campaign, data: dict) -> dict:
    """Ids in the request, re-read within the campaign's unit; a wrong id is a clear 400."""
    picked = {}
    if "kind" in data:
        picked["kind"] = ActivityKind.objects.restrict(user).filter(pk=data["kind"]).first()
        if picked["kind"] is None:
            raise DjangoValidationError({"kind": "活动类型不存在。"})
    for name, model in (("department", Department), ("organiser", User)):
        if name in data:
            picked[name] = model.objects.restrict(user).filter(pk=data[name]).first() if data[name] else None
            if data[name] and picked[name] is None:
                raise DjangoValidationError({name: "所选部门或人员不属于本单位。"})
    if "criteria" in data:
        picked["criteria"] = criteria_for(campaign, data["criteria"])
    if "tasks" in data:
        ids = set(data["tasks"])
        picked["tasks"] = list(Task.objects.visible_to(user).filter(campaign=campaign, pk__in=ids))
        if len(picked["tasks"]) != len(ids):
            raise DjangoValidationError({"tasks": "所选任务不存在或不属于本创建活动。"})
    return picked


@extend_schema(parameters=[
    OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号"),
    OpenApiParameter("kind", OpenApiTypes.INT, description="活动类型编号"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Activity.Status.values, description="状态"),
])
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """活动与会议: list, read, register and change (the same rules as the screens)."""

    serializer_class = ActivitySerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        items = (Activity.objects.visible_to(self.request.user)
                 .select_related("kind", "department", "organiser")
                 .prefetch_related("criteria", "tasks", Prefetch("documents", queryset=ActivityDocument.objects.only(
                     "id", "activity_id", "evidence_id")))
                 .annotate(attendance_total=Count("attendance", distinct=True)).order_by("-starts_at", "-id"))
        if self.action != "list":
            return items
        params = self.request.query_params
        campaign, kind = _id(params.get("campaign"), "campaign"), _id(params.get("kind"), "kind")
        if campaign:
            items = items.filter(campaign_id=campaign)
        if kind:
            items = items.filter(kind_id=kind)
        if params.get("status"):
            if params["status"] not in Activity.Status.values:
                raise ValidationError({"status": "未知的状态。"})
            items = items.filter(status=params["status"])
        return items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=ActivityCreateSerializer,
                   responses={201: ActivitySerializer, 400: OpenApiResponse(description="各字段的错误（中文）")},
                   description="登记一项活动或会议；campaign、kind、title、starts_at、ends_at 必填。")
    def create(self, request):
        data = validated(ActivityCreateSerializer, request)
        campaign = Campaign.objects.visible_to(request.user).select_related("unit").filter(pk=data["campaign"]).first()
        if campaign is None:
            raise NotFound("创建活动不存在。")
        picked = _relations(request.user, campaign, data)
        if "department" not in picked:
            picked["department"] = request.user.department
        activity = services.activity_create(
            actor=request.user, campaign=campaign, title=data["title"], starts_at=data["starts_at"],
            ends_at=data["ends_at"], place=data.get("place", ""), description=data.get("description", ""),
            status=data.get("status", Activity.Status.PLANNED), origin=Origin.from_request(request), **picked)
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivityWriteSerializer,
                   responses={200: ActivitySerializer, 400: OpenApiResponse(description="各字段的错误（中文）")},
                   description="修改活动；关联的测评指标变化时，活动材料的指标随之变化。")
    def partial_update(self, request, pk=None):
        activity = self.get_object()
        if not Activity.objects.editable_by(request.user).filter(pk=activity.pk).exists():
            raise PermissionDenied("没有修改这项活动的权限。")
        data = validated(ActivityWriteSerializer, request)
        campaign = Campaign.objects.select_related("unit").get(pk=activity.campaign_id)
        picked = _relations(request.user, campaign, data)
        criteria, tasks = picked.pop("criteria", None), picked.pop("tasks", None)
        values = {name: data[name] for name in ("title", "starts_at", "ends_at", "place", "description",
                                                "summary", "status") if name in data}
        services.activity_update(actor=request.user, activity=activity, values={**values, **picked},
                                 criteria=criteria, tasks=tasks, expected_version=data["version"],
                                 origin=Origin.from_request(request))
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data)

    @extend_schema(request=ActivityWriteSerializer,
                   responses={200: ActivitySerializer, 400: OpenApiResponse(description="各字段的错误（中文）")},
                   description="修改活动（只改所给字段，同 PATCH）。")
    def update(self, request, pk=None):
        return self.partial_update(request, pk)


@extend_schema(parameters=[OpenApiParameter("activity", OpenApiTypes.INT, description="活动编号")])
class AttendanceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """签到: who signed in to which activity; sign in with the QR code's token, or (organisers) for someone."""

    serializer_class = AttendanceSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        items = (Attendance.objects.visible_to(self.request.user)
                 .select_related("person__department").order_by("activity_id", "signed_at", "id"))
        activity = _id(self.request.query_params.get("activity"), "activity")
        return items.filter(activity_id=activity) if activity else items

    @extend_schema(request=SignInSerializer,
                   responses={201: AttendanceSerializer, 200: AttendanceSerializer,
                              400: OpenApiResponse(description="签到码无效、已截止或活动已取消")},
                   description="本人签到（带二维码中的签到码），或组织人代为登记（带 person）。重复签到返回已有记录（200）。")
    def create(self, request):
        data = validated(SignInSerializer, request)
        activity = Activity.objects.visible_to(request.user).select_related("campaign").filter(
            pk=data["activity"]).first()
        if activity is None:
            raise NotFound("活动不存在。")
        if data.get("person"):
            if not Activity.objects.editable_by(request.user).filter(pk=activity.pk).exists():
                raise PermissionDenied("只有活动的组织人和创建办可以代为登记。")
            person = User.objects.restrict(request.user).business_people().filter(
                pk=data["person"]).first()
            if person is None:
                raise DjangoValidationError({"person": "人员不属于本单位。"})
            row, created = services.attendance_sign_in(
                person=person, activity=activity, recorded_by=request.user, method=Attendance.Method.ROSTER,
                origin=Origin.from_request(request))
        else:
            row, created = services.attendance_sign_in(
                person=request.user, activity=activity, token=data.get("token", ""),
                method=Attendance.Method.QR, origin=Origin.from_request(request))
        row = Attendance.objects.select_related("person__department").get(pk=row.pk)
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(parameters=[OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号")])
class VolunteerRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """志愿服务时长 (imported from the volunteer systems): the whole unit's for the 创建办, leaders and liaisons,
    one's own for staff."""

    serializer_class = VolunteerRecordSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        items = (VolunteerRecord.objects.visible_to(self.request.user)
                 .select_related("person__department").order_by("-served_on", "id"))
        campaign = _id(self.request.query_params.get("campaign"), "campaign")
        return items.filter(campaign_id=campaign) if campaign else items
