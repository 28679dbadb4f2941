"""Supervision endpoints: the same access path, selectors and services as the screens."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from wenming.audit.services import Origin
from wenming.campaigns.models import Campaign, Task
from wenming.campaigns.selectors import current_campaign
from wenming.core.api import Conflict, validated
from wenming.core.api import as_drf as _as_drf
from wenming.core.api import parse_id as _id
from wenming.core.errors import ConcurrentEditError
from wenming.evidence.models import Evidence
from wenming.org.models import Department
from wenming.org.policy import api_door
from wenming.supervision import selectors, services
from wenming.supervision.api.serializers import (
    LightItemSerializer,
    OrderAnswerSerializer,
    OrderCloseSerializer,
    OrderCreateSerializer,
    OrderSendBackSerializer,
    RankingSerializer,
    SupervisionOrderSerializer,
)
from wenming.supervision.lights import Light
from wenming.supervision.models import SupervisionOrder, SupervisionSettings
from wenming.supervision.querysets import ISSUER_ROLES

HoldsOrderRole = api_door(SupervisionOrder, "view", "没有督办考核的权限。")


HoldsIssuerRole = api_door(SupervisionSettings, "view", "只有创建办和院领导可以查看部门考核。")


def _campaign(request, pk=None) -> Campaign:
    if pk is None:
        found = current_campaign(user=request.user)
    else:
        found = Campaign.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise NotFound("创建活动不存在。")
    return found


CAMPAIGN_PARAM = OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号；不填为当前创建活动")


@extend_schema(parameters=[
    CAMPAIGN_PARAM,
    OpenApiParameter("department", OpenApiTypes.INT, description="部门编号"),
    OpenApiParameter("light", OpenApiTypes.STR, enum=[Light.RED.value, Light.YELLOW.value], description="red 红灯；yellow 黄灯"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=["task", "rectification"], description="task 任务；rectification 整改"),
])
class LightViewSet(viewsets.ViewSet):
    """预警: the red and yellow tasks and rectifications of a campaign, worst first."""

    permission_classes = [permissions.IsAuthenticated, HoldsOrderRole]

    @extend_schema(responses={200: LightItemSerializer(many=True)})
    def list(self, request):
        params = request.query_params
        campaign = _campaign(request, _id(params.get("campaign"), "campaign"))
        _id(params.get("department"), "department")
        filters = selectors.WarningFilters.from_query(params)
        result = selectors.warnings(user=request.user, campaign=campaign, filters=filters)
        body = [{"kind": item.kind, "id": item.obj.pk, "title": item.title,
                 "department": item.department.pk if item.department else None,
                 "department_name": item.department.name if item.department else "", "due_on": item.due,
                 "light": item.light, "days": item.days} for item in result.items]
        return Response(LightItemSerializer(body, many=True).data)


@extend_schema(parameters=[
    OpenApiParameter("status", OpenApiTypes.STR, enum=[*SupervisionOrder.Status.values, "open"],
                     description="状态；open 为未办结"),
    OpenApiParameter("department", OpenApiTypes.INT, description="承办部门编号"),
    OpenApiParameter("year", OpenApiTypes.INT, description="年度"),
])
class SupervisionOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """督办单: the 创建办 and leaders issue, close or send back; the department's liaison answers."""

    serializer_class = SupervisionOrderSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsOrderRole]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return SupervisionOrder.objects.none()
        params = self.request.query_params
        if self.action == "list":
            for name in ("department", "year"):
                _id(params.get(name), name)
        filters = selectors.OrderFilters.from_query(params if self.action == "list" else {})
        return selectors.order_list(user=self.request.user, filters=filters).prefetch_related(
            "rounds__actor", "rounds__evidence")

    def get_object(self):
        pk = _id(self.kwargs["pk"], "id")
        found = self.get_queryset().filter(pk=pk).first() if pk is not None else None
        if found is None:
            raise NotFound("督办单不存在。")
        return found

    def _result(self, order, code=status.HTTP_200_OK):
        return Response(SupervisionOrderSerializer(self.get_queryset().get(pk=order.pk)).data, status=code)

    @extend_schema(request=OrderCreateSerializer,
                   responses={201: SupervisionOrderSerializer, 400: OpenApiResponse(description="字段错误（中文）")},
                   description="签发督办单（创建办、院领导）：按单位和年度自动编号。")
    def create(self, request):
        if not request.user.has_role(*ISSUER_ROLES):
            raise PermissionDenied("只有创建办和院领导可以签发督办单。")
        data = validated(OrderCreateSerializer, request)
        task = rectification = None
        if data.get("task"):
            task = (Task.objects.visible_to(request.user).select_related("campaign__unit", "lead_department")
                    .filter(pk=data["task"]).first())
            if task is None:
                raise ValidationError({"task": "所选任务不存在或无权督办。"}, code="does_not_exist")
        else:
            model = selectors.rectification_model()
            rectification = (model.objects.visible_to(request.user).select_related("campaign__unit", "department")
                             .filter(pk=data["rectification"]).first()) if model else None
            if rectification is None:
                raise ValidationError({"rectification": "所选整改事项不存在或无权督办。"}, code="does_not_exist")
        department = None
        if data.get("department"):
            department = Department.objects.restrict(request.user).filter(pk=data["department"]).first()
            if department is None:
                raise ValidationError({"department": "所选部门不存在。"}, code="does_not_exist")
        order = services.order_issue(actor=request.user, task=task, rectification=rectification,
                                     department=department,
                                     deadline=data["deadline"], request=data["request"],
                                     origin=Origin.from_request(request))
        return self._result(order, status.HTTP_201_CREATED)

    @extend_schema(request=OrderAnswerSerializer,
                   responses={200: SupervisionOrderSerializer, 400: OpenApiResponse(description="状态不允许或字段错误"),
                              409: OpenApiResponse(description="督办单已被他人更新")},
                   description="答复督办单（承办部门联络员）：办理情况，可关联本活动已有材料。")
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        order = self.get_object()
        if not SupervisionOrder.objects.answerable_by(request.user).filter(pk=order.pk).exists():
            raise PermissionDenied("只有承办部门的联络员可以答复。")
        data = validated(OrderAnswerSerializer, request)
        wanted = set(data["evidence"])
        found = list(Evidence.objects.visible_to(request.user).filter(pk__in=wanted, campaign_id=order.campaign_id))
        if len(found) != len(wanted):
            raise ValidationError({"evidence": "所选材料不存在或不属于本创建活动。"})
        return self._act(order, lambda: services.order_answer(
            actor=request.user, order=order, text=data["text"], evidence=found, expected_version=data.get("version"),
            origin=Origin.from_request(request)))

    @extend_schema(request=OrderCloseSerializer,
                   responses={200: SupervisionOrderSerializer, 400: OpenApiResponse(description="状态不允许"),
                              409: OpenApiResponse(description="督办单已被他人更新")},
                   description="办结督办单（创建办、院领导）。")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        order = self._decidable()
        data = validated(OrderCloseSerializer, request)
        return self._act(order, lambda: services.order_close(
            actor=request.user, order=order, text=data["text"], expected_version=data.get("version"),
            origin=Origin.from_request(request)))

    @extend_schema(request=OrderSendBackSerializer,
                   responses={200: SupervisionOrderSerializer, 400: OpenApiResponse(description="状态不允许或缺少原因"),
                              409: OpenApiResponse(description="督办单已被他人更新")},
                   description="退回答复，要求重新办理（创建办、院领导）。")
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        order = self._decidable()
        data = validated(OrderSendBackSerializer, request)
        return self._act(order, lambda: services.order_return(
            actor=request.user, order=order, reason=data["reason"], expected_version=data.get("version"),
            origin=Origin.from_request(request)))

    def _decidable(self):
        order = self.get_object()
        if not SupervisionOrder.objects.editable_by(self.request.user).filter(pk=order.pk).exists():
            raise PermissionDenied("只有创建办和院领导可以办结或退回督办单。")
        return order

    def _act(self, order, call):
        try:
            call()
        except ConcurrentEditError as error:
            raise Conflict(error.current, detail="督办单已被他人更新，请刷新后再操作。") from None
        except DjangoValidationError as error:
            raise _as_drf(error) from None
        return self._result(order)


