"""The demo register: Lai Châu's 18 clubs and about 800 members, as the province reported them.

The figures follow the province's reports in `domain.md`:
- May 2018: 4 clubs, 196 members, half of them from ethnic minorities, 16 poor (8%) and 29 near-poor
  (15%) members, boards of 22 people;
- June 2019: 18 clubs, 800 members, 67% ethnic minority (536), 64% over 55 (512), 36 poor and 92
  near-poor members, boards of 92 people.
After that the register lives on: a new poverty standard (2022–2025) changes some households, a few
members die, withdraw or move to another club, a few join, a few board seats change hands.

Everything comes from one seeded random generator, so every run builds the same register, and a
second run creates nothing. Rows go in with `bulk_create`; `Membership` and `HouseholdStatus` are
written from the same plan as `Member`, so they agree as the services would have left them.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from clubs.models import BoardMembership, BoardRole, Club, Team, TeamKind
from devdata.demo_accounts import refresh_planner_statistics
from funds.services import club_found
from members.models import Household, HouseholdStatus, LeaveReason, Member, Membership
from places.models import AreaClass, Commune, LegacyCommune, Province
from places.text import search_key

D = datetime.date
LAI_CHAU = 12
SEED = 2019
REPORT_2018 = D(2018, 5, 31)
REPORT_2019 = D(2019, 6, 30)
NEW_STANDARD = D(2022, 1, 1)  # poverty standard 2022–2025 (Decree 07/2021/NĐ-CP)
NEW_CHAIRS_ON = D(2023, 1, 1)  # three clubs elected a new chair
SHOWCASE_ON = D(2026, 1, 1)  # the two showcase clubs meet the composition standard on this date

# Official ethnicity codes (members.ethnicity).
KINH, TAY, THAI, MUONG, MONG, DAO, GIAY, KHMU, HA_NHI, LA_HU, LU = 1, 2, 3, 6, 8, 9, 25, 29, 35, 41, 42


@dataclass(frozen=True)
class ClubPlan:
    code: str
    name: str
    commune: int  # current commune code
    legacy: int  # legacy commune code, as in the founding decision
    villages: tuple[str, ...]
    decided: datetime.date
    launched: datetime.date
    size: int  # members on 30/06/2019
    board: int  # board seats on 30/06/2019
    volunteers: int
    minority_share: float
    peoples: dict[int, int]  # the minority groups of the villages, with weights
    women_share: float = 0.64
    over55_share: float = 0.64
    poverty_weight: float = 1.0
    hardship_target: float | None = None  # share of disadvantaged households to reach today (showcase clubs)
    joiners: int = 1  # members who joined after June 2019


# The first four clubs were launched before the May 2018 report; the other fourteen by June 2019.
CLUBS: tuple[ClubPlan, ...] = (
    ClubPlan("LCH-001", "CLB LTHTGN bản Nà Cóc", 3598, 3605, ("Nà Cóc", "Nà Bó", "Phiêng Phát"),
             D(2017, 9, 12), D(2017, 10, 20), 52, 6, 7, 0.55, {THAI: 8, MONG: 1}, 0.65, 0.58, 1.2, 0.64, 2),
    ClubPlan("LCH-002", "CLB LTHTGN thị trấn Tam Đường", 3390, 3390, ("Tổ dân phố 1", "Tổ dân phố 3", "Tổ dân phố 5"),
             D(2017, 11, 2), D(2017, 12, 15), 48, 5, 6, 0.45, {GIAY: 3, THAI: 2, DAO: 1}),
    ClubPlan("LCH-003", "CLB LTHTGN phường Quyết Thắng", 3388, 3386, ("Tổ dân phố 7", "Tổ dân phố 9", "Tổ dân phố 12"),
             D(2017, 12, 5), D(2018, 1, 18), 50, 6, 6, 0.3, {THAI: 2, GIAY: 1, MONG: 1}, 0.66, 0.7, 0.6),
    ClubPlan("LCH-004", "CLB LTHTGN bản Mường Cang", 3595, 3631, ("Bản Mường", "Bản Noong Quài", "Bản Cằm"),
             D(2018, 1, 10), D(2018, 3, 8), 46, 5, 5, 0.7, {THAI: 9, KHMU: 1}),
    ClubPlan("LCH-005", "CLB LTHTGN bản Thân Thuộc", 3598, 3604, ("Bản Chom Chăng", "Bản Nà Ban"),
             D(2018, 6, 14), D(2018, 7, 26), 45, 5, 6, 0.75, {THAI: 5, MONG: 2}),
    ClubPlan("LCH-006", "CLB LTHTGN bản Nậm Cần", 3598, 3610, ("Bản Nậm Cần", "Bản Phiêng Cư"),
             D(2018, 7, 3), D(2018, 8, 16), 42, 5, 5, 0.8, {MONG: 3, THAI: 2, DAO: 1}),
    ClubPlan("LCH-007", "CLB LTHTGN khu phố Tân Uyên", 3598, 3598, ("Tổ dân phố 26", "Tổ dân phố 27", "Bản Hô Ta"),
             D(2018, 8, 20), D(2018, 9, 28), 44, 5, 7, 0.5, {THAI: 4, GIAY: 1}),
    ClubPlan("LCH-008", "CLB LTHTGN bản Phúc Khoa", 3601, 3602, ("Bản Phúc Khoa", "Bản Nà Phát"),
             D(2018, 9, 6), D(2018, 10, 19), 40, 5, 5, 0.8, {THAI: 4, KHMU: 1, MONG: 1}),
    ClubPlan("LCH-009", "CLB LTHTGN bản Mường Khoa", 3601, 3601, ("Bản Mường Khoa", "Bản Hua Khoa", "Bản Nà Khoa"),
             D(2018, 9, 25), D(2018, 11, 9), 47, 5, 8, 0.85, {THAI: 8, MONG: 1}, 0.66, 0.58, 1.4, 0.65, 6),
    ClubPlan("LCH-010", "CLB LTHTGN bản Phúc Than", 3618, 3618, ("Bản Sắp Ngựa", "Bản Nà Ban"),
             D(2018, 10, 11), D(2018, 11, 23), 41, 5, 5, 0.85, {THAI: 6, KHMU: 1}),
    ClubPlan("LCH-011", "CLB LTHTGN bản Hua Nà", 3595, 3632, ("Bản Nà Bó", "Bản Hua Nà"),
             D(2018, 10, 30), D(2018, 12, 14), 43, 5, 4, 0.75, {THAI: 5, MONG: 1}),
    ClubPlan("LCH-012", "CLB LTHTGN phường Đông Phong", 3408, 3408, ("Tổ dân phố 4", "Tổ dân phố 8", "Bản Cư Nhà La"),
             D(2018, 11, 15), D(2019, 1, 10), 46, 5, 6, 0.4, {MONG: 2, GIAY: 1, THAI: 1}, 0.62, 0.7, 0.7),
    ClubPlan("LCH-013", "CLB LTHTGN bản Bình Lư", 3390, 3412, ("Bản Chin Chu Lìn", "Bản Nà Hiềng"),
             D(2018, 12, 6), D(2019, 1, 24), 38, 5, 5, 0.8, {GIAY: 3, DAO: 2, MONG: 2}),
    ClubPlan("LCH-014", "CLB LTHTGN bản Nà Tăm", 3424, 3427, ("Bản Nà Tăm", "Bản Hưng Bãi"),
             D(2018, 12, 20), D(2019, 2, 14), 44, 5, 6, 0.9, {LU: 5, THAI: 2, DAO: 1}),
    ClubPlan("LCH-015", "CLB LTHTGN bản Mường So", 3549, 3589, ("Bản Khổng Khoang", "Bản Pậu"),
             D(2019, 1, 15), D(2019, 3, 7), 42, 5, 5, 0.9, {THAI: 4, GIAY: 1, DAO: 1}, 0.6, 0.6, 1.3),
    ClubPlan("LCH-016", "CLB LTHTGN bản Sìn Hồ", 3478, 3478, ("Khu 5", "Bản Sìn Hồ Dao", "Bản Xà Chải"),
             D(2019, 2, 12), D(2019, 3, 29), 45, 5, 5, 0.9, {MONG: 4, DAO: 3}, 0.62, 0.6, 1.6),
    ClubPlan("LCH-017", "CLB LTHTGN bản Mường Tè", 3433, 3433, ("Khu phố 1", "Bản Bum", "Bản Phìn Khò"),
             D(2019, 3, 5), D(2019, 4, 19), 41, 5, 5, 0.85, {HA_NHI: 4, LA_HU: 2, THAI: 1}, 0.6, 0.58, 1.5),
    ClubPlan("LCH-018", "CLB LTHTGN bản Mường Kim", 3637, 3637, ("Bản Mường 1", "Bản Mường 2", "Bản Nà Lại"),
             D(2019, 3, 20), D(2019, 5, 16), 46, 5, 6, 0.8, {THAI: 9, KHMU: 1}),
)  # fmt: skip

# Exact totals the reports gave, for the first four clubs (May 2018) and for the other fourteen.
FIRST_FOUR = 4
MINORITY = (98, 438)  # 50% of 196; 536 − 98
POOR = (16, 20)  # 8% of 196; 36 − 16
NEAR_POOR = (29, 63)  # 15% of 196; 92 − 29
OVER_55 = 512  # 64% of 800, aged 56 or more in 2019 (born 1963 or earlier)

# Lai Châu is mountainous throughout. Communes on the border with China, as the demo knows them
# (approximate: an admin sets the real list from the province's decision, in the admin or by CSV).
LAI_CHAU_BORDER_COMMUNES = {3439, 3442, 3451, 3503, 3549, 3562, 3571, 3583}

# (surnames, men's middle names, men's given names, women's middle names, women's given names)
NAMES: dict[int, tuple[tuple[str, ...], ...]] = {
    KINH: (
        (
            "Nguyễn",
            "Nguyễn",
            "Nguyễn",
            "Trần",
            "Trần",
            "Lê",
            "Lê",
            "Phạm",
            "Hoàng",
            "Vũ",
            "Đỗ",
            "Bùi",
            "Đặng",
            "Ngô",
            "Đinh",
            "Lương",
            "Hà",
        ),
        ("Văn", "Văn", "Văn", "Đức", "Xuân", "Hữu", "Quang", "Minh", "Đình"),
        (
            "Hùng",
            "Dũng",
            "Thắng",
            "Nam",
            "Sơn",
            "Hải",
            "Tuấn",
            "Bình",
            "Minh",
            "Long",
            "Thành",
            "Quý",
            "Hòa",
            "Đông",
            "Tiến",
            "Cường",
            "Lợi",
            "Khánh",
        ),
        ("Thị", "Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc"),
        (
            "Hoa",
            "Lan",
            "Mai",
            "Hương",
            "Hạnh",
            "Thu",
            "Hằng",
            "Nga",
            "Hà",
            "Liên",
            "Tuyết",
            "Xuân",
            "Bình",
            "Nhung",
            "Yến",
            "Loan",
            "Phượng",
            "Vân",
            "Hồng",
            "Thủy",
            "Dung",
            "Oanh",
        ),
    ),
    THAI: (
        ("Lò", "Lò", "Lò", "Lường", "Lường", "Tòng", "Cầm", "Quàng", "Điêu", "Lù", "Vì", "Hoàng"),
        ("Văn",),
        (
            "Pản",
            "Kiên",
            "Thoong",
            "Ón",
            "Inh",
            "Chăn",
            "Xiêng",
            "Khiêm",
            "Sơn",
            "Hoan",
            "Panh",
            "Ngoan",
            "Ơn",
            "Xương",
            "Tiên",
        ),
        ("Thị",),
        (
            "Ún",
            "Xương",
            "Pọm",
            "Ín",
            "Lả",
            "Chăm",
            "Phanh",
            "Bun",
            "Khăm",
            "Ính",
            "Hom",
            "Mai",
            "Kim",
            "Nọi",
            "Ên",
            "Lanh",
            "Sương",
        ),
    ),
    MONG: (
        ("Giàng", "Giàng", "Sùng", "Vàng", "Vàng", "Lý", "Thào", "Hạng", "Mùa", "Lầu", "Cứ", "Chớ"),
        ("A", "A", "A", "Seo", "Páo"),
        ("Páo", "Chứ", "Sình", "Dế", "Lử", "Chua", "Tủa", "Sử", "Mang", "Pó", "Dình", "Chư"),
        ("Thị", "Thị", "Thị", "Seo", "Mí"),
        ("Mỷ", "Súa", "Dua", "Pà", "Chi", "Mai", "Dính", "Sy", "Dợ", "Nhìa", "Xúa", "Lia"),
    ),
    DAO: (
        ("Tẩn", "Tẩn", "Chảo", "Phàn", "Lý", "Đặng", "Triệu"),
        ("Láo", "Văn", "Seo", "Phủ"),
        ("Chài", "Sài", "Chạn", "Siểu", "Kiềm", "Phin", "Lở", "Vảng", "Quẩy"),
        ("Thị", "Mý", "Sơ"),
        ("Mẩy", "Mùi", "Lở", "Kiếm", "Dào", "Chòi", "Nái", "Xoan"),
    ),
    GIAY: (
        ("Hoàng", "Hoàng", "Vương", "Lò", "Sằn", "Lù"),
        ("Văn",),
        ("Sáng", "Chăn", "Phin", "Tỉnh", "Hồng", "Thái"),
        ("Thị",),
        ("Sen", "Ngân", "Phương", "Khiên", "Lìn", "Sáo"),
    ),
    HA_NHI: (
        ("Lỳ", "Lỳ", "Pờ", "Chu", "Phu", "Hù"),
        ("Gò", "Hừ", "Xá", "Dì", "Chà"),
        ("Phà", "Xá", "Sè", "Chừ", "Gạ", "Pó"),
        ("Mé", "Mỹ", "Xá", "Chừ"),
        ("Chừ", "Nhù", "Cà", "Mỳ", "Dừ", "Xé"),
    ),
    LA_HU: (
        ("Lò", "Chà", "Pờ", "Vừ", "Lý"),
        ("Ngà", "Chà", "Xà"),
        ("Xe", "Là", "Phì", "Pó", "Hừ"),
        ("Mé", "Na"),
        ("Xé", "Là", "Mỳ", "Chà"),
    ),
    LU: (
        ("Lò", "Lò", "Tao", "Chang", "Vàng"),
        ("Văn",),
        ("Ón", "Khăm", "Xi", "Pọm", "Hặc", "Thoong"),
        ("Thị",),
        ("Xương", "Ún", "Pọm", "Xi", "Khăm", "Ính"),
    ),
}
NAMES[KHMU] = NAMES[THAI]  # Khơ-mú families in Lai Châu mostly carry Thái names
TEAMS = (
    (1, "Tổ sinh kế"),
    (2, "Tổ chăm sóc sức khỏe"),
    (3, "Tổ tình nguyện viên chăm sóc tại nhà"),
    (7, "Tổ văn nghệ, thể thao"),
)


@dataclass
class PersonPlan:
    club: int  # index in CLUBS
    full_name: str
    sex: str
    ethnicity: int
    birth_year: int
    birth_date: datetime.date | None
    village: str
    joined_on: datetime.date
    household_2019: str = Household.NONE
    household_2022: str | None = None  # a change under the new standard, if any
    volunteer: bool = False
    board_role: str | None = None
    left_on: datetime.date | None = None
    leave_reason: str = ""
    moved_to: int | None = None  # index of the club they moved to on `left_on`
    citizen_id: str | None = None
    phone: str = ""
    insured: bool = True
    extras: dict = field(default_factory=dict)

    @property
    def over_55_in_2019(self) -> bool:
        return self.birth_year <= 1963


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, whole numbers summing exactly to it (largest remainder)."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _split(total: tuple[int, int], weights: list[float]) -> list[int]:
    """Apportion the first-four and the other-fourteen totals separately."""
    return _apportion(total[0], weights[:FIRST_FOUR]) + _apportion(total[1], weights[FIRST_FOUR:])


def _pick(rng: random.Random, people: list[PersonPlan], count: int, weight) -> list[PersonPlan]:
    """`count` people, drawn without replacement, favouring those with a high `weight`."""
    keyed = sorted(people, key=lambda p: rng.random() ** (1 / max(weight(p), 1e-6)), reverse=True)
    return keyed[:count]


def _name(rng: random.Random, ethnicity: int, sex: str) -> str:
    surnames, men_middle, men_given, women_middle, women_given = NAMES[ethnicity]
    middle, given = (women_middle, women_given) if sex == "F" else (men_middle, men_given)
    return f"{rng.choice(surnames)} {rng.choice(middle)} {rng.choice(given)}"


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _poverty_weight(person: PersonPlan) -> float:
    """Poverty falls more on older people and on minority households."""
    return 1 + (person.ethnicity != KINH) + person.over_55_in_2019


def _plan_people(rng: random.Random) -> list[PersonPlan]:
    """Everyone who was a member on 30/06/2019, with the attributes the reports counted."""
    sizes = [c.size for c in CLUBS]
    minority = _split(MINORITY, [c.size * c.minority_share for c in CLUBS])
    over55 = _apportion(OVER_55, [c.size * c.over55_share for c in CLUBS])
    poor = _split(POOR, [c.size * c.poverty_weight for c in CLUBS])
    near_poor = _split(NEAR_POOR, [c.size * c.poverty_weight for c in CLUBS])
    people: list[PersonPlan] = []
    for index, plan in enumerate(CLUBS):
        members: list[PersonPlan] = []
        groups = list(plan.peoples)
        for i in range(sizes[index]):
            sex = "F" if i < round(plan.size * plan.women_share) else "M"
            members.append(
                PersonPlan(
                    club=index,
                    full_name="",
                    sex=sex,
                    ethnicity=KINH,
                    birth_year=0,
                    birth_date=None,
                    village=rng.choice(plan.villages),
                    joined_on=plan.launched
                    if rng.random() < 0.85
                    else _day_between(rng, plan.launched, REPORT_2018 if index < FIRST_FOUR else REPORT_2019),
                )
            )
        for person in rng.sample(members, minority[index]):
            person.ethnicity = rng.choices(groups, weights=[plan.peoples[g] for g in groups])[0]
        older = set(map(id, rng.sample(members, over55[index])))
        for person in members:
            if id(person) in older:
                # Aged 56–89 in 2019, most in their sixties.
                person.birth_year = 1963 - min(int(rng.expovariate(1 / 9)), 33)
            else:
                person.birth_year = rng.randint(1964, 1996) if rng.random() < 0.3 else rng.randint(1964, 1980)
            if rng.random() < 0.25:
                person.birth_date = _day_between(
                    rng, D(person.birth_year, 1, 1), D(person.birth_year, 12, 31)
                )
            person.full_name = _name(rng, person.ethnicity, person.sex)
        for person in _pick(rng, members, poor[index], _poverty_weight):
            person.household_2019 = Household.POOR
        rest = [p for p in members if p.household_2019 == Household.NONE]
        for person in _pick(rng, rest, near_poor[index], _poverty_weight):
            person.household_2019 = Household.NEAR_POOR
        # Volunteers are mostly the younger members; the board mostly older ones.
        for person in _pick(rng, members, plan.volunteers, lambda p: 1 if p.over_55_in_2019 else 4):
            person.volunteer = True
        roles = [
            BoardRole.CHAIR,
            BoardRole.VICE_CHAIR,
            BoardRole.TREASURER,
            BoardRole.SECRETARY,
            BoardRole.MEMBER,
        ]
        if plan.board == 6:
            roles.insert(3, BoardRole.ACCOUNTANT)
        for person, role in zip(
            _pick(rng, members, plan.board, lambda p: 1 + 2 * p.over_55_in_2019), roles, strict=True
        ):
            person.board_role = role
            person.joined_on = plan.launched
        people.extend(members)
    return people


def _plan_after_2019(rng: random.Random, people: list[PersonPlan]) -> list[PersonPlan]:
    """The register's life after the 2019 report: households, departures, moves, newcomers."""
    # The 2022–2025 standard: some households left poverty, a few fell into it.
    poor = [p for p in people if p.household_2019 == Household.POOR]
    near = [p for p in people if p.household_2019 == Household.NEAR_POOR]
    none = [p for p in people if p.household_2019 == Household.NONE]
    for person in rng.sample(poor, 10):
        person.household_2022 = Household.NEAR_POOR
    for person in rng.sample([p for p in poor if p.household_2022 is None], 4):
        person.household_2022 = Household.NONE
    for person in rng.sample(near, 30):
        person.household_2022 = Household.NONE
    for person in rng.sample(none, 11):
        person.household_2022 = Household.NEAR_POOR if rng.random() < 0.7 else Household.POOR

    by_club = [[p for p in people if p.club == i] for i in range(len(CLUBS))]
    # Board members and volunteers stay; so do the showcase clubs' members (they keep meeting the standard).
    ordinary = [
        p
        for p in people
        if p.board_role is None and not p.volunteer and CLUBS[p.club].hardship_target is None
    ]
    # Deaths among the oldest, withdrawals among the others.
    for person in _pick(rng, [p for p in ordinary if p.birth_year <= 1945], 14, lambda p: 1):
        person.left_on, person.leave_reason = (
            _day_between(rng, D(2020, 3, 1), D(2025, 10, 31)),
            LeaveReason.DIED,
        )
    for person in _pick(
        rng, [p for p in ordinary if p.left_on is None and p.birth_year > 1960], 6, lambda p: 1
    ):
        person.left_on = _day_between(rng, D(2020, 1, 1), D(2025, 6, 30))
        person.leave_reason = LeaveReason.WITHDREW
    # Four moves between the Tân Uyên clubs (the demo staff account sees both ends).
    for source, target, count in ((4, 0, 2), (5, 6, 2)):
        movable = [
            p for p in by_club[source] if p.board_role is None and not p.volunteer and p.left_on is None
        ]
        for person in _pick(rng, movable, count, lambda p: 1):
            person.left_on, person.leave_reason = D(2023, 4, 1), LeaveReason.TRANSFERRED
            person.moved_to = target

    newcomers = []
    for index, plan in enumerate(CLUBS):
        for _ in range(plan.joiners):
            sex = "F" if rng.random() < plan.women_share else "M"
            ethnicity = (
                rng.choices(list(plan.peoples), weights=list(plan.peoples.values()))[0]
                if rng.random() < plan.minority_share
                else KINH
            )
            birth_year = rng.randint(1955, 1966) if rng.random() < 0.7 else rng.randint(1970, 1990)
            newcomers.append(
                PersonPlan(
                    club=index,
                    full_name=_name(rng, ethnicity, sex),
                    sex=sex,
                    ethnicity=ethnicity,
                    birth_year=birth_year,
                    birth_date=None,
                    village=rng.choice(plan.villages),
                    joined_on=_day_between(rng, D(2020, 1, 1), D(2025, 9, 30)),
                    household_2019=Household.NEAR_POOR if rng.random() < 0.4 else Household.NONE,
                )
            )
    return newcomers


