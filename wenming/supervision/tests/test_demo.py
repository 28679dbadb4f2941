"""The demo campaign shows all three lights, two open 督办单 (one answered, awaiting the issuer) and a ranking."""

import pytest
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.org.models import User
from wenming.supervision import demo, selectors
from wenming.supervision.models import SupervisionOrder

pytestmark = pytest.mark.django_db


def test_demo_supervision_is_complete_and_idempotent():
    from wenming.campaigns import demo as campaigns_demo
    from wenming.org import demo as org_demo
    from wenming.standards import demo as standards_demo

    for module in (org_demo, standards_demo, campaigns_demo):  # the parts ours builds on (evidence is optional)
        module.load()
    assert len(demo._load_orders()) == 3
    assert demo._load_orders() == []  # a second run changes nothing
    campaign = Campaign.objects.get(title=f"{timezone.localdate().year}年创建市级文明单位")
    office = User.objects.get(username="office")
    assert {"red", "yellow", "green"} <= {k for k, n in selectors.light_counts(user=office, campaign=campaign).items() if n}
    orders = SupervisionOrder.objects.filter(campaign=campaign)
    statuses = sorted(orders.values_list("status", flat=True))
    assert statuses == ["answered", "closed", "issued"]
    answered = orders.get(status="answered")
    assert answered.rounds.filter(kind="answered").exists()
    assert SupervisionOrder.objects.visible_to(User.objects.get(username="liaison_a")).get() == answered
    ranked = [row for row in selectors.ranking(user=office, campaign=campaign).rows if row.rank]
    assert len(ranked) >= 8 and ranked[0].rank == 1
