"""The answering pages through Django's client: the public page sets its device cookie, takes one answer per
device, names unanswered questions, shows nothing but the questionnaire; 干警 answer once, signed in."""

from django.test import Client
from django.urls import reverse

from wenming.surveys.models import Response
from wenming.surveys.selectors import questions_of
from wenming.surveys.tests.conftest import make_survey, satisfied_answers


def form(survey, page, **extra):
    data = {f"q_{key}": values for key, values in satisfied_answers(survey).items()}
    data.update({"group": "litigant", "started": page.context["started"], **extra})
    return data


def test_a_phone_answers_once_through_the_public_page(cast):
    survey = make_survey(cast)
    url = reverse("surveys:public", args=[survey.points.first().token])
    phone = Client(enforce_csrf_checks=False)
    page = phone.get(url)
    assert page.status_code == 200 and "wm_survey_device" in page.cookies
    html = page.content.decode()
    assert survey.title in html and cast.unit.name in html
    assert "sidebar" not in html and "创建办" not in html and "/api/" not in html
    done = phone.post(url, form(survey, page))
    assert done.status_code == 200 and "感谢" in done.content.decode()
    again = phone.post(url, form(survey, page))
    assert again.status_code == 409 and "每台设备只能提交一次" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    assert "已经提交过" in phone.get(url).content.decode()


def test_missing_answers_are_named_and_a_forged_cookie_is_refused(cast):
    survey = make_survey(cast)
    url = reverse("surveys:public", args=[survey.points.first().token])
    phone = Client()
    page = phone.get(url)
    data = form(survey, page)
    data.pop(f"q_{questions_of(survey)[1].key}")
    refused = phone.post(url, data)
    assert refused.status_code == 400 and "第 2 题：请选择。" in refused.content.decode()
    forged = Client()
    forged.cookies["wm_survey_device"] = "made-up"
    assert forged.post(url, form(survey, page)).status_code == 400
    assert not Response.objects.exists()


def test_a_closed_survey_says_so_and_takes_nothing(cast):
    survey = make_survey(cast, opened=False)
    url = reverse("surveys:public", args=[survey.points.first().token])
    page = Client().get(url)
    assert "尚未开始" in page.content.decode()


def test_staff_answer_their_test_once_signed_in(cast, client_for):
    survey = make_survey(cast, template="staff_awareness", code=None)
    client = client_for(cast["staff_a"])
    url = reverse("surveys:answer", args=[survey.pk])
    page = client.get(url)
    data = {f"q_{key}": values for key, values in satisfied_answers(survey).items()}
    data["started"] = page.context["started"]
    assert "感谢" in client.post(url, data).content.decode()
    assert Response.objects.get(survey=survey).respondent == cast["staff_a"]
    assert "您于" in client.get(url).content.decode()