def _household_rows(
    person: PersonPlan, today: datetime.date
) -> list[tuple[str, datetime.date, datetime.date | None, str]]:
    """(status, from, to, standard period) rows, as `household_status_set` would have left them."""
    rows = []
    first_period = "2016–2020" if person.joined_on < NEW_STANDARD else "2022–2025"
    if person.household_2019 != Household.NONE:
        ends = NEW_STANDARD - datetime.timedelta(days=1) if person.household_2022 else None
        rows.append((person.household_2019, person.joined_on, ends, first_period))
    if person.household_2022 is not None and person.joined_on < NEW_STANDARD:
        rows.append((person.household_2022, NEW_STANDARD, None, "2022–2025"))
    if person.extras.get("hardship_from"):
        rows = [(Household.HARDSHIP, person.extras["hardship_from"], None, "")]
    return rows


def _current_household(rows, today: datetime.date) -> str:
    valid = [status for status, start, end, _p in rows if start <= today and (end is None or end >= today)]
    return valid[-1] if valid else Household.NONE


def _add_hardship(rng: random.Random, people: list[PersonPlan], today: datetime.date) -> None:
    """Hardship households (not a legal status, so no report counted them): enough in the showcase
    clubs to meet the 60–70% standard, a few elsewhere."""
    for index, plan in enumerate(CLUBS):
        current = [p for p in people if p.club == index and p.moved_to is None and p.left_on is None] + [
            p for p in people if p.moved_to == index
        ]
        none_now = [p for p in current if not _household_rows(p, today)]  # never poor nor near-poor
        if plan.hardship_target is not None:
            disadvantaged = sum(
                _current_household(_household_rows(p, today), today) != Household.NONE for p in current
            )
            wanted = round(plan.hardship_target * len(current)) - disadvantaged
        else:
            wanted = rng.randint(1, 5)
        for person in _pick(rng, none_now, max(wanted, 0), lambda p: 1 + p.over_55_in_2019):
            person.extras["hardship_from"] = max(person.joined_on, D(2019, 1, 1))


