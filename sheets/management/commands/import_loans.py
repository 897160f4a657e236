from sheets.commands import ImportCommand


class Command(ImportCommand):
    help = "Import opening loan balances (Mã CLB, Họ và tên, Năm sinh, Số CCCD, Ngày vay, Số tiền vay, Dư nợ…). Exit 0 when written (or --dry-run clean), 1 when a row is invalid (nothing written)."
    kind = "loans"
