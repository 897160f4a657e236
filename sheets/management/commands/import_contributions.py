from sheets.commands import ImportCommand


class Command(ImportCommand):
    help = "Import contributions to club funds (Mã CLB, Quỹ, Ngày, Số tiền, Nguồn, Ghi chú). Exit 0 when written (or --dry-run clean), 1 when a row is invalid (nothing written)."
    kind = "contributions"
