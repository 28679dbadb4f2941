from decimal import Decimal

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wenming.core.api import MAX_ID, DecimalText
from wenming.funding.models import BudgetLine, Expense, Receipt

MAX_MONEY = Decimal("9999999999.99")


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(BudgetLine.Category.values) + ")$",
                      "description": "类别：" + "、".join(f"{v} {label}" for v, label in BudgetLine.Category.choices)})
class CategoryField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=BudgetLine.Category.choices, **kwargs)


class BudgetLineSerializer(serializers.ModelSerializer):
    category = CategoryField(read_only=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, coerce_to_string=True)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, coerce_to_string=True)
    remaining = serializers.SerializerMethodField()
    over_budget = serializers.SerializerMethodField()
    phase_name = serializers.CharField(source="phase.name", read_only=True, default="")

    class Meta:
        model = BudgetLine
        fields = ["id", "campaign", "category", "title", "amount", "spent", "remaining", "over_budget", "phase",
                  "phase_name", "note", "version", "created_at"]
        read_only_fields = fields

    def get_remaining(self, obj) -> str:
        return f"{obj.amount - obj.spent:.2f}"

    def get_over_budget(self, obj) -> bool:
        return obj.spent > obj.amount


class BudgetLineCreateSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    category = CategoryField()
    title = serializers.CharField(max_length=120)
    amount = DecimalText(max_digits=12, decimal_places=2, min_value=0, max_value=MAX_MONEY)
    phase = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReceiptSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = ["id", "name", "size", "file_type", "mime", "sha256", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("funding:receipt", args=[obj.pk])


class ExpenseSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, coerce_to_string=True)
    campaign = serializers.IntegerField(source="budget_line.campaign_id", read_only=True)
    activity = serializers.SerializerMethodField()
    receipts = ReceiptSerializer(many=True, read_only=True)

    class Meta:
        model = Expense
        fields = ["id", "campaign", "budget_line", "spent_on", "amount", "payee", "purpose", "note", "activity",
                  "receipts", "version", "created_at"]
        read_only_fields = fields

    def get_activity(self, obj) -> int | None:
        return getattr(obj, "activity_id", None)


class ExpenseCreateSerializer(serializers.Serializer):
    budget_line = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    spent_on = serializers.DateField()
    amount = DecimalText(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_MONEY)
    payee = serializers.CharField(max_length=120)
    purpose = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    activity = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                        help_text="关联的创建活动（文体活动、志愿服务等）编号，可不填")
    receipts = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)
