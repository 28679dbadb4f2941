from datetime import date
from decimal import Decimal

import pytest

from wenming.campaigns import services as campaign_services
from wenming.funding import services
from wenming.standards.models import Criterion, Standard


def make_campaign(cast, *, year=2021):
    standard = Standard.objects.create(unit=cast.unit, name="细则", status=Standard.Status.PUBLISHED)
    Criterion.objects.create(standard=standard, code="3", title="宣传工作", points=1)
    return campaign_services.campaign_create(actor=cast["office"], unit=cast.unit, title=f"{year}年创建市级文明单位",
                                             year=year, standard=standard)


def the_campaign(cast):
    from wenming.campaigns.models import Campaign

    return Campaign.objects.filter(unit=cast.unit).first() or make_campaign(cast)


def make_line(cast, campaign=None, *, amount="1000.00", title="宣传展板制作", category="publicity", phase=None):
    return services.budget_line_create(actor=cast["office"], campaign=campaign or the_campaign(cast),
                                       category=category, title=title, amount=Decimal(amount), phase=phase)


def make_expense(cast, line=None, *, amount="300.00", receipts=(), spent_on=date(2021, 3, 5)):
    return services.expense_create(actor=cast["office"], budget_line=line or make_line(cast), spent_on=spent_on,
                                   amount=Decimal(amount), payee="某某广告公司", purpose="展板 6 块",
                                   receipts=receipts)


@pytest.fixture
def campaign(cast):
    return make_campaign(cast)
