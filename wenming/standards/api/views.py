"""Standards endpoints: everyone in scope reads; the unit's 创建办 imports and refines. Same services as the UI."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from wenming.audit.services import Origin
from wenming.core.api import as_id, validated
from wenming.core.tables import UnreadableFile, read_upload
from wenming.org.policy import api_door
from wenming.org.roles import Role
from wenming.standards import selectors, services
from wenming.standards.api.serializers import (
    CriterionSerializer,
    ImportPreviewSerializer,
    ImportSerializer,
    RefineSerializer,
    StandardSerializer,
)
from wenming.standards.exchange import _node_dict
from wenming.standards.models import Criterion, Standard
from wenming.standards.parsing import fmt, parse_file

# 三员分立: accounts without a campaign role see nothing of campaign content.
HoldsCampaignRole = api_door(Standard, "view", "没有查看测评体系的权限。")


def _as_drf(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


def _plain(summary: dict) -> dict:
    """Decimals as strings, the way DRF writes them elsewhere."""
    out = {}
    for key, value in summary.items():
        if isinstance(value, list):
            out[key] = [{k: fmt(v) if k == "points" else v for k, v in item.items()} for item in value]
        elif key in ("total_points", "bonus_cap"):
            out[key] = fmt(value)
        else:
            out[key] = value
    return out


class StandardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StandardSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        return selectors.standard_list(user=self.request.user)

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError, OverflowError):
            raise NotFound from None

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={200: ImportPreviewSerializer, 201: ImportPreviewSerializer,
                   400: OpenApiResponse(response=OpenApiTypes.OBJECT,
                                        description="confirm=true 而文件有错误时返回预览和问题；参数有误时返回各字段的错误")},
        description="上传测评细则：不带 confirm 时只返回预览（树、各级合计、全部问题）；confirm=true 且没有错误时保存为草稿（201）。",
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request):
        if not request.user.has_role(Role.OFFICE):
            raise PermissionDenied("只有创建办可以导入测评体系。")
        data = validated(ImportSerializer, request)
        uploaded = data["file"]
        try:
            content = read_upload(uploaded)
        except UnreadableFile as error:
            raise ValidationError({"file": [str(error)]}) from None
        result = parse_file(content, uploaded.name)
        body = {"ok": result.ok, "summary": _plain(result.summary()), "standard": None,
                "problems": [problem.as_dict() for problem in result.problems],
                "criteria": [_node_dict(node) for node in result.roots]}
        if not data["confirm"]:
            return Response(body)
        if not result.ok:
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        try:
            standard = services.standard_import(
                actor=request.user, unit=request.user.unit, parsed=result, name=data.get("name", ""),
                issuer=data.get("issuer", ""), level=data.get("level", ""), year=data.get("year"),
                pass_score=data.get("pass_score"), origin=Origin.from_request(request),
            )
        except DjangoValidationError as error:
            raise _as_drf(error) from None
        standard.line_count = result.summary()["lines"]
        body["standard"] = StandardSerializer(standard).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("standard", OpenApiTypes.INT, description="只列出这个测评体系的测评项")])
class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CriterionSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        criteria = Criterion.objects.visible_to(self.request.user).order_by("standard_id", "depth", "order", "id")
        standard = self.request.query_params.get("standard")
        if standard:
            if as_id(standard) is None:
                raise ValidationError({"standard": "应为测评体系的编号（数字）。"})
            criteria = criteria.filter(standard_id=as_id(standard))
        return criteria

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError, OverflowError):
            raise NotFound from None

    @extend_schema(request=RefineSerializer,
                   responses={201: CriterionSerializer,
                              400: OpenApiResponse(response=OpenApiTypes.OBJECT, description="输入有误")},
                   description="在这一条下添加本单位细化。已发布的测评体系会自动创建新版本草稿，细化加在草稿中。")
    @action(detail=True, methods=["post"])
    def refine(self, request, pk=None):
        parent = self.get_object()
        if not Criterion.objects.editable_by(request.user).filter(pk=parent.pk).exists():
            raise PermissionDenied("只有创建办可以添加本单位细化。")
        data = validated(RefineSerializer, request)
        try:
            criterion = services.criterion_refine(
                actor=request.user, parent=parent, title=data["title"], code=data.get("code", ""),
                content=data.get("content", ""), scoring=data.get("scoring", ""), points=data.get("points"),
                methods=data.get("methods", []), materials=data.get("materials", ""),
                department=data.get("department", ""), origin=Origin.from_request(request),
            )
        except DjangoValidationError as error:
            raise _as_drf(error) from None
        return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)
