from sheets.commands import ImportCommand


class Command(ImportCommand):
    help = "Import members from a spreadsheet (Họ và tên, Năm sinh, Giới tính… and Mã CLB or --club). Exit 0 when written (or --dry-run clean), 1 when a row is invalid (nothing written)."
    kind = "members"
    takes_club = True
