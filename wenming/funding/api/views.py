"""Funding endpoints: the same access path and services as the screens (创建办 writes, leaders read)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign, Phase
from wenming.core.api import fetch as _fetch
from wenming.core.api import parse_id as _id
from wenming.core.api import validated
from wenming.funding import selectors, services
from wenming.funding.api.serializers import (
    BudgetLineCreateSerializer,
    BudgetLineSerializer,
    ExpenseCreateSerializer,
    ExpenseSerializer,
)
from wenming.funding.models import BudgetLine, Expense
from wenming.org.policy import api_door
from wenming.org.roles import Role

# Only the 创建办 and leaders see the money.
SeesFunding = api_door(BudgetLine, "view", "没有查看工作经费的权限。")


def _office_only(request):
    if not request.user.has_role(Role.OFFICE):
        raise PermissionDenied("只有创建办可以登记经费。")


CAMPAIGN_PARAM = OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号")


@extend_schema(parameters=[CAMPAIGN_PARAM])
class BudgetLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """经费预算 with what has been spent on each line."""

    serializer_class = BudgetLineSerializer
    permission_classes = [permissions.IsAuthenticated, SeesFunding]

    def get_queryset(self):
        user = self.request.user
        lines = selectors.budget_lines(user=user).order_by("campaign_id", "category", "id")
        if self.action == "list":
            campaign = _id(self.request.query_params.get("campaign"), "campaign")
            if campaign:
                lines = lines.filter(campaign_id=campaign)
        return lines

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=BudgetLineCreateSerializer,
                   responses={201: BudgetLineSerializer, 400: OpenApiResponse(description="各字段的错误（中文）")},
                   description="新增预算项目（仅创建办）。")
    def create(self, request):
        _office_only(request)
        data = validated(BudgetLineCreateSerializer, request)
        campaign = Campaign.objects.editable_by(request.user).filter(pk=data["campaign"]).first()
        if campaign is None:
            raise NotFound("创建活动不存在。")
        phase = None
        if data.get("phase"):
            phase = Phase.objects.filter(campaign=campaign, pk=data["phase"]).first()
            if phase is None:
                raise ValidationError({"phase": "所选阶段不属于这个创建活动。"})
        line = services.budget_line_create(actor=request.user, campaign=campaign, category=data["category"],
                                           title=data["title"], amount=data["amount"], phase=phase,
                                           note=data["note"], origin=Origin.from_request(request))
        return Response(BudgetLineSerializer(self.get_queryset().get(pk=line.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[CAMPAIGN_PARAM,
                           OpenApiParameter("budget_line", OpenApiTypes.INT, description="预算项目编号")])
class ExpenseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """经费支出 with their receipts."""

    serializer_class = ExpenseSerializer
    permission_classes = [permissions.IsAuthenticated, SeesFunding]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        user = self.request.user
        items = (Expense.objects.visible_to(user).select_related("budget_line")
                 .prefetch_related("receipts").order_by("-spent_on", "-id"))
        if self.action == "list":
            params = self.request.query_params
            campaign, line = _id(params.get("campaign"), "campaign"), _id(params.get("budget_line"), "budget_line")
            if campaign:
                items = items.filter(budget_line__campaign_id=campaign)
            if line:
                items = items.filter(budget_line_id=line)
        return items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request={"multipart/form-data": ExpenseCreateSerializer},
                   responses={201: ExpenseSerializer, 400: OpenApiResponse(description="各字段或各票据的错误（中文）")},
                   description="登记一笔支出（仅创建办），可附票据（PDF 或图片，按内容检查）；任何一个票据被拒则全部不保存。")
    def create(self, request):
        _office_only(request)
        data = validated(ExpenseCreateSerializer, request)
        line = BudgetLine.objects.editable_by(request.user).select_related("campaign__unit").filter(
            pk=data["budget_line"]).first()
        if line is None:
            raise NotFound("预算项目不存在。")
        activity = selectors.activity_of(campaign=line.campaign, pk=data.get("activity"))
        expense = services.expense_create(
            actor=request.user, budget_line=line, spent_on=data["spent_on"], amount=data["amount"],
            payee=data["payee"], purpose=data["purpose"], note=data["note"], activity=activity,
            receipts=data["receipts"], origin=Origin.from_request(request))
        return Response(ExpenseSerializer(self.get_queryset().get(pk=expense.pk)).data, status=status.HTTP_201_CREATED)