def _citizen_ids(rng: random.Random, people: list[PersonPlan]) -> None:
    """About 40% of members have their CCCD recorded: 012 (born in Lai Châu), century and sex, year, serial."""
    serials = rng.sample(range(100000, 999999), len(people))
    for person, serial in zip(people, serials, strict=True):
        if rng.random() < 0.4:
            century_sex = (0 if person.birth_year < 2000 else 2) + (person.sex == "F")
            person.citizen_id = f"012{century_sex}{person.birth_year % 100:02d}{serial:06d}"
        if rng.random() < 0.3:
            person.phone = f"0{rng.choice('3589')}{rng.randint(0, 99_999_999):08d}"
        person.insured = person.household_2019 != Household.NONE or rng.random() < 0.8


def demo_register_plan() -> list[PersonPlan]:
    """Every person of the demo register (deterministic)."""
    rng = random.Random(SEED)
    people = _plan_people(rng)
    people += _plan_after_2019(rng, people)
    _add_hardship(rng, people, SHOWCASE_ON)
    _citizen_ids(rng, people)
    return people


def _lower_kind(name: str) -> str:
    """'Xã Trung Đồng' → 'xã Trung Đồng', as addresses are written inside a sentence."""
    for kind in ("Thị trấn", "Thành phố", "Thị xã", "Xã", "Phường", "Huyện"):
        if name.startswith(kind + " "):
            return kind.lower() + name[len(kind) :]
    return name