class RankingViewSet(viewsets.ViewSet):
    """部门考核 of one campaign (its id is the path parameter)."""

    permission_classes = [permissions.IsAuthenticated, HoldsIssuerRole]
    lookup_value_regex = r"[0-9]+"

    @extend_schema(responses={200: RankingSerializer},
                   parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="创建活动编号")],
                   description="各部门按时完成率、逾期天数、材料退回、未完成整改及加权得分；不对个人排名。")
    def retrieve(self, request, pk=None):
        campaign = _campaign(request, _id(pk, "id"))
        result = selectors.ranking(user=request.user, campaign=campaign)
        s = result.settings
        body = {
            "campaign": campaign.pk, "day": result.day,
            "formula": (f"得分 = 按时完成率（按时完成 ÷ 应完成，%） × {s.weight_on_time} − 退回次数 × {s.weight_returns} − 逾期天数 × "
                        f"{s.weight_overdue_days} − 未完成整改 × {s.weight_open_rectifications}"),
            "weights": {name: getattr(s, name) for name in services.SETTINGS_FIELDS},
            "rows": [{"rank": r.rank, "department": r.department.pk, "department_name": r.department.name,
                      "tasks": r.total, "done": r.done, "due": r.due, "on_time": r.on_time, "on_time_rate": r.on_time_rate,
                      "overdue": r.overdue, "overdue_days": r.overdue_days, "returns": r.returns,
                      "open_rectifications": r.open_rectifications, "score": r.score if r.counted else None}
                     for r in result.rows],
        }
        return Response(RankingSerializer(body).data)
