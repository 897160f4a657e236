"""Demo accounts, one per role, for `make run`. Idempotent."""

from django.contrib.auth.models import User
from django.db import connection, transaction

from clubs.models import Assignment, Role
from places.models import Commune, Province

DEMO_PASSWORD = "clb-demo-2026"
LAI_CHAU = 12
DEMO_COMMUNE = 3598  # Xã Tân Uyên, Lai Châu

DEMO_USERS = [
    # username, full name, role, province code, commune code
    ("admin", "Quản trị viên", Role.ADMIN, None, None),
    ("tinh.laichau", "Lò Văn Thành (Hội NCT tỉnh Lai Châu)", Role.PROVINCE_OFFICER, LAI_CHAU, None),
    ("xa.tanuyen", "Nguyễn Thị Mai (Hội NCT xã Tân Uyên)", Role.COMMUNE_STAFF, None, DEMO_COMMUNE),
]


@transaction.atomic
def demo_users_create() -> list[User]:
    users = []
    for username, full_name, role, province_code, commune_code in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.save()
        Assignment.objects.get_or_create(
            user=user,
            role=role,
            province=Province.objects.get(code=province_code) if province_code else None,
            commune=Commune.objects.get(code=commune_code) if commune_code else None,
        )
        users.append(user)
    return users


def demo_logins_text() -> str:
    lines = ["", "Mở http://127.0.0.1:8000 và đăng nhập bằng một trong các tài khoản demo:"]
    for username, full_name, role, _province, _commune in DEMO_USERS:
        lines.append(f"  {username:<14} / {DEMO_PASSWORD}   {Role(role).label} – {full_name}")
    return "\n".join(lines) + "\n"


def refresh_planner_statistics(*models) -> None:
    """ANALYZE tables just filled in bulk (PostgreSQL), so the planner does not take them for empty.

    Without it, queries right after a bulk load (the demo, the tests built on it) can pick nested
    loops fit for empty tables and run for minutes. ANALYZE counts this transaction's own rows.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
