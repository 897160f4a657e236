"""sheets.bulk writes with COPY on PostgreSQL and bulk_create elsewhere: both paths, same rows.

`make test` runs this file on both databases; the SQLite path once crashed on history rows built
from register rows (HistoricalMember() got unexpected keyword arguments: 'search_key').
"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from members.models import KINH, Household, Member, Membership
from places.text import search_key
from sheets import bulk
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def _member_rows(club, names):
    return [
        {
            "club_id": club.pk,
            "full_name": name,
            "search_key": search_key(name),
            "birth_year": 1950 + number,
            "sex": "F",
            "joined_on": datetime.date(2024, 3, 1),
        }
        for number, name in enumerate(names)
    ]


def test_insert_gives_each_row_its_id_in_order_and_the_model_defaults(club):
    rows = _member_rows(club, ["Lò Thị Lan", "Lường Văn Chơ", "Tòng Thị Ơn"])
    ids = bulk.insert(Member, rows, ids=True)
    assert ids == [row["id"] for row in rows] and len(set(ids)) == 3
    for row in rows:
        member = Member.objects.get(pk=row["id"])
        assert (member.full_name, member.search_key, member.birth_year) == (
            row["full_name"],
            row["search_key"],
            row["birth_year"],
        )
        # Fields the rows left out take their model default, as a form would give them.
        assert (member.ethnicity, member.household, member.notes, member.citizen_id) == (
            KINH,
            Household.NONE,
            "",
            None,
        )
        assert member.created_at is not None and member.updated_at is not None


@pytest.mark.parametrize("write_history", [bulk.insert_history, bulk.insert_history_as_stored])
def test_history_rows_are_built_from_the_register_rows_and_ignore_what_history_leaves_out(
    club, admin_user, write_history
):
    # insert_history_as_stored copies the rows from the table in the server (PostgreSQL): the same records.
    rows = _member_rows(club, ["Lò Thị Lan", "Lường Văn Chơ"])
    bulk.insert(Member, rows, ids=True)
    when = timezone.now()
    # The rows still carry search_key, which Member's history does not keep.
    write_history(Member, rows, user_id=admin_user.pk, reason="Nhập từ tệp", when=when)
    for row in rows:
        member = Member.objects.get(pk=row["id"])
        (record,) = member.history.all()
        assert (record.history_type, record.history_change_reason, record.history_user_id) == (
            "+",
            "Nhập từ tệp",
            admin_user.pk,
        )
        assert record.history_date == when
        # Every field the history keeps holds the member's value; the automatic timestamps are each
        # taken when their row is written (microseconds apart).
        stamps = ("created_at", "updated_at")
        tracked = [
            f.attname
            for f in record._meta.concrete_fields
            if f.attname not in bulk.HISTORY_FIELDS and f.attname not in stamps
        ]
        assert "full_name" in tracked and "search_key" not in tracked
        assert {name: getattr(record, name) for name in tracked} == {
            name: getattr(member, name) for name in tracked
        }
        for name in stamps:
            assert abs(getattr(record, name) - getattr(member, name)) < datetime.timedelta(seconds=5)
    stays = [{"member_id": row["id"], "club_id": club.pk, "joined_on": row["joined_on"]} for row in rows]
    bulk.insert(Membership, stays, ids=True)
    write_history(Membership, stays, user_id=None, reason="Nhập từ tệp", when=when)
    assert Membership.history.filter(history_type="+", member_id__in=[r["id"] for r in rows]).count() == 2
    assert Member.history.count() == 2  # only the rows given


def test_times_go_in_as_the_moment_they_are(club):
    # On PostgreSQL they travel as text (isoformat); the instant must not move, whatever the zone.
    rows = _member_rows(club, ["Lò Thị Lan", "Lường Văn Chơ"])
    bulk.insert(Member, rows, ids=True)
    hanoi = datetime.datetime(2026, 12, 7, 6, 30, 15, 123456, tzinfo=timezone.get_current_timezone())
    bulk.insert_history(Member, rows[:1], user_id=None, reason=None, when=hanoi)
    bulk.insert_history(Member, rows[1:], user_id=None, reason=None, when=hanoi.astimezone(datetime.UTC))
    stored = [Member.history.get(id=row["id"]).history_date for row in rows]
    assert stored == [hanoi, hanoi]


def test_the_next_member_saved_by_the_app_takes_a_free_id(club):
    rows = _member_rows(club, ["Lò Thị Lan", "Lường Văn Chơ"])
    bulk.insert(Member, rows, ids=True)
    later = make_member(club, full_name="Vàng Thị Vân", birth_year=1953)
    assert later.pk > max(row["id"] for row in rows)
    assert Member.objects.count() == 3


def test_the_path_taken_is_the_one_for_this_database(club, django_assert_max_num_queries):
    # One statement per table and batch on either database (COPY, or one multi-row INSERT on SQLite).
    rows = _member_rows(club, [f"Thành viên {n}" for n in range(50)])
    with django_assert_max_num_queries(2) as captured:
        bulk.insert(Member, rows, ids=True)
    statements = " ".join(query["sql"] for query in captured.captured_queries)
    if connection.vendor == "postgresql":
        assert "nextval" in statements  # the ids first; the COPY itself is not a Django query
    else:
        assert statements.startswith("INSERT INTO")
    assert Member.objects.count() == 50
