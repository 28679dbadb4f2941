"""Assessment endpoints: the same access paths, selectors and services as the screens. Evaluators read and score
only the inspections assigned to them; the unit reads an inspection's scores only once it is submitted."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from wenming.assessments import selectors, services
from wenming.assessments.api.serializers import (
    AssessmentSerializer,
    AssessmentTransitionSerializer,
    FindingCreateSerializer,
    FindingSerializer,
    RectificationCreateSerializer,
    RectificationSerializer,
    RespondSerializer,
    ScoreCreateSerializer,
    ScoreSerializer,
    ScoreWriteSerializer,
    TotalsSerializer,
    VerifySerializer,
)
from wenming.assessments.models import Assessment, Finding, Rectification, Score
from wenming.audit.services import Origin
from wenming.core.api import fetch as _fetch
from wenming.core.api import parse_id as _id
from wenming.core.api import required_version, validated
from wenming.evidence.models import Evidence
from wenming.org.models import Department
from wenming.org.policy import api_door
from wenming.org.roles import Role
from wenming.standards.models import Criterion

HoldsAssessmentRole = api_door(Assessment, "view", "没有查看测评的权限。")


CAMPAIGN = OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号")
ASSESSMENT = OpenApiParameter("assessment", OpenApiTypes.INT, description="测评编号")
CONFLICT = OpenApiResponse(description="版本不符：他人已修改，重新读取后再保存")


@extend_schema(parameters=[CAMPAIGN])
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AssessmentSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsAssessmentRole]

    def get_queryset(self):
        items = Assessment.objects.visible_to(self.request.user).prefetch_related("team").order_by("-created_at", "-id")
        campaign = _id(self.request.query_params.get("campaign"), "campaign")
        return items.filter(campaign_id=campaign) if campaign else items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(responses={200: TotalsSerializer, 403: OpenApiResponse(description="检查验收提交前不可见")},
                   description="测评的小计、总分和是否达标（由评分模块计算）。")
    @action(detail=True, methods=["get"])
    def totals(self, request, pk=None):
        assessment = _fetch(Assessment.objects.scores_visible_to(request.user).select_related(
            "campaign__standard"), _id(pk, "id"))
        result = selectors.totals_for(assessment)
        return Response(TotalsSerializer({
            "base": result.base, "bonus": result.bonus, "total": result.total, "maximum": result.maximum,
            "pass_score": result.pass_score, "passed": result.passed, "vetoed": result.vetoed,
            "rescaled": result.rescaled, "scored": result.scored, "to_score": result.to_score,
            "categories": [{"criterion": c.key, "code": c.code, "title": c.title, "earned": c.earned,
                            "maximum": c.maximum, "is_bonus": c.is_bonus, "vetoed": c.vetoed}
                           for c in result.categories],
        }).data)

    @extend_schema(request=AssessmentTransitionSerializer, responses={200: AssessmentSerializer, 409: CONFLICT},
                   description="开始评分、提交、锁定或退回修改。")
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        assessment = self.get_object()
        user = request.user
        if not (Assessment.objects.editable_by(user).filter(pk=assessment.pk).exists()
                or Assessment.objects.scorable_by(user).filter(pk=assessment.pk).exists()):
            raise PermissionDenied("没有变更这次测评状态的权限。")
        incoming = AssessmentTransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        assessment = services.assessment_transition(
            actor=request.user, assessment=assessment, to=incoming.validated_data["to"],
            expected_version=incoming.validated_data.get("version"), origin=Origin.from_request(request))
        return Response(AssessmentSerializer(self.get_queryset().get(pk=assessment.pk)).data)


@extend_schema(parameters=[ASSESSMENT])
class ScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One line's score. PATCH carries the line's version; a stale one answers 409 and changes nothing."""

    serializer_class = ScoreSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsAssessmentRole]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        items = Score.objects.visible_to(self.request.user).order_by("assessment_id", "criterion_id")
        assessment = _id(self.request.query_params.get("assessment"), "assessment")
        return items.filter(assessment_id=assessment) if assessment else items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    def _save(self, request, assessment, criterion, data):
        if not Assessment.objects.scorable_by(request.user).filter(pk=assessment.pk).exists():
            raise PermissionDenied("没有为这次测评评分的权限。")
        values = {k: data.get(k) for k in ("points", "grade", "missing", "triggered", "not_applicable", "note")}
        return services.score_save(actor=request.user, assessment=assessment, criterion=criterion, values=values,
                                   expected_version=data.get("version"), origin=Origin.from_request(request))

    @extend_schema(request=ScoreCreateSerializer, responses={200: ScoreSerializer, 409: CONFLICT},
                   description="为一行评分（该行尚无评分时 version 为 0 或省略）。")
    def create(self, request):
        data = validated(ScoreCreateSerializer, request)
        assessment = Assessment.objects.visible_to(request.user).select_related("campaign").filter(
            pk=data["assessment"]).first()
        if assessment is None:
            raise NotFound("测评不存在。")
        criterion = Criterion.objects.filter(standard_id=assessment.campaign.standard_id, pk=data["criterion"]).first()
        if criterion is None:
            raise ValidationError({"criterion": "该测评项不属于本次测评所用的测评体系。"})
        score = self._save(request, assessment, criterion, data)
        return Response(ScoreSerializer(score).data)

    @extend_schema(request=ScoreWriteSerializer, responses={200: ScoreSerializer, 409: CONFLICT},
                   description="修改一行评分；须带读取时的 version。")
    def partial_update(self, request, pk=None):
        score = self.get_object()
        incoming = ScoreWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = {"points": score.points, "grade": score.grade, "missing": score.missing, "triggered": score.triggered,
                "not_applicable": score.not_applicable, "note": score.note, **incoming.validated_data,
                "version": required_version(request)}
        assessment = Assessment.objects.select_related("campaign").get(pk=score.assessment_id)
        criterion = Criterion.objects.get(pk=score.criterion_id)
        score = self._save(request, assessment, criterion, data)
        return Response(ScoreSerializer(score).data)