def lai_chau_area_classes_set() -> int:
    """Lai Châu is mountainous, with a border strip; its communes (not the city wards) are ethnic-minority
    areas. Only communes still at the defaults are changed, so an admin's choice is kept."""
    communes = list(Commune.objects.filter(province__code=LAI_CHAU, area_class=AreaClass.PLAINS))
    for commune in communes:
        commune.area_class = (
            AreaClass.BORDER if commune.code in LAI_CHAU_BORDER_COMMUNES else AreaClass.MOUNTAIN
        )
        commune.ethnic_minority_area = commune.division_type != "phường"
    Commune.objects.bulk_update(communes, ["area_class", "ethnic_minority_area"])
    return len(communes)


@transaction.atomic
def demo_register_create() -> int:
    """Create the Lai Châu demo register; returns the number of members created (0 when it exists)."""
    lai_chau_area_classes_set()
    if Club.objects.filter(code__in=[c.code for c in CLUBS]).exists():
        return 0
    today = datetime.date.today()
    province = Province.objects.get(code=LAI_CHAU)
    communes = {c.code: c for c in Commune.objects.filter(province=province)}
    legacy = {
        c.code: c
        for c in LegacyCommune.objects.select_related("district").filter(code__in=[p.legacy for p in CLUBS])
    }
    clubs = []
    for number, plan in enumerate(CLUBS, start=1):
        old = legacy.get(plan.legacy)
        old_place = f"{_lower_kind(old.name)}, {_lower_kind(old.district.name)}" if old else ""
        clubs.append(
            club_found(
                code=plan.code,
                name=plan.name,
                commune=communes[plan.commune],
                villages=", ".join(plan.villages),
                legacy_commune=old,
                legacy_address=f"{old_place}, tỉnh Lai Châu" if old else "",
                decision_number=f"{number * 7 + 30}/QĐ-UBND",
                decision_date=plan.decided,
                decision_issuer=f"UBND {_lower_kind(old.name)}" if old else "",
                launched_on=plan.launched,
            )
        )

    people = demo_register_plan()
    members = []
    for person in people:
        rows = _household_rows(person, today)
        club = clubs[person.moved_to if person.moved_to is not None else person.club]
        still_in = person.left_on is None or person.moved_to is not None
        members.append(
            Member(
                club=club,
                full_name=person.full_name,
                search_key=search_key(person.full_name),
                birth_year=person.birth_year,
                birth_date=person.birth_date,
                sex=person.sex,
                ethnicity=person.ethnicity,
                household=_current_household(rows, today),
                citizen_id=person.citizen_id,
                phone=person.phone,
                village=person.village,
                joined_on=person.left_on if person.moved_to is not None else person.joined_on,
                left_on=None if still_in else person.left_on,
                leave_reason="" if still_in else person.leave_reason,
                is_volunteer=person.volunteer,
                has_health_insurance=person.insured,
                # Cards are renewed each year: valid to the end of next year, whenever the demo is loaded.
                health_insurance_expires_on=D(today.year + 1, 12, 31) if person.insured else None,
            )
        )
    Member.objects.bulk_create(members, batch_size=500)

    stays, households, seats = [], [], []
    for person, member in zip(people, members, strict=True):
        stays.append(
            Membership(
                member=member,
                club=clubs[person.club],
                joined_on=person.joined_on,
                left_on=person.left_on,
                leave_reason=person.leave_reason,
            )
        )
        if person.moved_to is not None:
            stays.append(Membership(member=member, club=clubs[person.moved_to], joined_on=person.left_on))
        households += [
            HouseholdStatus(member=member, status=s, valid_from=start, valid_to=end, standard_period=period)
            for s, start, end, period in _household_rows(person, today)
        ]
        if person.board_role:
            seats.append(
                BoardMembership(
                    club=clubs[person.club], member=member, role=person.board_role, from_date=person.joined_on
                )
            )
    Membership.objects.bulk_create(stays, batch_size=1000)
    HouseholdStatus.objects.bulk_create(households, batch_size=1000)
    seats += _board_changes(random.Random(SEED + 1), seats, people, members)
    BoardMembership.objects.bulk_create(seats, batch_size=1000)
    _teams_create(random.Random(SEED + 2), clubs, people, members)
    refresh_planner_statistics(Member, Membership, HouseholdStatus, BoardMembership, Club)
    return len(members)


