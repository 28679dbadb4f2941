"""The materials list names each criterion by its code and a short title, not by the bare code."""

from datetime import date

import pytest

from wenming.campaigns import services
from wenming.evidence.models import Evidence
from wenming.standards.models import Criterion, Standard

pytestmark = pytest.mark.django_db


def test_the_evidence_list_shows_code_and_short_title(cast, client_for):
    standard = Standard.objects.create(unit=cast.unit, name="细则", status=Standard.Status.PUBLISHED)
    line = Criterion.objects.create(standard=standard, code="II-5", title="每月至少报送1篇创建工作信息", points=1)
    campaign = services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年", year=2021,
                                        standard=standard)
    item = Evidence.objects.create(campaign=campaign, title="三月信息", occurred_on=date(2021, 3, 1),
                                   uploader=cast["office"])
    item.criteria.add(line)
    page = client_for(cast["office"]).get(f"/evidence/campaigns/{campaign.pk}/").content.decode()
    assert '<span class="code">II-5</span> 每月至少报送1篇创建工作信息' in page
