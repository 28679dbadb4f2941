import pytest

from wenming.campaigns import services


@pytest.fixture
def campaign(cast):
    return services.campaign_create(actor=cast["office"], unit=cast.unit, title="2021年创建市级文明单位", year=2021)