def _board_changes(rng: random.Random, seats, people, members) -> list[BoardMembership]:
    """Three clubs elected a new chair at the start of 2023; the former chair's seat stays as history."""
    new = []
    for seat in [s for s in seats if s.role == BoardRole.CHAIR][:3]:
        seat.to_date = NEW_CHAIRS_ON - datetime.timedelta(days=1)
        on_board = {s.member.pk for s in seats if s.club is seat.club}
        candidates = [
            m
            for m in members
            if m.club_id == seat.club.pk
            and m.left_on is None
            and m.joined_on < NEW_CHAIRS_ON
            and m.pk not in on_board
        ]
        successor = rng.choice(candidates)
        new.append(
            BoardMembership(club=seat.club, member=successor, role=BoardRole.CHAIR, from_date=NEW_CHAIRS_ON)
        )
    return new


def _teams_create(rng, clubs, people, members) -> None:
    """Per club: four specialised teams and neighbourhood groups of about five members."""
    teams, links = [], []
    for club in clubs:
        current = [
            (p, m) for p, m in zip(people, members, strict=True) if m.club_id == club.pk and m.left_on is None
        ]
        for area, name in TEAMS:
            if area == 3:
                chosen = [pm for pm in current if pm[1].is_volunteer]
            else:
                chosen = rng.sample(current, min(len(current), rng.randint(5, 9)))
            team = Team(
                club=club, kind=TeamKind.TEAM, name=name, area=area, leader=chosen[0][1] if chosen else None
            )
            teams.append((team, [m for _p, m in chosen]))
        by_village: dict[str, list[Member]] = {}
        for person, member in current:
            by_village.setdefault(person.village, []).append(member)
        number = 0
        for village, villagers in by_village.items():
            count = -(-len(villagers) // 5)  # groups of 4–5 neighbours
            for start in range(count):
                number += 1
                group = villagers[start::count]
                team = Team(
                    club=club, kind=TeamKind.GROUP, name=f"Nhóm {number} ({village})", leader=group[0]
                )
                teams.append((team, group))
    Team.objects.bulk_create([team for team, _m in teams], batch_size=500)
    through = Team.members.through
    for team, group in teams:
        links += [through(team_id=team.pk, member_id=member.pk) for member in group]
    through.objects.bulk_create(links, batch_size=2000)
