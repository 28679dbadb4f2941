from rest_framework import serializers

from wenming.core.api import MAX_ID, version_field
from wenming.supervision.lights import Light
from wenming.supervision.models import OrderRound, SupervisionOrder


class LightItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("task", "工作任务"), ("rectification", "整改")])
    id = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.IntegerField(allow_null=True)
    department_name = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(allow_null=True)
    light = serializers.ChoiceField(choices=Light.choices)
    days = serializers.IntegerField(help_text="红灯：逾期天数；黄灯：剩余天数")


class OrderRoundSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.real_name", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = OrderRound
        fields = ["id", "kind", "text", "actor", "actor_name", "evidence", "created_at"]
        read_only_fields = fields


class SupervisionOrderSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, help_text="如“督办〔2026〕第3号”")
    department_name = serializers.CharField(source="department.name", read_only=True)
    target_title = serializers.CharField(read_only=True, help_text="督办的任务或整改事项")
    issued_by_name = serializers.CharField(source="issued_by.real_name", read_only=True)
    light = serializers.ChoiceField(choices=Light.choices, read_only=True, required=False)
    rounds = OrderRoundSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionOrder
        fields = ["id", "code", "year", "number", "campaign", "task", "rectification", "target_title", "department", "department_name",
                  "deadline", "request", "status", "light", "issued_by", "issued_by_name", "issued_at",
                  "answered_at", "closed_at", "version", "rounds"]
        read_only_fields = fields


class OrderCreateSerializer(serializers.Serializer):
    task = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                    help_text="督办的任务编号（与 rectification 二选一）")
    rectification = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                             help_text="督办的整改事项编号（与 task 二选一）")
    department = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                          help_text="承办部门；不填为任务的牵头部门")
    deadline = serializers.DateField(help_text="办理时限，不早于今天")
    request = serializers.CharField(max_length=2000, help_text="督办事项及要求")

    def validate(self, attrs):
        if bool(attrs.get("task")) == bool(attrs.get("rectification")):
            raise serializers.ValidationError({"task": "请指定一项任务或一项整改（只能选其一）。"})
        return attrs


class OrderAnswerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000, help_text="办理情况")
    evidence = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False,
                                     default=list, max_length=50, help_text="关联的本活动已有材料编号")
    version = version_field()


class OrderCloseSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = version_field()


class OrderSendBackSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="退回原因")
    version = version_field()


class RankRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    tasks = serializers.IntegerField()
    done = serializers.IntegerField()
    due = serializers.IntegerField(help_text="应完成：已完成或已过时限的任务")
    on_time = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(max_digits=5, decimal_places=1)
    overdue = serializers.IntegerField()
    overdue_days = serializers.IntegerField()
    returns = serializers.IntegerField()
    open_rectifications = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)


class WeightsSerializer(serializers.Serializer):
    warn_days = serializers.IntegerField()
    weight_on_time = serializers.DecimalField(max_digits=6, decimal_places=2)
    weight_returns = serializers.DecimalField(max_digits=6, decimal_places=2)
    weight_overdue_days = serializers.DecimalField(max_digits=6, decimal_places=2)
    weight_open_rectifications = serializers.DecimalField(max_digits=6, decimal_places=2)


class RankingSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    day = serializers.DateField()
    formula = serializers.CharField()
    weights = WeightsSerializer()
    rows = RankRowSerializer(many=True)
