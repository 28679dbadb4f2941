from datetime import datetime

import pytest
from django.utils import timezone

from wenming.activities import services
from wenming.activities.models import ActivityKind
from wenming.evidence.tests.conftest import make_campaign


def the_campaign(cast):
    from wenming.campaigns.models import Campaign

    return Campaign.objects.filter(unit=cast.unit).first() or make_campaign(cast)


def kind(cast, name="道德讲堂"):
    services.kinds_ensure(unit=cast.unit)
    return ActivityKind.objects.get(unit=cast.unit, name=name)


def at(day: int, hour: int, month: int = 3):
    return timezone.make_aware(datetime(2021, month, day, hour, 0))


def make_activity(cast, *, campaign=None, kind_name="道德讲堂", department=None, organiser=None, codes=("3",),
                  title="3月道德讲堂", day=5, actor=None):
    campaign = campaign or the_campaign(cast)
    actor = actor or cast["liaison_a"]
    return services.activity_create(
        actor=actor, campaign=campaign, kind=kind(cast, kind_name), title=title, starts_at=at(day, 9),
        ends_at=at(day, 11), department=department or cast.dept_a, organiser=organiser or cast["liaison_a"],
        place="五楼会议室", criteria=[campaign.standard.criteria.get(code=c) for c in codes],
    )


@pytest.fixture
def campaign(cast):
    return the_campaign(cast)


@pytest.fixture
def activity(cast, campaign):
    return make_activity(cast, campaign=campaign)
