"""Import benchmark: a realistic sheet of N rows, parsed, validated, matched and committed.

`run(rows)` builds a member sheet (title block, merged two-row header with "Năm sinh" over "Nam" /
"Nữ", STT, mixed date cells, HN/CN, a totals line), imports it into fresh clubs, and returns
(seconds for the import alone, peak resident memory of the process in MB). The rows are then
deleted again. Run it in a fresh process for a meaningful memory peak (`manage.py bench_import`).

`run(rows, kind="loans")`: opening loan balances, one per borrower, for members set up beforehand
(in bulk, with a contribution giving each club's income fund its capital: set-up is not measured);
`kind="contributions"`: receipts into both funds of fresh clubs, with mixed dates, amounts and sources.
"""

from __future__ import annotations

import datetime
import random
import resource
import tempfile
import time
from pathlib import Path

from django.contrib.auth.models import User
from openpyxl import Workbook

from clubs.models import BoardMembership, Club
from funds.models import EntryKind, Fund, FundEntry, FundKind, FundMonth, Instalment, Loan, Source
from members.models import HouseholdStatus, Member, Membership
from places.models import Commune
from places.text import search_key
from sheets import bulk
from sheets.engine import run_import

KINDS = ("members", "loans", "contributions")

CLUB_SIZE = 60
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Lò", "Lường", "Vàng", "Giàng", "Tòng", "Quàng", "Tẩn"]
_MIDDLE = {"F": ["Thị", "Thị Thu", "Thị Ngọc"], "M": ["Văn", "A", "Seo", "Đức"]}
_GIVEN = [
    "Hoa",
    "Lan",
    "Chơ",
    "Pản",
    "Mỷ",
    "Xuân",
    "Páo",
    "Khiêm",
    "Thắng",
    "Bình",
    "Ngọc",
    "Hiên",
    "Lả",
    "Ánh",
]
_HOUSEHOLD = ["HN", "CN", "Khó khăn", "Không", "Hộ nghèo", "Cận nghèo", ""]


