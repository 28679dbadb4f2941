"""What the header and the 工作台 say when a person has no campaign (issue 15, points 8 and 10): only what is true."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona, says, never", [
    ("evaluator", "暂无分派给您的测评任务", "尚未建立创建活动"),
    ("admin", "系统管理账户，不参与创建业务", "尚未建立创建活动"),
    ("security", "系统管理账户，不参与创建业务", "尚未建立创建活动"),
    ("auditor", "系统管理账户，不参与创建业务", "尚未建立创建活动"),
    ("office", "尚未建立创建活动", "系统管理账户"),
])
def test_the_header_says_what_is_true_without_a_campaign(cast, client_for, persona, says, never):
    page = client_for(cast[persona]).get(reverse("home")).content.decode()
    header = page.split('<header class="topbar">')[1].split("</header>")[0]
    assert says in header and never not in page


def test_an_evaluator_without_an_inspection_is_told_what_to_expect(cast, client_for):
    page = client_for(cast["evaluator"]).get(reverse("home")).content.decode()
    assert "分配给我的检查验收" in page and "创建办分派后，这里会列出被测单位和截止日期" in page