@extend_schema(parameters=[ASSESSMENT])
class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FindingSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsAssessmentRole]

    def get_queryset(self):
        items = Finding.objects.visible_to(self.request.user).order_by("assessment_id", "id")
        assessment = _id(self.request.query_params.get("assessment"), "assessment")
        return items.filter(assessment_id=assessment) if assessment else items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=FindingCreateSerializer, responses={201: FindingSerializer}, description="记录一个问题。")
    def create(self, request):
        data = validated(FindingCreateSerializer, request)
        user = request.user
        assessment = Assessment.objects.scores_visible_to(user).select_related("campaign").filter(
            pk=data["assessment"]).first()
        if assessment is None:
            raise NotFound("测评不存在或尚不可见。")
        may = (Assessment.objects.scorable_by(user).filter(pk=assessment.pk).exists()
               or (Assessment.objects.editable_by(user).filter(pk=assessment.pk).exists()
                   and not assessment.is_inspection))
        if not may:
            raise PermissionDenied("没有为这次测评记录问题的权限。")
        criterion = None
        if data.get("criterion"):
            criterion = Criterion.objects.filter(standard_id=assessment.campaign.standard_id,
                                                 pk=data["criterion"]).first()
            if criterion is None:
                raise ValidationError({"criterion": "该测评项不属于本次测评所用的测评体系。"})
        finding = services.finding_create(actor=user, assessment=assessment, criterion=criterion,
                                          description=data["description"], severity=data["severity"],
                                          origin=Origin.from_request(request))
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[CAMPAIGN, OpenApiParameter("status", OpenApiTypes.STR, enum=Rectification.Status.values,
                                                      description="状态")])
class RectificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """整改台账: the 创建办 assigns and verifies; the owner department's liaison responds."""

    serializer_class = RectificationSerializer
    permission_classes = [permissions.IsAuthenticated, HoldsAssessmentRole]

    def get_queryset(self):
        items = (Rectification.objects.visible_to(self.request.user).select_related("department")
                 .prefetch_related("evidence").order_by("due_on", "id"))
        if self.action != "list":
            return items
        params = self.request.query_params
        campaign = _id(params.get("campaign"), "campaign")
        if campaign:
            items = items.filter(campaign_id=campaign)
        if params.get("status"):
            if params["status"] not in Rectification.Status.values:
                raise ValidationError({"status": "未知的状态。"})
            items = items.filter(status=params["status"])
        return items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    def _reload(self, pk):
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=RectificationCreateSerializer, responses={201: RectificationSerializer},
                   description="交办整改：把问题交给责任部门，并定整改时限（仅创建办）。")
    def create(self, request):
        data = validated(RectificationCreateSerializer, request)
        if not request.user.has_role(Role.OFFICE):
            raise PermissionDenied("只有创建办可以交办整改。")
        finding = Finding.objects.visible_to(request.user).filter(pk=data["finding"]).first()
        if finding is None:
            raise NotFound("问题不存在。")
        department = Department.objects.restrict(request.user).filter(pk=data["department"]).first()
        if department is None:
            raise ValidationError({"department": "所选部门不存在。"}, code="does_not_exist")
        item = services.rectification_assign(actor=request.user, finding=finding, department=department,
                                             due_on=data["due_on"], requirement=data["requirement"],
                                             origin=Origin.from_request(request))
        return Response(RectificationSerializer(self._reload(item.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RespondSerializer, responses={200: RectificationSerializer, 409: CONFLICT},
                   description="整改反馈：责任部门联络员填写措施并附佐证材料，提交核验。")
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        item = self.get_object()
        if not Rectification.objects.respondable_by(request.user).filter(pk=item.pk).exists():
            raise PermissionDenied("只有责任部门的联络员可以反馈整改。")
        data = validated(RespondSerializer, request)
        evidence = list(Evidence.objects.visible_to(request.user).filter(campaign_id=item.campaign_id,
                                                                         pk__in=data["evidence"]))
        if len(evidence) != len(set(data["evidence"])):
            raise ValidationError({"evidence": "部分佐证材料不存在或无权使用。"}, code="does_not_exist")
        services.rectification_respond(actor=request.user, rectification=item, measures=data["measures"],
                                       evidence=evidence, expected_version=data.get("version"),
                                       origin=Origin.from_request(request))
        return Response(RectificationSerializer(self._reload(item.pk)).data)

    @extend_schema(request=VerifySerializer, responses={200: RectificationSerializer, 409: CONFLICT},
                   description="核验：销号，或写明原因退回（仅创建办）。")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        item = self.get_object()
        if not Rectification.objects.editable_by(request.user).filter(pk=item.pk).exists():
            raise PermissionDenied("只有创建办可以核验整改。")
        data = validated(VerifySerializer, request)
        services.rectification_verify(actor=request.user, rectification=item, close=data["decision"] == "close",
                                      reason=data["reason"], expected_version=data.get("version"),
                                      origin=Origin.from_request(request))
        return Response(RectificationSerializer(self._reload(item.pk)).data)
