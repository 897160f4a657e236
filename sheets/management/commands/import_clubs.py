from sheets.commands import ImportCommand


class Command(ImportCommand):
    help = "Import clubs from a spreadsheet (Mã CLB, Tên CLB, Tỉnh, Xã/Phường or the legacy address…). Exit 0 when written (or --dry-run clean), 1 when a row is invalid (nothing written)."
    kind = "clubs"
