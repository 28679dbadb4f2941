"""Issue 15 item 11: the names of generated files carry Beijing time and one extension."""

from datetime import UTC, datetime
from urllib.parse import unquote

from django.utils import timezone
from openpyxl import Workbook

from wenming.core.xlsx import xlsx_response


def test_an_export_is_named_with_beijing_time_and_one_extension(monkeypatch):
    # 2026-12-02 06:50 UTC is 14:50 in Beijing
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 2, 6, 50, tzinfo=UTC))
    for given in ("2026年创建市级文明单位-整改台账.xlsx", "2026年创建市级文明单位-整改台账"):
        disposition = unquote(xlsx_response(Workbook(), given)["Content-Disposition"])
        assert disposition.endswith("''2026年创建市级文明单位-整改台账-20261202-1450.xlsx"), disposition
