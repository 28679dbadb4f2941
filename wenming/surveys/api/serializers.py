from rest_framework import serializers

from wenming.surveys.models import Response, Survey


class SurveySerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="status_now", read_only=True,
                                   help_text="状态：draft 草稿、open 收集中、closed 已结束（已过截止时间的为 closed）")
    audience = serializers.CharField(read_only=True, help_text="作答对象：public 群众、staff 干警")
    measure = serializers.CharField(read_only=True, help_text="计算指标：satisfaction 满意率、awareness 知晓率、none")
    criterion_code = serializers.CharField(source="criterion.code", read_only=True, default="")
    answers = serializers.IntegerField(read_only=True, help_text="有效答卷数（不含剔除的）")

    class Meta:
        model = Survey
        fields = ["id", "campaign", "title", "status", "audience", "measure", "target_size", "opens_at", "closes_at",
                  "criterion", "criterion_code", "answers", "created_at", "closed_at"]
        read_only_fields = fields


class ChoiceCountSerializer(serializers.Serializer):
    choice = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    correct = serializers.BooleanField(help_text="是否为正确答案（知晓率测试）")


class QuestionResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    key = serializers.CharField()
    text = serializers.CharField()
    kind = serializers.CharField()
    answered = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    choices = ChoiceCountSerializer(many=True)


class RateRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    sample = serializers.IntegerField()
    good = serializers.IntegerField()
    total = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class ResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    measure = serializers.CharField()
    formula = serializers.CharField()
    sample = serializers.IntegerField(help_text="有效样本")
    received = serializers.IntegerField(help_text="收到的答卷（含剔除的）")
    excluded = serializers.IntegerField()
    flagged = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    proposed_points = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    by_group = RateRowSerializer(many=True)
    by_point = RateRowSerializer(many=True)
    questions = QuestionResultSerializer(many=True)


class AnswerSheetSerializer(serializers.ModelSerializer):
    point_name = serializers.CharField(source="point.name", read_only=True, default="")
    group = serializers.CharField(read_only=True, help_text="受访者类别")
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Response
        fields = ["id", "submitted_at", "point", "point_name", "group", "seconds", "flags", "excluded",
                  "exclude_reason", "answers"]
        read_only_fields = fields

    def get_answers(self, response) -> dict[str, list[str]]:
        given: dict[str, list[str]] = {}
        for answer in response.answers.all():
            given.setdefault(answer.key, []).append(answer.choice or answer.text)
        return given