def build_sheet(path: Path, rows: int, club_codes: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DS thanh vien")
    sheet.append(["HỘI NGƯỜI CAO TUỔI TỈNH LAI CHÂU"])
    sheet.append([])
    sheet.append(["DANH SÁCH THÀNH VIÊN CÁC CÂU LẠC BỘ LIÊN THẾ HỆ TỰ GIÚP NHAU"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Năm sinh", None, "Dân tộc", "Hoàn cảnh gia đình", "Thôn/Bản", "Số CCCD",
                  "Số điện thoại", "Ngày tham gia", "Tình nguyện viên", "Thẻ BHYT", "Mã CLB"])  # fmt: skip
    sheet.append([None, None, "Nam", "Nữ"])
    for merged in ("A5:A6", "B5:B6", "C5:D5", "E5:E6", "F5:F6", "G5:G6", "H5:H6", "I5:I6", "J5:J6", "K5:K6",
                   "L5:L6", "M5:M6"):  # fmt: skip
        sheet.merged_cells.add(merged)
    for n in range(rows):
        sex = "F" if rng.random() < 0.65 else "M"
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE[sex])} {rng.choice(_GIVEN)} {n}"
        year = rng.randint(1930, 2000)
        joined = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randint(0, 2000))
        sheet.append([
            n + 1, name, year if sex == "M" else None, year if sex == "F" else None,
            rng.choice(["Kinh", "Thái", "Mông", "Dao"]), rng.choice(_HOUSEHOLD), f"Bản {rng.randint(1, 30)}",
            f"0{12_000_000_000 + n:011d}", f"09{rng.randint(10_000_000, 99_999_999)}",
            joined if n % 2 else f"{joined:%d/%m/%Y}", "x" if n % 7 == 0 else None, "x" if n % 3 else None,
            club_codes[n // CLUB_SIZE % len(club_codes)],
        ])  # fmt: skip
    sheet.append([])
    sheet.append([None, f"Tổng số: {rows} thành viên"])
    workbook.save(path)


def _clubs(count: int) -> list[Club]:
    """Fresh clubs with their funds (in bulk: the set-up is not what is measured)."""
    commune = Commune.objects.order_by("code").first()
    stamp = f"{int(time.time()) % 100000:05d}"
    clubs = Club.objects.bulk_create(
        [
            Club(
                code=f"BENCH{stamp}-{i:04d}",
                name=f"CLB đo tốc độ {i}",
                commune=commune,
                province_id=commune.province_id,
                decision_date=datetime.date(2018, 1, 1),
            )
            for i in range(count)
        ]
    )
    Fund.objects.bulk_create([Fund(club=club, kind=kind) for club in clubs for kind in FundKind.values])
    return clubs


def _borrowers(clubs: list[Club], rows: int) -> list[dict]:
    """`rows` members (one loan each), CLUB_SIZE to a club, joined 2018, and a contribution of
    capital into each club's income fund: what a loan import needs to find. Written in bulk."""
    rng = random.Random(11)
    members = []
    for n in range(rows):
        sex = "F" if rng.random() < 0.65 else "M"
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE[sex])} {rng.choice(_GIVEN)} {n}"
        members.append({
            "club_id": clubs[n // CLUB_SIZE].pk, "full_name": name, "search_key": search_key(name),
            "birth_year": rng.randint(1930, 2000), "sex": sex, "citizen_id": f"0{13_000_000_000 + n:011d}",
            "joined_on": datetime.date(2018, 1, 1),
        })  # fmt: skip
    bulk.insert(Member, members, ids=True)
    bulk.insert(Membership, [{"member_id": m["id"], "club_id": m["club_id"], "joined_on": m["joined_on"]}
                             for m in members])  # fmt: skip
    funds = Fund.objects.filter(club__in=clubs, kind=FundKind.INCOME)
    FundEntry.objects.bulk_create(
        FundEntry(fund=fund, entry_date=datetime.date(2018, 1, 2), kind=EntryKind.CONTRIBUTION, direction=1,
                  amount=CLUB_SIZE * 50_000_000, source=Source.STATE)
        for fund in funds
    )  # fmt: skip
    return members


def build_loan_sheet(path: Path, borrowers: list[dict], club_codes: dict[int, str], seed: int = 7) -> None:
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Du no")
    sheet.append(["DƯ NỢ ĐẦU KỲ QUỸ TĂNG THU NHẬP"])
    sheet.append([])
    sheet.append(["Mã CLB", "Họ và tên", "Năm sinh", "Số CCCD", "Ngày vay", "Số tiền vay", "Thời hạn (tháng)",
                  "Lãi suất", "Mục đích", "Dư nợ"])  # fmt: skip
    purposes = ["Chăn nuôi", "Trồng trọt", "Buôn bán nhỏ", "Nuôi lợn", "Chăn nuôi: mua bò giống", "Dịch vụ"]
    for n, member in enumerate(borrowers):
        principal = rng.choice([3, 5, 8, 10, 15]) * 1_000_000
        day = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
        outstanding = rng.choice([None, principal, principal // 2, principal - 1_000_000])
        sheet.append([
            club_codes[member["club_id"]], member["full_name"], member["birth_year"],
            member["citizen_id"] if n % 3 else None, day if n % 2 else f"{day:%d/%m/%Y}",
            principal if n % 2 else f"{principal:,}".replace(",", "."), rng.choice([12, 24, 36, "24 tháng"]),
            rng.choice(["0,5%/tháng", "6%/năm", 0.5, "0,6"]), rng.choice(purposes),
            outstanding if n % 2 or outstanding is None else f"{outstanding:,}".replace(",", "."),
        ])  # fmt: skip
    workbook.save(path)


def build_contribution_sheet(path: Path, rows: int, club_codes: list[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dong gop")
    sheet.append(["Mã CLB", "Quỹ", "Ngày", "Số tiền", "Nguồn", "Ghi chú"])
    funds = ["Quỹ tăng thu nhập", "Quỹ hoạt động", "TTN", "Quỹ HĐ"]
    sources = ["Thành viên đóng góp", "Ngân sách nhà nước, tỉnh hỗ trợ", "Nhà hảo tâm", "Dự án", "Khác", ""]
    for n in range(rows):
        day = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 1500))
        amount = rng.choice([50, 100, 200, 500, 1000, 5000]) * 1000
        sheet.append([
            club_codes[n // CLUB_SIZE % len(club_codes)], rng.choice(funds), day if n % 2 else f"{day:%d/%m/%Y}",
            amount if n % 2 else f"{amount:,}".replace(",", "."), rng.choice(sources),
            f"Đóng góp lần {n + 1}",
        ])  # fmt: skip
    workbook.save(path)


def _delete(clubs: list[Club]) -> None:
    """Remove what the run wrote. Plain DELETEs: the ORM's cascade collection over 50,000 members
    and a thousand clubs takes minutes and measures nothing."""
    club_ids = [c.pk for c in clubs]
    members = Member.objects.filter(club_id__in=club_ids).values("pk")
    loans = Loan.objects.filter(fund__club_id__in=club_ids).values("pk")
    for queryset in (
        Instalment.objects.filter(loan__fund__club_id__in=club_ids),
        Loan.history.model.objects.filter(id__in=loans),
        FundEntry.history.model.objects.filter(
            fund_id__in=Fund.objects.filter(club_id__in=club_ids).values("pk")
        ),
        FundEntry.objects.filter(fund__club_id__in=club_ids),
        FundMonth.objects.filter(fund__club_id__in=club_ids),
        Loan.objects.filter(fund__club_id__in=club_ids),
        HouseholdStatus.history.model.objects.filter(member_id__in=members),
        HouseholdStatus.objects.filter(member__club_id__in=club_ids),
        BoardMembership.history.model.objects.filter(club_id__in=club_ids),
        BoardMembership.objects.filter(club_id__in=club_ids),
        Membership.objects.filter(club_id__in=club_ids),
        Member.history.model.objects.filter(club_id__in=club_ids),
        Member.objects.filter(club_id__in=club_ids),
        Fund.objects.filter(club_id__in=club_ids),
        Club.objects.filter(id__in=club_ids),
    ):
        queryset._raw_delete(queryset.db)


def peak_memory_mb() -> float:
    """The most memory this process has held resident, in MB: its own high-water mark (VmHWM). Not
    getrusage's ru_maxrss: Linux carries that across exec from the process that started this one (the
    parent's, when it is spawned by vfork as Python's subprocess does), so under `make bench`, whose
    process holds a few hundred MB by then, every import showed the benchmark's own peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # elsewhere than Linux


def run(rows: int = 50_000, kind: str = "members") -> tuple[float, float]:
    """(seconds, peak MB) for importing a `rows`-row sheet of `kind` (KINDS); the database is left as it was."""
    clubs = _clubs(max(1, -(-rows // CLUB_SIZE)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.xlsx"
        # A sheet or an import that fails leaves no bench clubs behind for the next reports to count.
        try:
            if kind == "members":
                build_sheet(path, rows, [c.code for c in clubs])
            elif kind == "loans":
                build_loan_sheet(path, _borrowers(clubs, rows), {c.pk: c.code for c in clubs})
            elif kind == "contributions":
                build_contribution_sheet(path, rows, [c.code for c in clubs])
            else:
                raise ValueError(f"no import benchmark for {kind!r}: {', '.join(KINDS)}")
            # As a person: every history record names its user, as an import from the pages does.
            user, _created = User.objects.get_or_create(username="bench.import", defaults={"first_name": "Bench"})
            started = time.perf_counter()
            report = run_import(kind, path, commit=True, user=user)
        except BaseException:
            _delete(clubs)
            raise
        seconds = time.perf_counter() - started
    peak_mb = peak_memory_mb()
    try:
        if not report.committed or report.new != rows:
            raise RuntimeError(
                f"benchmark {kind} import did not commit {rows} rows: {report.summary_lines()} {report.errors[:3]}"
            )
    finally:
        _delete(clubs)
    return seconds, peak_mb
