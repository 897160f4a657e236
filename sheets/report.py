"""What an import says about a sheet, row by row (ImportReport, RowIssue, Change), and what it knows
while it reads one (Context). Every kind of import (sheets.kinds) and the engine share these."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sheets.layout import Layout

MAX_STORED_ERRORS = 50_000
MAX_STORED_CHANGES = 2_000

Progress = Callable[[int, str], None]


@dataclass
class RowIssue:
    row: int  # the sheet's own row number; 0 for the file as a whole
    column: str  # 'F (Hoàn cảnh gia đình)', or '' for the whole row
    message: str


@dataclass
class Change:
    row: int
    label: str  # who or what: 'Nguyễn Thị Hoa (1952)'
    fields: list[tuple[str, str, str]]  # (field, before, after)


@dataclass
class ImportReport:
    kind: str
    file_name: str = ""
    sheet: str = ""
    header_row: int = 0
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    invalid: int = 0
    errors: list[RowIssue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # How the sheet was understood: each column found (as the sheet names it, what it means here)
    # and the first rows as the import reads them (sheets.engine.PREVIEW_ROWS).
    columns: list[tuple[str, str]] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    refused: str = ""
    committed: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors

    @property
    def has_writes(self) -> bool:
        return bool(self.new or self.updated)

    def add_error(self, row: int, column: str, message: str) -> None:
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(RowIssue(row, column, message))

    def add_change(self, change: Change) -> None:
        if len(self.changes) < MAX_STORED_CHANGES:
            self.changes.append(change)

    def count_invalid(self) -> None:
        self.invalid = len({issue.row for issue in self.errors if issue.row})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        data["errors"] = [RowIssue(**e) for e in data.get("errors", [])]
        data["changes"] = [
            Change(c["row"], c["label"], [tuple(f) for f in c["fields"]]) for c in data.get("changes", [])
        ]
        return cls(**data)

    def summary_lines(self) -> list[str]:
        """The summary the commands print and the pages show."""
        if self.refused:
            return [self.refused]
        lines = [
            _("Tệp %(file)s, trang “%(sheet)s”, tiêu đề ở dòng %(row)s: %(rows)s dòng dữ liệu.")
            % {"file": self.file_name, "sheet": self.sheet, "row": self.header_row, "rows": self.rows},
            _(
                "Thêm mới: %(new)s · Cập nhật: %(updated)s · Không đổi: %(unchanged)s · Không hợp lệ: %(invalid)s"
            )
            % {
                "new": self.new,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "invalid": self.invalid,
            },
        ]
        if self.skipped:
            lines.append(_("Bỏ qua: %(n)s dòng (không thuộc loại dữ liệu này).") % {"n": self.skipped})
        return lines + self.notices


class RowWriteError(Exception):
    """A write refused by a service (the domain's own checks): the whole import is rolled back."""

    def __init__(self, row: int, column: str, message: str) -> None:
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


class RowIssues:
    """Errors of one row, by column key; the engine turns keys into the sheet's column labels."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, key: str, message: str) -> None:
        self.items.append((key, message))

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass
class Context:
    """What an import knows besides the sheet: the club given for the whole sheet, who imports and
    into which clubs they may import."""

    club: Any = None
    user: Any = None
    # The clubs the person importing may import into (ids); None: every club (admins, commands).
    club_ids: frozenset[int] | None = None
    today: datetime.date = field(default_factory=datetime.date.today)
    layout: Layout | None = None
    cache: dict[str, Any] = field(default_factory=dict)


def unchanged_label(value: Any) -> str:
    """A value as the diff shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)
