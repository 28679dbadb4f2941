"""Reading the 完成时限 column of a 工作分解表: Chinese time limits as written by clerks.

Pure functions, no database. `parse_time_limit("2021年6月底前", year=2021)` →
`TimeLimit(due_on=date(2021, 6, 30), recurrence="once")`. When the year is left out ("9月1日-10月31日",
"2月上旬") the campaign's year is used. Anything not understood raises `UnreadableTimeLimit` with a message
that quotes the text, so the import lists it as a problem of its row instead of guessing.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

ONCE, MONTHLY, QUARTERLY, HALF_YEARLY, ONGOING = "once", "monthly", "quarterly", "half_yearly", "ongoing"

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
ONGOING_WORDS = ("长期坚持", "常态化", "长期", "持续推进", "持续开展", "经常性", "日常", "全年", "随时", "及时",
                 "坚持", "持续")
MONTHLY_WORDS = ("每月", "按月", "逐月", "月度")
QUARTERLY_WORDS = ("每季度", "每季", "按季度", "按季", "季度", "逐季")
HALF_YEARLY_WORDS = ("每半年", "半年一次", "每年两次", "半年度")
YEARLY_WORDS = ("每年", "年度", "年内", "全年完成", "年底前", "年底", "年末", "年终")
QUARTER_NAMES = {"一": 1, "1": 1, "二": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}
EXCEL_EPOCH = date(1899, 12, 30)


class UnreadableTimeLimit(ValueError):
    pass


@dataclass(frozen=True)
class TimeLimit:
    """What a time limit means: a due date, optionally a start (for ranges), and how often it recurs."""

    due_on: date | None = None
    recurrence: str = ONCE
    starts_on: date | None = None

    def describe(self) -> str:
        """The limit written back in the annex's words (used by the export)."""
        words = {MONTHLY: "每月", QUARTERLY: "每季度", HALF_YEARLY: "每半年", ONGOING: "长期坚持"}
        if self.recurrence in words:
            return words[self.recurrence]
        if self.due_on is None:
            return ""
        due = f"{self.due_on.year}年{self.due_on.month}月{self.due_on.day}日"
        if self.starts_on:
            return f"{self.starts_on.year}年{self.starts_on.month}月{self.starts_on.day}日-{due}"
        return due


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _cn_number(text: str) -> str:
    """二〇二一 → 2021, 十二 → 12, 二十一 → 21, 三十 → 30 (only the small numbers dates use)."""

    def small(match):
        word = match.group(0)
        if "十" in word:
            tens, _sep, ones = word.partition("十")
            return str((CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0))
        return "".join(str(CN_DIGITS[ch]) for ch in word)

    return re.sub(r"[〇零○Ｏ一二两三四五六七八九十]+(?=[年月日号])", small, text)


def _normalise(text: str) -> str:
    text = str(text).translate(str.maketrans("０１２３４５６７８９．／－—～〜：　", "0123456789./--~~: "))
    text = re.sub(r"\s+", "", text)
    text = text.replace("至", "-").replace("~", "-").replace("到", "-").replace("—", "-").replace("–", "-")
    text = re.sub(r"-+", "-", text)
    text = re.sub(r"(之前|以前|前完成|前|止|完成|为止|截止|底止)$", lambda m: "前" if "前" in m.group(0) else "", text)
    return _cn_number(text)


