"""Art. 12(3) deadlines counted by Regulation 1182/71: month ends, leap years, holidays, extension rules."""

from __future__ import annotations

import datetime as dt

import pytest

from insyn.privacy.deadlines import (
    DeadlineState,
    add_months,
    check_extension,
    deadline_state,
    easter_sunday,
    extended_deadline,
    holidays_from,
    is_working_day,
    nominal_end,
    request_deadline,
    swedish_public_holidays,
    working_days_between,
)

D = dt.date
NO_HOLIDAYS = holidays_from([])


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (D(2025, 1, 31), D(2025, 2, 28)),  # 31 January → last day of a shorter February
        (D(2024, 1, 31), D(2024, 2, 29)),  # leap year: divisible by 4
        (D(2028, 1, 31), D(2028, 2, 29)),
        (D(2100, 1, 31), D(2100, 2, 28)),  # divisible by 100, not by 400: no 29 February
        (D(2000, 1, 31), D(2000, 2, 29)),  # divisible by 400: leap
        (D(2024, 1, 29), D(2024, 2, 29)),
        (D(2025, 1, 29), D(2025, 2, 28)),
        (D(2025, 3, 31), D(2025, 4, 30)),
        (D(2025, 5, 31), D(2025, 6, 30)),
        (D(2025, 8, 31), D(2025, 9, 30)),
        (D(2025, 2, 28), D(2025, 3, 28)),  # the same date, not "the end of the month"
        (D(2025, 12, 31), D(2026, 1, 31)),  # across the year
        (D(2025, 1, 15), D(2025, 2, 15)),
    ],
)
def test_one_month_ends_on_the_same_date_or_the_last_day_of_a_shorter_month(received, expected):
    assert nominal_end(received, 1) == expected
    assert add_months(received, 1) == expected


def test_add_months_over_several_years_and_backwards_free():
    assert add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert add_months(D(2099, 11, 30), 3) == D(2100, 2, 28)
    assert add_months(D(2025, 10, 31), 14) == D(2026, 12, 31)


def test_without_holidays_a_period_ending_on_a_weekday_stays():
    # 2024-02-29 is a Thursday.
    assert request_deadline(D(2024, 1, 31), holidays=NO_HOLIDAYS) == D(2024, 2, 29)
    assert request_deadline(D(2028, 1, 31), holidays=NO_HOLIDAYS) == D(2028, 2, 29)  # Tuesday


def test_a_period_ending_on_saturday_moves_to_monday():
    # 2026-02-28 is a Saturday (1182/71 Art. 3(4)).
    assert D(2026, 2, 28).weekday() == 5
    assert request_deadline(D(2026, 1, 31)) == D(2026, 3, 2)


def test_a_period_ending_on_sunday_moves_to_monday():
    assert D(2027, 1, 31).weekday() == 6
    assert request_deadline(D(2026, 12, 31)) == D(2027, 2, 1)


def test_2100_is_not_a_leap_year_and_its_28_february_is_a_sunday():
    assert D(2100, 2, 28).weekday() == 6
    assert request_deadline(D(2100, 1, 31)) == D(2100, 3, 1)


@pytest.mark.parametrize(
    ("received", "expected", "why"),
    [
        (D(2026, 3, 3), D(2026, 4, 7), "Good Friday, weekend, Easter Monday"),
        (D(2026, 3, 6), D(2026, 4, 7), "Easter Monday"),
        (D(2026, 4, 14), D(2026, 5, 15), "Ascension Thursday 2026-05-14"),
        (D(2026, 11, 25), D(2026, 12, 28), "Christmas Day Friday, then the weekend"),
        (D(2026, 11, 26), D(2026, 12, 28), "Boxing Day Saturday"),
        (D(2026, 12, 1), D(2027, 1, 4), "New Year's Day Friday"),
        (D(2027, 5, 6), D(2027, 6, 7), "National Day on a Sunday"),
        (D(2027, 12, 6), D(2028, 1, 7), "Epiphany Thursday"),
        (D(2025, 4, 1), D(2025, 5, 2), "1 May Thursday"),
    ],
)
def test_a_period_ending_on_a_swedish_public_holiday_moves_to_the_next_working_day(received, expected, why):
    assert request_deadline(received) == expected, why


