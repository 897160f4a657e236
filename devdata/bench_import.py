"""Import benchmark: a realistic member sheet of N rows, parsed, validated, matched and committed.

`run(rows)` builds the sheet (title block, merged two-row header with "Năm sinh" over "Nam" /
"Nữ", STT, mixed date cells, HN/CN, a totals line), imports it into fresh clubs, and returns
(seconds for the import alone, peak resident memory of the process in MB). The rows are then
deleted again. Run it in a fresh process for a meaningful memory peak (`manage.py bench_import`).
"""

from __future__ import annotations

import datetime
import random
import resource
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from clubs.models import BoardMembership, Club
from funds.models import Fund, FundKind
from members.models import HouseholdStatus, Member, Membership
from places.models import Commune
from sheets.engine import run_import

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


def _delete(clubs: list[Club]) -> None:
    """Remove what the run wrote. Plain DELETEs: the ORM's cascade collection over 50,000 members
    and a thousand clubs takes minutes and measures nothing."""
    club_ids = [c.pk for c in clubs]
    members = Member.objects.filter(club_id__in=club_ids).values("pk")
    for queryset in (
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


def run(rows: int = 50_000) -> tuple[float, float]:
    """(seconds, peak MB) for importing a `rows`-row member sheet; the database is left as it was."""
    clubs = _clubs(max(1, -(-rows // CLUB_SIZE)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "members.xlsx"
        build_sheet(path, rows, [c.code for c in clubs])
        started = time.perf_counter()
        report = run_import("members", path, commit=True)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        if not report.committed or report.new != rows:
            raise RuntimeError(
                f"benchmark import did not commit {rows} rows: {report.summary_lines()} {report.errors[:3]}"
            )
    finally:
        _delete(clubs)
    return seconds, peak_mb
