"""The answering pages through Django's client: the public page sets its device cookie, takes one answer per
device, names unanswered questions, shows nothing but the questionnaire; 干警 answer once, signed in."""

import re
import shutil
import subprocess
import tempfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wenming.core import fonts
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


@pytest.fixture
def language_kept():
    """A request in English leaves the thread's language switched (the middleware activates, never resets)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def test_the_public_page_follows_the_chosen_language_with_a_switch(cast, language_kept):
    survey = make_survey(cast)
    url = reverse("surveys:public", args=[survey.points.first().token])
    phone = Client()
    html = phone.get(url).content.decode()
    assert 'name="language" value="en"' in html and "提交问卷" in html
    switched = phone.post(reverse("set_language"), {"language": "en", "next": url})
    assert switched.status_code == 302 and switched["Location"] == url
    page = phone.get(url)
    assert page["Content-Language"] == "en" and 'value="zh-hans"' in page.content.decode()


def test_a_chinese_only_survey_offers_no_switch_and_stays_chinese(cast, language_kept):
    survey = make_survey(cast, chinese_only=True)
    url = reverse("surveys:public", args=[survey.points.first().token])
    phone = Client()
    phone.cookies["django_language"] = "en"
    page = phone.get(url)
    html = page.content.decode()
    assert page["Content-Language"] == "zh-hans" and 'lang="zh-Hans"' in html
    assert 'name="language"' not in html and "提交问卷" in html and "您的身份" in html


def test_the_pdf_poster_carries_the_unit_title_point_and_a_qr_code(cast, client_for):

    if fonts.chinese_font() is None:
        pytest.skip("fonts-noto-cjk is not installed")
    survey = make_survey(cast)
    point = survey.points.first()
    reply = client_for(cast["office"]).get(reverse("surveys:poster_pdf", args=[survey.pk, point.pk]))
    assert reply.status_code == 200 and reply["Content-Type"] == "application/pdf"
    content = reply.content
    assert content.startswith(b"%PDF") and len(content) < 300_000
    if shutil.which("pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(content)
            handle.flush()
            text = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, text=True,
                                  check=True).stdout
            info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
        squeezed = "".join(text.split())
        assert cast.unit.name in squeezed and survey.title in squeezed and point.name in squeezed
        assert "请用手机扫描二维码参与问卷" in squeezed
        assert "595.28 x 841.89" in info and re.search(r"^Pages:\s+1$", info, re.M)  # one A4 page
