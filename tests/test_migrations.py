"""A database made before the apps were split (places and club life were part of clubs) migrates
forward with all its data: the moves change only Django's record of the models, never a table."""

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clubs.models import Club
from funds.models import Loan
from life.models import Activity, CareAssignment, ClubRating, HealthCheck
from places.models import Commune, LegacyCommune, Province

# The last migrations before the split: clubs still held the places and the club-life models.
BEFORE_THE_SPLIT = [
    ("clubs", "0004_one_meeting_a_day_care_dates_in_order"),
    ("members", "0004_membership_history"),
    ("funds", "0003_loan_schedule_summary"),
    ("reports", "0002_club_figures_kept_between_reports"),
    ("sheets", "0001_import_jobs"),
]
D = datetime.date



def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_split_migrates_forward_with_its_data(request):
    if request.config.getoption("nomigrations"):
        pytest.skip("the schema was built from the models (--nomigrations): there are no migrations to run")
    province_type = ContentType.objects.get_for_model(Province).pk
    executor = _migrate(BEFORE_THE_SPLIT)
    old = executor.loader.project_state(BEFORE_THE_SPLIT).apps
    # The rows an installation of that time held, written through the models as they were then.
    commune = old.get_model("clubs", "Commune").objects.get(code=3598)  # Xã Tân Uyên, Lai Châu
    legacy = old.get_model("clubs", "LegacyCommune").objects.filter(current_communes=commune).first()
    club = old.get_model("clubs", "Club").objects.create(
        code="OLD-01", name="CLB trước khi tách", province_id=commune.province_id, commune=commune,
        legacy_commune=legacy, decision_date=D(2019, 3, 1), launched_on=D(2019, 4, 1),
    )  # fmt: skip
    member = old.get_model("members", "Member").objects.create(
        club_id=club.pk, full_name="Lò Thị En", search_key="lo thi en", birth_year=1950, sex="F",
        joined_on=D(2019, 4, 1),
    )  # fmt: skip
    activity = old.get_model("clubs", "Activity").objects.create(
        club=club, held_on=D(2026, 5, 5), area=2, kind="meeting", title="Sinh hoạt tháng 5"
    )
    activity.participants.add(member.pk)
    old.get_model("clubs", "Attendance").objects.create(activity=activity, member_id=member.pk, status="present")
    old.get_model("clubs", "HealthCheck").objects.create(
        club=club, member_id=member.pk, checked_on=D(2026, 5, 5), systolic=150, diastolic=95, activity=activity
    )
    old.get_model("clubs", "CareAssignment").objects.create(
        club=club, volunteer_id=member.pk, beneficiary_id=member.pk, from_date=D(2026, 1, 1)
    )
    old.get_model("clubs", "ClubRating").objects.create(club=club, year=2025, rating="good", rated_on=D(2026, 1, 10))
    # A loan of 2 million in two instalments, the first covered by a repayment: the running totals the
    # later migrations bring (funds 0005, 0011) are filled in from these rows.
    fund = old.get_model("funds", "Fund").objects.create(club=club, kind="income")
    loan = old.get_model("funds", "Loan").objects.create(
        fund=fund, member_id=member.pk, disbursed_on=D(2026, 1, 5), principal=2_000_000, purpose="livestock",
        term_months=2, plan="equal_monthly", repaid_on=None, last_due_on=D(2026, 3, 5), instalments_count=2,
        instalments_on_time=1,
    )  # fmt: skip
    for number, due_on, paid_on in ((1, D(2026, 2, 5), D(2026, 2, 3)), (2, D(2026, 3, 5), None)):
        old.get_model("funds", "Instalment").objects.create(
            loan=loan, number=number, due_on=due_on, principal_due=1_000_000,
            principal_due_cumulative=1_000_000 * number, paid_on=paid_on,
        )  # fmt: skip
    old.get_model("funds", "Repayment").objects.create(loan=loan, paid_on=D(2026, 2, 3), principal=1_000_000)
    assert ContentType.objects.get(pk=province_type).app_label == "clubs"

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    club = Club.objects.select_related("commune__province", "legacy_commune").get(code="OLD-01")
    assert club.commune == Commune.objects.get(code=3598) and club.province.name == "Tỉnh Lai Châu"
    assert club.legacy_commune == LegacyCommune.objects.filter(current_communes__code=3598).first()
    meeting = Activity.objects.get(club=club)
    assert list(meeting.participants.values_list("full_name", flat=True)) == ["Lò Thị En"]
    assert meeting.attendance.get().status == "present"
    check = HealthCheck.objects.get(club=club)
    assert (check.systolic, check.diastolic, check.activity) == (150, 95, meeting)
    assert CareAssignment.objects.filter(club=club).count() == 1
    assert ClubRating.objects.get(club=club).get_rating_display() == "Khá"
    # The content types follow the models, so permissions and admin log entries keep pointing at them.
    assert ContentType.objects.get(pk=province_type).app_label == "places"
    assert ContentType.objects.get_for_model(Province).pk == province_type
    assert Province.objects.count() == 34 and Commune.objects.count() == 3321
    kept = Loan.objects.values_list("principal_repaid", "repaid_through", "first_unpaid_due_on").get(pk=loan.pk)
    assert kept == (1_000_000, D(2026, 2, 3), D(2026, 3, 5))


