"""Approved periods refuse writes dated inside them, for their commune only, until reopened."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from clubs.locks import PeriodLocked, check_open, check_open_days, lock_for, period_lock, period_reopen
from clubs.models import PeriodLock

H1_START = datetime.date(2026, 1, 1)
H1_END = datetime.date(2026, 6, 30)


@pytest.fixture
def h1_lock(tan_uyen, lai_chau_officer):
    lai_chau_officer.first_name = "Lò Văn"
    lai_chau_officer.last_name = "Duyệt"
    lai_chau_officer.save()
    return period_lock(commune=tan_uyen, label="2026-H1", starts_on=H1_START, ends_on=H1_END, by=lai_chau_officer)


def test_a_day_inside_the_period_is_refused_naming_the_period_and_approver(h1_lock, tan_uyen):
    with pytest.raises(PeriodLocked) as refused:
        check_open(commune_id=tan_uyen.pk, day=datetime.date(2026, 6, 30))
    message = refused.value.messages[0]
    assert "2026-H1" in message and "01/01/2026–30/06/2026" in message
    assert "Lò Văn Duyệt" in message and "30/06/2026" in message
    assert refused.value.lock == h1_lock


def test_days_outside_the_period_or_in_another_commune_are_open(h1_lock, tan_uyen, than_uyen):
    check_open(commune_id=tan_uyen.pk, day=datetime.date(2025, 12, 31))
    check_open(commune_id=tan_uyen.pk, day=datetime.date(2026, 7, 1))
    check_open(commune_id=than_uyen.pk, day=datetime.date(2026, 3, 1))
    check_open(commune_id=None, day=datetime.date(2026, 3, 1))
    check_open(commune_id=tan_uyen.pk, day=None)


def test_many_days_are_checked_in_one_query_and_the_earliest_locked_day_named(
    h1_lock, tan_uyen, django_assert_num_queries
):
    days = [datetime.date(2026, 8, 1), datetime.date(2026, 5, 2), datetime.date(2026, 2, 3), None]
    with django_assert_num_queries(1), pytest.raises(PeriodLocked) as refused:
        check_open_days(commune_id=tan_uyen.pk, days=days)
    assert refused.value.day == datetime.date(2026, 2, 3)
    with django_assert_num_queries(1):
        check_open_days(commune_id=tan_uyen.pk, days=[datetime.date(2026, 8, 1)])


def test_a_reopened_period_takes_writes_again_and_keeps_its_reason(h1_lock, tan_uyen, lai_chau_officer):
    with pytest.raises(ValidationError):
        period_reopen(lock=h1_lock, by=lai_chau_officer, reason="   ")
    assert lock_for(commune_id=tan_uyen.pk, day=datetime.date(2026, 3, 1)) == h1_lock
    period_reopen(lock=h1_lock, by=lai_chau_officer, reason="Xã nhập thiếu 2 buổi sinh hoạt tháng 5")
    check_open(commune_id=tan_uyen.pk, day=datetime.date(2026, 3, 1))
    reopened = PeriodLock.objects.get(pk=h1_lock.pk)
    assert reopened.reopen_reason == "Xã nhập thiếu 2 buổi sinh hoạt tháng 5"
    assert reopened.history.count() == 2
    with pytest.raises(ValidationError):
        period_reopen(lock=h1_lock, by=lai_chau_officer, reason="lần nữa")


def test_a_period_that_ends_before_it_starts_is_refused(tan_uyen, lai_chau_officer):
    with pytest.raises(ValidationError):
        period_lock(commune=tan_uyen, label="x", starts_on=H1_END, ends_on=H1_START, by=lai_chau_officer)
    assert not PeriodLock.objects.exists()
