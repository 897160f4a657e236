"""The quick look at a worksheet's cell references (sheets.bounds._fits_at_a_glance) may only pass over
the cell-by-cell reading for a sheet that plainly fits: a far cell written in any way the careful
reading understands is still found and refused with its message."""

import io
import zipfile

import pytest

from sheets import bounds

ROWS = "".join(f'<row r="{n}"><c r="A{n}" t="n"><v>{n}</v></c><c r="M{n}"/></row>' for n in range(1, 50))
MARGINS = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'


def _xlsx(sheet_data: str) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet_data}</sheetData>{MARGINS}</worksheet>",
        )
    buffer.seek(0)
    return buffer


def _glance(data: io.BytesIO) -> bool:
    with zipfile.ZipFile(data) as archive:
        return bounds._fits_at_a_glance(archive, archive.getinfo("xl/worksheets/sheet1.xml"))


def test_a_plain_sheet_fits_at_a_glance():
    assert _glance(_xlsx(ROWS))
    bounds.check_zip(_xlsx(ROWS))


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="XFD5" t="n"><v>1</v></c>',  # past the 200th column
        '<c r="A300000" t="n"><v>1</v></c>',  # past the 200,000th row
        '<c\tr="XFD5" t="n"><v>1</v></c>',  # a tab before the reference
        '<c s="1" r="XFD5" t="n"><v>1</v></c>',  # the reference not first
        "<c r='XFD5' t=\"n\"><v>1</v></c>",  # in single quotes
        '<x:c r="XFD5" t="n"><v>1</v></c>',  # a namespace prefix
        '<c r="xfd5" t="n"><v>1</v></c>',  # lower case
    ],
)
def test_a_far_cell_however_written_is_refused(cell):
    data = _xlsx(ROWS + f'<row r="50">{cell}</row>')
    assert not _glance(data)
    with pytest.raises(bounds.TooCostly, match="Ô (XFD5|A300000) nằm ở"):
        bounds.check_zip(_xlsx(ROWS + f'<row r="50">{cell}</row>'))


def test_many_columns_under_the_limits_are_read_cell_by_cell_and_pass():
    # 60 columns (past the glance's 40) over 49 rows: the careful reading finds the sheet within limits.
    data = _xlsx(ROWS + '<row r="50"><c r="BH50" t="n"><v>1</v></c></row>')
    assert not _glance(data)
    bounds.check_zip(_xlsx(ROWS + '<row r="50"><c r="BH50" t="n"><v>1</v></c></row>'))
