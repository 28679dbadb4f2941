"""Publicity endpoints: the same access path and services as the screens."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign
from wenming.core.api import fetch as _fetch
from wenming.core.api import not_found, validated
from wenming.core.api import parse_id as _id
from wenming.evidence.services import criteria_for
from wenming.org.models import Department
from wenming.org.policy import api_door
from wenming.org.roles import Role
from wenming.org.services import check_department_owned
from wenming.publicity import selectors, services
from wenming.publicity.api.serializers import (
    PracticeCreateSerializer,
    PracticeSerializer,
    PublicityItemCreateSerializer,
    PublicityItemSerializer,
    SuperiorReportCreateSerializer,
    SuperiorReportSerializer,
)
from wenming.publicity.models import Channel, Level, Practice, PublicityItem, SuperiorReport

PARSERS = [MultiPartParser, FormParser, JSONParser]
CAMPAIGN_PARAM = OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号")


# 三员分立: accounts without a campaign role see no campaign content.
HoldsCampaignRole = api_door(PublicityItem, "view", "没有查看宣传报道的权限。")


def _campaign(request, pk) -> Campaign:
    found = Campaign.objects.visible_to(request.user).select_related("standard", "unit").filter(pk=pk).first()
    if found is None:
        raise NotFound("创建活动不存在。")
    return found


@extend_schema(parameters=[
    CAMPAIGN_PARAM, OpenApiParameter("channel", OpenApiTypes.STR, enum=Channel.values, description="宣传渠道"),
    OpenApiParameter("level", OpenApiTypes.STR, enum=Level.values, description="媒体级别"),
    OpenApiParameter("month", OpenApiTypes.STR, description="月份，如 2021-05"),
])
class PublicityItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """宣传报道 (the ledger)."""

    serializer_class = PublicityItemSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]
    parser_classes = PARSERS

    def get_queryset(self):
        user = self.request.user
        items = (PublicityItem.objects.visible_to(user).select_related("department")
                 .prefetch_related("criteria").order_by("-published_on", "-id"))
        if self.action != "list":
            return items
        params = self.request.query_params
        campaign = _id(params.get("campaign"), "campaign")
        if campaign:
            items = items.filter(campaign_id=campaign)
        for name, values in (("channel", Channel.values), ("level", Level.values)):
            if params.get(name):
                if params[name] not in values:
                    raise ValidationError({name: "未知的取值。"})
                items = items.filter(**{name: params[name]})
        if params.get("month"):
            bounds = selectors._month_bounds(params["month"][:7])
            if bounds is None:
                raise ValidationError({"month": "月份格式应为 YYYY-MM。"})
            items = items.filter(published_on__gte=bounds[0], published_on__lt=bounds[1])
        return items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request={"multipart/form-data": PublicityItemCreateSerializer},
                   responses={201: PublicityItemSerializer, 400: OpenApiResponse(description="各字段的错误（中文）")},
                   description="登记一篇宣传报道（创建办，或部门联络员为本部门登记）；截图或链接同时作为所选指标的创建材料。")
    def create(self, request):
        user = request.user
        if not (user.has_role(Role.OFFICE) or (user.has_role(Role.LIAISON) and user.department_id)):
            raise PermissionDenied("只有创建办和部门联络员可以登记宣传报道。")
        data = validated(PublicityItemCreateSerializer, request)
        campaign = _campaign(request, data["campaign"])
        department = None if user.has_role(Role.OFFICE) else user.department
        if data.get("department"):
            department = Department.objects.restrict(user).filter(pk=data["department"]).first()
            if department is None:
                raise not_found("department", "所选部门不存在。")
            check_department_owned(user, department)  # the 创建办 names any; a liaison only their own
        item = services.item_create(
            actor=user, campaign=campaign, channel=data["channel"], level=data["level"], title=data["title"],
            published_on=data["published_on"], outlet=data["outlet"], link=data["link"], department=department,
            author=data["author"], criteria=criteria_for(campaign, data["criteria"]),
            screenshot=data.get("screenshot"), origin=Origin.from_request(request))
        return Response(PublicityItemSerializer(self.get_queryset().get(pk=item.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(parameters=[CAMPAIGN_PARAM])
class SuperiorReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """向上级报送."""

    serializer_class = SuperiorReportSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]
    parser_classes = PARSERS

    def get_queryset(self):
        items = SuperiorReport.objects.visible_to(self.request.user).order_by("-reported_on", "-id")
        if self.action == "list":
            campaign = _id(self.request.query_params.get("campaign"), "campaign")
            if campaign:
                items = items.filter(campaign_id=campaign)
        return items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request={"multipart/form-data": SuperiorReportCreateSerializer},
                   responses={201: SuperiorReportSerializer, 400: OpenApiResponse(description="各字段的错误（中文）")},
                   description="登记一次向上级报送（仅创建办），可附稿件。")
    def create(self, request):
        if not request.user.has_role(Role.OFFICE):
            raise PermissionDenied("只有创建办可以登记向上级报送。")
        data = validated(SuperiorReportCreateSerializer, request)
        campaign = _campaign(request, data["campaign"])
        report = services.report_create(
            actor=request.user, campaign=campaign, recipient=data["recipient"], title=data["title"],
            reported_on=data["reported_on"], level=data["level"], adopted=data["adopted"],
            adopted_note=data["adopted_note"], file=data.get("file"), origin=Origin.from_request(request))
        return Response(SuperiorReportSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("tag", OpenApiTypes.STR, description="标签"),
                           OpenApiParameter("q", OpenApiTypes.STR, description="搜索标题、做法、来源单位")])
class PracticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """经验做法 (the unit's library of other units' good practice)."""

    serializer_class = PracticeSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]
    parser_classes = PARSERS

    def get_queryset(self):
        if self.action != "list":
            return Practice.objects.visible_to(self.request.user).select_related("added_by")
        params = self.request.query_params
        return selectors.practice_list(user=self.request.user, tag=params.get("tag", "").strip()[:20],
                                       q=params.get("q", "").strip()[:100])

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request={"multipart/form-data": PracticeCreateSerializer},
                   responses={201: PracticeSerializer, 400: OpenApiResponse(description="各字段的错误（中文）")},
                   description="添加一条外单位经验做法（创建办、部门联络员）。")
    def create(self, request):
        user = request.user
        if not user.has_role(Role.OFFICE, Role.LIAISON):
            raise PermissionDenied("只有创建办和部门联络员可以添加经验做法。")
        data = validated(PracticeCreateSerializer, request)
        practice = services.practice_create(
            actor=user, unit=user.unit, source_unit=data["source_unit"], title=data["title"],
            summary=data["summary"], tags=data["tags"], link=data["link"], file=data.get("file"),
            origin=Origin.from_request(request))
        return Response(PracticeSerializer(self.get_queryset().get(pk=practice.pk)).data,
                        status=status.HTTP_201_CREATED)
