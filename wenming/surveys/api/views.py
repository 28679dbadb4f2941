"""Survey endpoints: the list, the results (the same selector as the screen) and the answers, page by page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response as ApiResponse

from wenming.campaigns.querysets import CAMPAIGN_ROLES
from wenming.core.api import fetch as _fetch
from wenming.core.api import parse_id as _id
from wenming.surveys import selectors
from wenming.surveys.api.serializers import AnswerSheetSerializer, ResultsSerializer, SurveySerializer
from wenming.surveys.models import Survey


class HoldsCampaignRole(permissions.BasePermission):
    message = "没有查看问卷的权限。"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.unit_id and user.has_role(*CAMPAIGN_ROLES))


def results_data(results) -> dict:
    progress = results.progress
    return {
        "survey": results.survey.pk, "measure": results.survey.measure, "formula": results.formula,
        "sample": results.sample, "received": progress.total, "excluded": progress.excluded,
        "flagged": progress.flagged, "rate": results.rate, "proposed_points": results.proposal_points,
        "by_group": [{"label": r.label, "sample": r.sample, "good": r.good, "total": r.total, "rate": r.rate}
                     for r in results.by_group],
        "by_point": [{"label": r.label, "sample": r.sample, "good": r.good, "total": r.total, "rate": r.rate}
                     for r in results.by_point],
        "questions": [{"number": item.number, "key": item.question.key, "text": item.question.text,
                       "kind": item.question.kind, "answered": item.answered, "rate": item.rate,
                       "choices": [{"choice": c, "count": n, "percent": p, "correct": k} for c, n, p, k in item.rows]}
                      for item in results.questions],
    }


@extend_schema(parameters=[OpenApiParameter("campaign", OpenApiTypes.INT, description="创建活动编号")])
class SurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """问卷测评: the surveys the person sees; results and answers for the 创建办 and leaders."""

    serializer_class = SurveySerializer
    permission_classes = [permissions.IsAuthenticated, HoldsCampaignRole]

    def get_queryset(self):
        items = (Survey.objects.visible_to(self.request.user).select_related("criterion")
                 .annotate(answers=selectors.sheets_subquery()).order_by("-id"))
        campaign = _id(self.request.query_params.get("campaign"), "campaign") if self.action == "list" else None
        return items.filter(campaign_id=campaign) if campaign else items

    def get_object(self):
        return _fetch(self.get_queryset(), self.kwargs["pk"])

    def _readable(self) -> Survey:
        survey = self.get_object()
        if not Survey.objects.results_visible_to(self.request.user).filter(pk=survey.pk).exists():
            raise PermissionDenied("只有创建办和领导可以查看问卷结果。")
        return Survey.objects.select_related("campaign", "criterion").get(pk=survey.pk)

    @extend_schema(responses=ResultsSerializer, description="各题人数与比例、满意率/知晓率（公式同页面）、按类别和抽样点的比率、建议得分。")
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        results = selectors.survey_results(survey=self._readable())
        return ApiResponse(ResultsSerializer(results_data(results)).data)

    @extend_schema(responses=AnswerSheetSerializer(many=True),
                   parameters=[OpenApiParameter("show", OpenApiTypes.STR, enum=["flagged", "excluded"],
                                                description="只看有异常标记的或已剔除的答卷")],
                   description="原始答卷（分页）。公众答卷不含个人信息，手机号码脱敏保存。")
    @action(detail=True, methods=["get"])
    def answers(self, request, pk=None):
        survey = self._readable()
        show = request.query_params.get("show", "")
        responses = selectors.response_list(survey=survey, show=show if show in ("flagged", "excluded") else "")
        page = self.paginate_queryset(responses)
        return self.get_paginated_response(AnswerSheetSerializer(page, many=True).data)
