import pytest

from wenming.surveys import services
from wenming.surveys.models import Survey


def the_campaign(cast):
    from wenming.campaigns.models import Campaign
    from wenming.evidence.tests.conftest import make_campaign

    return Campaign.objects.filter(unit=cast.unit).first() or make_campaign(cast)


def make_survey(cast, *, template="public_satisfaction", code="3", opened=True, **values) -> Survey:
    campaign = the_campaign(cast)
    criterion = campaign.standard.criteria.get(code=code) if code else None
    survey = services.survey_create(actor=cast["office"], campaign=campaign, template=template, criterion=criterion)
    values.setdefault("min_seconds", 0)
    services.survey_update(actor=cast["office"], survey=survey, values=values)
    if opened:
        survey = services.survey_open(actor=cast["office"], survey=survey)
    return Survey.objects.select_related("campaign__unit", "criterion").get(pk=survey.pk)


def satisfied_answers(survey, choice="满意", **overrides) -> dict:
    """Every question answered: the satisfaction scale with `choice`, other kinds sensibly."""
    from wenming.surveys.selectors import questions_of

    raw = {}
    for question in questions_of(survey):
        if question.kind == "satisfaction":
            raw[question.key] = [choice]
        elif question.kind == "rating":
            raw[question.key] = ["5"]
        elif question.kind == "multiple":
            raw[question.key] = list(question.answer_key or question.options[:1])
        elif question.kind == "single":
            raw[question.key] = [question.answer_key[0] if question.answer_key else question.options[0]]
    raw.update(overrides)
    return raw


def submit(survey, *, device, raw=None, group="public", point=None, address="a1", seconds=60, **kwargs):
    point = point if point is not None else survey.points.first()
    return services.response_submit(survey=survey, raw=raw if raw is not None else satisfied_answers(survey),
                                    point=point, group=group, device=device, address=address, seconds=seconds,
                                    **kwargs)


@pytest.fixture
def campaign(cast):
    return the_campaign(cast)


@pytest.fixture
def survey(cast, campaign):
    return make_survey(cast)