def _indexes(table: str) -> list[tuple[list[str], bool]]:
    """(columns, unique) of each ordered index and unique constraint of `table`, as the database has them
    (a trigram index on a name, which only searches use, is left out)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [
        (info["columns"], info["unique"])
        for info in found.values()
        if (info["index"] or info["unique"]) and info.get("type") not in ("gin", "gist")
    ]


def test_every_foreign_key_of_the_register_leads_an_index(db):
    # The foreign keys declared without an index of their own (the import writes less) must still be found
    # by an index that begins with them: deleting a club or a fund, and every join on them, read it.
    missing = []
    for app in ("members", "funds"):
        for model in apps.get_app_config(app).get_models():
            if model._meta.db_table.startswith(f"{app}_historical"):
                continue
            indexes = _indexes(model._meta.db_table)
            for field in model._meta.concrete_fields:
                if field.is_relation and field.db_constraint:
                    if not any(columns[:1] == [field.column] for columns, _unique in indexes):
                        missing.append(f"{model._meta.db_table}.{field.column}")
    assert missing == []


def test_no_index_repeats_the_start_of_another_on_the_imported_tables(db):
    # A one-column index that another index begins with is never needed by a query and paid by every
    # insert (funds 0006, members 0007 and 0008): 50,000 members, 20,000 loans and their schedules.
    tables = [
        "members_member", "members_membership", "members_householdstatus", "funds_loan", "funds_instalment",
        "funds_repayment", "funds_fundentry", "funds_fundmonth",
    ]  # fmt: skip
    repeated = []
    for table in tables:
        indexes = _indexes(table)
        for columns, unique in indexes:
            if len(columns) == 1 and not unique:
                longer = [other for other, _u in indexes if len(other) > 1 and other[0] == columns[0]]
                if longer:
                    repeated.append((table, columns[0]))
    assert repeated == []
    # The history tables keep only the keys the change panels read (clubs.templatetags.audit).
    for table, column in [
        ("members_historicalmember", "club_id"), ("members_historicalmembership", "club_id"),
        ("funds_historicalloan", "fund_id"), ("funds_historicalloan", "member_id"),
        ("funds_historicalfundentry", "member_id"),
    ]:  # fmt: skip
        assert [column] not in [columns for columns, _unique in _indexes(table)], (table, column)
    for model in apps.get_models():
        if hasattr(model, "history"):  # read by row, never by date (config.settings)
            table = model.history.model._meta.db_table
            assert ["history_date"] not in [columns for columns, _unique in _indexes(table)], table
    for table, column in [("members_historicalmembership", "member_id"), ("funds_historicalfundentry", "fund_id"),
                          ("funds_historicalfundentry", "loan_id"), ("funds_historicalrepayment", "loan_id")]:  # fmt: skip
        assert [column] in [columns for columns, _unique in _indexes(table)], (table, column)


@pytest.mark.postgresql("INCLUDE is PostgreSQL's: funds 0009, life 0006")
@pytest.mark.parametrize(
    ("table", "index", "key", "included"),
    [
        # What funds.selectors' loan totals read of a loan, and the reports' activities part of an activity:
        # an index-only scan needs every one of them.
        ("funds_loan", "funds_loan_by_fund_covering", "fund_id, disbursed_on",
         ("member_id", "principal", "last_due_on", "written_off_on", "instalments_count", "instalments_on_time")),
        ("clubs_activity", "clubs_activity_by_club_covering", "club_id, held_on", ("area", "kind")),
    ],
)  # fmt: skip
def test_the_indexes_the_reports_scan_carry_what_they_read(db, table, index, key, included):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        indexes = dict(cursor.fetchall())
    definition = indexes[index]
    assert f"({key}) INCLUDE (" in definition
    assert all(column in definition.split("INCLUDE")[1] for column in included)
    # It replaced the plain index on the same key: writes keep as many indexes as before.
    assert not [name for name, text in indexes.items() if text.endswith(f"({key})")]