def test_another_member_states_holidays_can_be_passed():
    polish = holidays_from([D(2026, 11, 11)])  # Narodowe Święto Niepodległości, a Wednesday
    assert request_deadline(D(2026, 10, 11), holidays=polish) == D(2026, 11, 12)
    assert request_deadline(D(2026, 10, 11)) == D(2026, 11, 11)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2028, D(2028, 4, 16)),
        (2100, D(2100, 3, 28)),
        (2038, D(2038, 4, 25)),
        (2008, D(2008, 3, 23)),
    ],
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_swedish_holidays_2026():
    holidays = swedish_public_holidays(2026)
    assert D(2026, 6, 20) in holidays  # midsommardagen: the Saturday 20–26 June
    assert D(2026, 10, 31) in holidays  # alla helgons dag: the Saturday 31 Oct–6 Nov
    assert D(2026, 5, 24) in holidays  # pingstdagen
    assert D(2026, 6, 19) not in holidays  # midsommarafton is no allmän helgdag
    assert D(2026, 12, 24) not in holidays
    assert len(holidays) == 13
    assert not is_working_day(D(2026, 6, 6))
    assert is_working_day(D(2026, 6, 19))


def test_extension_is_three_months_from_receipt_and_moved_off_weekends():
    assert extended_deadline(D(2024, 1, 31), holidays=NO_HOLIDAYS) == D(2024, 4, 30)
    assert extended_deadline(D(2023, 11, 30), holidays=NO_HOLIDAYS) == D(2024, 2, 29)
    assert extended_deadline(D(2099, 11, 30), holidays=NO_HOLIDAYS) == D(2100, 3, 1)  # 28 Feb 2100: a Sunday
    # 2027-02-28 is a Sunday.
    assert extended_deadline(D(2026, 11, 30)) == D(2027, 3, 1)


def _check(**overrides):
    args = {
        "received_on": D(2026, 1, 12),
        "due_on": D(2026, 2, 12),
        "reason": "Many requests and a complex search across twelve systems.",
        "notified_on": D(2026, 2, 10),
        "today": D(2026, 2, 11),
    }
    args.update(overrides)
    return check_extension(**args)


def test_extension_with_reason_and_notice_within_the_first_month_is_allowed():
    result = _check()
    assert result.allowed
    assert result.extended_due_on == D(2026, 4, 13)  # 2026-04-12 is a Sunday
    assert _check(notified_on=D(2026, 2, 12), today=D(2026, 2, 12)).allowed  # on the last day of the first month


def test_extension_without_reason_is_refused():
    result = _check(reason="  ")
    assert not result.allowed
    assert result.problems == ("reason_missing",)
    assert result.extended_due_on is None


def test_extension_without_notice_is_refused():
    assert _check(notified_on=None).problems == ("notice_missing",)


def test_extension_noticed_after_the_first_month_is_refused():
    assert _check(notified_on=D(2026, 2, 13), today=D(2026, 2, 20)).problems == ("notice_late",)


def test_extension_notice_cannot_be_dated_before_receipt_or_in_the_future():
    assert _check(notified_on=D(2026, 1, 11)).problems == ("notice_before_receipt",)
    assert _check(notified_on=D(2026, 2, 12), today=D(2026, 2, 11)).problems == ("notice_in_future",)


def test_a_request_is_extended_once():
    assert "already_extended" in _check(already_extended=True).problems


def test_the_first_month_counts_the_art_3_4_move_when_checking_the_notice():
    # Received 2026-01-31: the month ends 2026-02-28, a Saturday, so it runs to Monday 2 March.
    due = request_deadline(D(2026, 1, 31))
    assert _check(received_on=D(2026, 1, 31), due_on=due, notified_on=D(2026, 3, 2), today=D(2026, 3, 2)).allowed
    assert not _check(received_on=D(2026, 1, 31), due_on=due, notified_on=D(2026, 3, 3), today=D(2026, 3, 3)).allowed


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2026, 2, 1), DeadlineState.ON_TIME),
        (D(2026, 2, 4), DeadlineState.ON_TIME),
        (D(2026, 2, 5), DeadlineState.DUE_SOON),  # due within 7 days
        (D(2026, 2, 12), DeadlineState.DUE_SOON),  # the due day itself
        (D(2026, 2, 13), DeadlineState.OVERDUE),
    ],
)
def test_deadline_state(today, state):
    assert deadline_state(D(2026, 2, 12), today) == state


def test_closed_requests_have_no_deadline_state():
    assert deadline_state(D(2026, 2, 12), D(2026, 3, 1), closed=True) == DeadlineState.CLOSED


def test_working_days_between_skips_weekends_and_holidays():
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 7)) == 1  # Good Friday, weekend, Easter Monday
