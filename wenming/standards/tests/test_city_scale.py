"""A city standard (hundreds of lines) is drawn as its categories; each category's lines load when it is opened
(issue 10: the full tree cost the page ~300 ms at 500 lines). Small trees are drawn in full as before."""

import re

from django.urls import reverse

from wenming.standards.models import Criterion, Kind, Standard
from wenming.standards.selectors import LAZY_TREE_ROWS


def big_standard(cast) -> Standard:
    standard = Standard.objects.create(unit=cast.unit, name="市级细则", status=Standard.Status.PUBLISHED)
    categories = [Criterion.objects.create(standard=standard, code=f"{i + 1}", title=f"测评项目{i + 1}", depth=1,
                                           order=i, kind=Kind.SCORED) for i in range(4)]
    Criterion.objects.bulk_create([
        Criterion(standard=standard, parent=categories[i % 4], code=f"{i % 4 + 1}.{i // 4 + 1}",
                  title=f"测评内容{i}", depth=2, order=10 + i, kind=Kind.SCORED, points=1)
        for i in range(LAZY_TREE_ROWS)])
    return standard


def test_a_big_tree_shows_its_categories_and_loads_a_category_when_opened(cast, client_for):
    standard = big_standard(cast)
    client = client_for(cast["office"])
    url = reverse("standards:detail", args=[standard.pk])

    page = client.get(url).content.decode()
    assert page.count('class="node group depth-1') == 4 and "测评内容0<" not in page
    branches = re.findall(r'hx-get="[^"]*\?branch=(\d+)"', page)
    assert len(branches) == 4

    first = Criterion.objects.get(standard=standard, code="1")
    lines = client.get(url, {"branch": first.pk}, headers={"HX-Request": "true"}).content.decode()
    assert lines.count('class="node leaf depth-2') == len(range(0, LAZY_TREE_ROWS, 4))
    assert "测评内容0<" in lines and "测评内容1<" not in lines  # only that category's lines

    # Back from editing a line: its category is drawn open, so the #c… anchor is there.
    line = Criterion.objects.get(standard=standard, title="测评内容1")
    reopened = client.get(url, {"open": line.pk}).content.decode()
    assert f'id="c{line.pk}"' in reopened and reopened.count("?branch=") == 3

    # A search draws the matching lines themselves, as before.
    found = client.get(url, {"q": "测评内容7"}, headers={"HX-Request": "true", "HX-Target": "criteria-tree"})
    assert "测评内容7<" in found.content.decode() and "?branch=" not in found.content.decode()
