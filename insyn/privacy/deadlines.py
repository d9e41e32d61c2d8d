"""Deadlines of data-subject requests (GDPR Art. 12(3)), counted as Regulation (EEC, Euratom) No 1182/71 counts.

Pure functions, no database.

- Art. 3(1) second subparagraph: the day of receipt is not counted; the period starts the next day.
- Art. 3(2)(c): a period in months ends with the day of the last month that has the same date as the day
  from which it runs; when that date does not occur in the last month (31 January + 1 month), it ends with the
  last day of that month (28 or 29 February).
- Art. 3(4): when the last day is a public holiday, a Saturday or a Sunday, the period ends with the following
  working day. Art. 2(1): public holidays are those designated in the Member State; for Sweden the allmänna
  helgdagar of lag (1989:253). The project has no `holidays` dependency and core has no working-day calendar,
  so the Swedish list is computed here (Easter by the Gregorian computus); other countries pass their own dates.
- Art. 12(3): the one month may be extended by two further months; we count the extended period as three months
  from the same receipt (not two months from an already shortened end: 31 Jan → 30 Apr, not 28 Apr), the reading
  that keeps the period the regulation grants, and only with a reason and a notice sent within the first month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

FIRST_PERIOD_MONTHS = 1
EXTENSION_MONTHS = 2
DUE_SOON_DAYS = 7

HolidayCalendar = Callable[[int], frozenset[dt.date]]


def add_months(start: dt.date, months: int) -> dt.date:
    """The same date `months` later, or the last day of that month when the date does not exist (1182/71 3(2)(c))."""
    index = start.month - 1 + months
    year = start.year + index // 12
    month = index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lw) // 451
    month, day = divmod(h + lw - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _saturday_between(start: dt.date) -> dt.date:
    """The Saturday in the seven days from `start` (midsommardagen, alla helgons dag)."""
    return start + dt.timedelta(days=(5 - start.weekday()) % 7)


@lru_cache(maxsize=256)
def swedish_public_holidays(year: int) -> frozenset[dt.date]:
    """Allmänna helgdagar, lag (1989:253) 1 §. Sundays are holidays too but are already weekend days.

    Midsommarafton, julafton and nyårsafton are not allmänna helgdagar (they are treated like Sundays only by
    lag (1930:173) for Swedish statutory periods, which does not govern an EU regulation's periods)."""
    easter = easter_sunday(year)
    return frozenset(
        {
            dt.date(year, 1, 1),  # nyårsdagen
            dt.date(year, 1, 6),  # trettondedag jul
            easter - dt.timedelta(days=2),  # långfredagen
            easter,  # påskdagen
            easter + dt.timedelta(days=1),  # annandag påsk
            dt.date(year, 5, 1),  # första maj
            easter + dt.timedelta(days=39),  # Kristi himmelsfärdsdag
            easter + dt.timedelta(days=49),  # pingstdagen
            dt.date(year, 6, 6),  # Sveriges nationaldag
            _saturday_between(dt.date(year, 6, 20)),  # midsommardagen
            _saturday_between(dt.date(year, 10, 31)),  # alla helgons dag
            dt.date(year, 12, 25),  # juldagen
            dt.date(year, 12, 26),  # annandag jul
        }
    )


def is_working_day(day: dt.date, holidays: HolidayCalendar = swedish_public_holidays) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def next_working_day_on_or_after(day: dt.date, holidays: HolidayCalendar = swedish_public_holidays) -> dt.date:
    """1182/71 Art. 3(4): a period ending on a Saturday, Sunday or public holiday ends on the next working day."""
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=1)
    return day


def nominal_end(received_on: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` from receipt, before Art. 3(4) moves it."""
    return add_months(received_on, months)


def request_deadline(
    received_on: dt.date, *, months: int = FIRST_PERIOD_MONTHS, holidays: HolidayCalendar = swedish_public_holidays
) -> dt.date:
    """The last day to answer a request received on `received_on` (Art. 12(3) as counted by 1182/71)."""
    if months < 1:
        raise ValueError("months must be at least 1")
    return next_working_day_on_or_after(nominal_end(received_on, months), holidays)


def extended_deadline(received_on: dt.date, *, holidays: HolidayCalendar = swedish_public_holidays) -> dt.date:
    """The last day after the Art. 12(3) extension by two further months."""
    return request_deadline(received_on, months=FIRST_PERIOD_MONTHS + EXTENSION_MONTHS, holidays=holidays)


@dataclass(frozen=True)
class ExtensionCheck:
    allowed: bool
    problems: tuple[str, ...]  # codes: reason_missing, notice_missing, notice_late, notice_before_receipt, …
    extended_due_on: dt.date | None


def check_extension(
    *,
    received_on: dt.date,
    due_on: dt.date,
    reason: str,
    notified_on: dt.date | None,
    today: dt.date,
    already_extended: bool = False,
    holidays: HolidayCalendar = swedish_public_holidays,
) -> ExtensionCheck:
    """Whether the request may be extended: a recorded reason AND the person told within the first month.

    "Within one month of receipt" is the first period itself (`due_on`, moved by Art. 3(4)); a notice cannot be
    dated before receipt or in the future, and a request is extended once only (the regulation allows two further
    months, not repeated extensions)."""
    problems: list[str] = []
    if already_extended:
        problems.append("already_extended")
    if not (reason or "").strip():
        problems.append("reason_missing")
    if notified_on is None:
        problems.append("notice_missing")
    else:
        if notified_on < received_on:
            problems.append("notice_before_receipt")
        if notified_on > today:
            problems.append("notice_in_future")
        if notified_on > due_on:
            problems.append("notice_late")
    if problems:
        return ExtensionCheck(False, tuple(problems), None)
    return ExtensionCheck(True, (), extended_deadline(received_on, holidays=holidays))


class DeadlineState:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CLOSED = "closed"


def deadline_state(due_on: dt.date, today: dt.date, *, closed: bool = False, soon_days: int = DUE_SOON_DAYS) -> str:
    """on_time / due_soon (due within `soon_days` days) / overdue (after the due day)."""
    if closed:
        return DeadlineState.CLOSED
    if today > due_on:
        return DeadlineState.OVERDUE
    if (due_on - today).days <= soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


def working_days_between(start: dt.date, end: dt.date, holidays: HolidayCalendar = swedish_public_holidays) -> int:
    """Working days after `start` up to and including `end` (for display: "3 working days left")."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def holidays_from(dates: Iterable[dt.date]) -> HolidayCalendar:
    """A calendar from a fixed list of dates (another Member State, or a test)."""
    frozen = frozenset(dates)
    return lambda year: frozenset(d for d in frozen if d.year == year)