def _day(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UnreadableTimeLimit(_("“%(text)s”不是有效的日期。") % {"text": original}) from None


def _year(value: str | None, default: int) -> int:
    if not value:
        return default
    number = int(value)
    return number + 2000 if number < 100 else number


# One point in time, with or without a year: 2021年6月底, 2021年6月30日, 2021.9.30, 2021-11-15, 6月30日, 6月, 6月上旬.
POINT = re.compile(
    r"^(?:(?P<year>\d{4})(?:年|[.\-/])|(?P<year2>\d{2})年)?(?P<month>\d{1,2})(?:月|[.\-/](?=\d)|(?<=\d)$)"
    r"(?:(?P<day>\d{1,2})[日号]?|(?P<part>底|末|初|上旬|中旬|下旬|中|份))?$"
)


def _point(text: str, year: int, original: str, *, as_start: bool = False) -> date:
    match = POINT.match(text)
    if not match or re.fullmatch(r"\d{1,2}", text):
        raise UnreadableTimeLimit(_("无法识别的完成时限“%(text)s”。") % {"text": original})
    y, month = _year(match["year"] or match["year2"], year), int(match["month"])
    if not 1 <= month <= 12:
        raise UnreadableTimeLimit(_("“%(text)s”中的月份不对。") % {"text": original})
    if match["day"]:
        return _day(y, month, int(match["day"]), original)
    part = match["part"] or ""
    if as_start:
        return {"中旬": date(y, month, 11), "下旬": date(y, month, 21), "中": date(y, month, 11)}.get(part, date(y, month, 1))
    if part == "初":
        return date(y, month, 5)
    if part == "上旬":
        return date(y, month, 10)
    if part in ("中旬", "中"):
        return date(y, month, 20)
    return month_end(y, month)


def parse_time_limit(text, *, year: int) -> TimeLimit:
    """Read one 完成时限 cell. Empty text means no limit; unreadable text raises UnreadableTimeLimit."""
    if text is None:
        return TimeLimit()
    if hasattr(text, "year") and hasattr(text, "month"):  # a date cell
        return TimeLimit(due_on=date(text.year, text.month, text.day))
    original = str(text).strip()
    if not original:
        return TimeLimit()
    s = _normalise(original)

    if re.fullmatch(r"\d{5}(\.0)?", s) and 20000 < float(s) < 80000:  # an Excel date serial typed as a number
        return TimeLimit(due_on=EXCEL_EPOCH + timedelta(days=int(float(s))))
    if any(word in s for word in HALF_YEARLY_WORDS):
        return TimeLimit(recurrence=HALF_YEARLY)
    if any(s.startswith(word) or s == word for word in MONTHLY_WORDS):
        return TimeLimit(recurrence=MONTHLY)
    if any(s.startswith(word) for word in ("每季度", "每季", "按季度", "按季", "逐季")) or s == "季度":
        return TimeLimit(recurrence=QUARTERLY)
    if any(word in s for word in ONGOING_WORDS) and not re.search(r"\d", s):
        return TimeLimit(recurrence=ONGOING)

    # 2021年第三季度, 第三季度, 三季度, 2021Q3, 第3季度末
    quarter = re.fullmatch(r"(?:(\d{2,4})年?)?第?([一二三四1-4])季度?(?:末|底|内|前)?|(?:(\d{4}))?[Qq]([1-4])", s)
    if quarter:
        y = _year(quarter[1] or quarter[3], year)
        q = QUARTER_NAMES[quarter[2] or quarter[4]]
        return TimeLimit(starts_on=date(y, 3 * q - 2, 1), due_on=month_end(y, 3 * q))

    # 上半年, 2021年下半年
    half = re.fullmatch(r"(?:(\d{2,4})年)?([上下])半年(?:末|底|内|前)?", s)
    if half:
        y = _year(half[1], year)
        return (TimeLimit(starts_on=date(y, 1, 1), due_on=date(y, 6, 30)) if half[2] == "上"
                else TimeLimit(starts_on=date(y, 7, 1), due_on=date(y, 12, 31)))

    # 2021年底, 年底前, 年内, 每年
    year_end = re.fullmatch(r"(?:(\d{2,4})年)?(?:底|末|内|终)?(?:前)?", s)
    if year_end and year_end[1] and s != year_end[1]:
        return TimeLimit(due_on=date(_year(year_end[1], year), 12, 31))
    if any(s == word or s == word + "前" for word in YEARLY_WORDS):
        return TimeLimit(due_on=date(year, 12, 31))

    # A range: 9月1日-10月31日, 2021年7月-8月, 7-8月, 2021.7.1-2021.8.31
    if "-" in s and not re.fullmatch(r"\d{2,4}-\d{1,2}(-\d{1,2})?前?", s):
        left, _sep, right = s.partition("-")
        short = re.fullmatch(r"(\d{1,2})", left)
        if short and re.fullmatch(r"\d{1,2}月.*", right):  # 7-8月 means July to August
            left = f"{left}月"
        start_year = re.match(r"(\d{4})年", left)
        if start_year and not re.match(r"\d{4}", right):
            right = f"{start_year[1]}年{right}"
        right = right.removesuffix("前")
        starts_on = _point(left, year, original, as_start=True)
        due_on = _point(right, starts_on.year, original)
        if due_on < starts_on:
            raise UnreadableTimeLimit(_("“%(text)s”的结束早于开始。") % {"text": original})
        return TimeLimit(starts_on=starts_on, due_on=due_on)

    # 6月前 = before June begins (the end of May); other points read as the last day they cover.
    before_month = re.fullmatch(r"(?:(\d{2,4})年)?(\d{1,2})月(?:份)?前", s)
    if before_month:
        y, month = _year(before_month[1], year), int(before_month[2])
        if not 1 <= month <= 12:
            raise UnreadableTimeLimit(_("“%(text)s”中的月份不对。") % {"text": original})
        return TimeLimit(due_on=date(y, month, 1) - timedelta(days=1))
    point = s.removesuffix("前")
    if re.fullmatch(r"\d{4}", point):  # just a year: by its end
        return TimeLimit(due_on=date(int(point), 12, 31))
    return TimeLimit(due_on=_point(point, year, original))
