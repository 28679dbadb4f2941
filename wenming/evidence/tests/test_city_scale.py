"""The gap view at city scale (issue 10): the summaries count every scored line, the table shows a page."""

from django.urls import reverse

from wenming.evidence.tests.test_review_and_gaps import gap_campaign
from wenming.evidence.views import GAP_PAGE_SIZE


def test_the_gap_table_is_paged_and_the_totals_cover_every_line(cast, client_for):
    campaign = gap_campaign(cast, GAP_PAGE_SIZE + 10)
    client = client_for(cast["office"])
    url = reverse("evidence:gaps", args=[campaign.pk])

    first = client.get(url).content.decode()
    assert first.count('<td class="code-col">') == GAP_PAGE_SIZE
    assert f'<span class="n">{GAP_PAGE_SIZE + 10}</span>' in first  # 全部测评内容 counts them all
    assert "page=2" in first

    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('<td class="code-col">') == 10

    pending = client.get(url, {"status": "pending"}).content.decode()  # filters still apply before paging
    assert 0 < pending.count('<td class="code-col">') < GAP_PAGE_SIZE and "待审核" in pending
