"""The life of synthetic clubs, commune by commune, as rows ready for a bulk write.

`commune_build()` simulates the clubs of one commune from their founding decision to the end
date: members who join, leave, die or move to a neighbouring club; household statuses reviewed
each year; boards elected every three years; teams and groups; the two funds with contributions
by source, loans with their schedules and repayment histories (on time, late, repaid early,
written off), interest booked to the ledger and part of it moved to the activity fund; monthly
meetings with attendance and health checks, activities across the 8 areas, home care, ratings.

The rows obey the same rules as the services (members/services.py, clubs/services.py, funds):
one open membership per member, household periods that do not overlap (valid_to = next start − 1),
left_on exclusive, board seats and care assignments with dates in order, and for each fund at
every date capital = Σ signed ledger entries = cash + outstanding principal, with cash never
below zero (money leaves a fund only on a day when it holds that much and nothing later needs it).

Nothing here touches the database: `Ids` hands out primary keys, `Rows` collects tuples per table.
"""

from __future__ import annotations

import datetime
import heapq
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field

from devdata.synthetic_people import (
    KINH,
    ProvinceProfile,
    full_name,
    village_name,
)
from places.text import search_key

Date = datetime.date
DAY = datetime.timedelta(days=1)
ATTENDANCE_DAYS = 183  # attendance sheets and health readings: the last six months are recorded row by row
PARTICIPANTS_DAYS = 92  # named participants of other activities: the last three months
VISIT_DAYS = 183  # home-care visits: the last six months
REFORM_DATE = Date(2025, 7, 1)  # the 2025 reorganisation of communes


# ---------------------------------------------------------------------------
# Table layouts: the generator's field order for each table (attnames). generate.TableWriter maps
# them onto the model's columns; fields a model does not have (yet) are left out there.
# ---------------------------------------------------------------------------

FIELDS: dict[str, tuple[str, ...]] = {
    "club": (
        "id", "code", "name", "province_id", "commune_id", "villages", "legacy_commune_id", "legacy_address",
        "decision_number", "decision_date", "decision_issuer", "launched_on", "suspended_on", "resumed_on",
        "dissolved_on", "notes", "created_at", "updated_at",
    ),
    "member": (
        "id", "club_id", "full_name", "search_key", "birth_year", "birth_date", "sex", "ethnicity", "household",
        "citizen_id", "phone", "village", "joined_on", "left_on", "leave_reason", "is_volunteer",
        "has_health_insurance", "health_insurance_expires_on", "notes", "created_at", "updated_at",
    ),
    "membership": ("member_id", "club_id", "joined_on", "left_on", "leave_reason"),
    "household": ("member_id", "status", "valid_from", "valid_to", "standard_period", "note"),
    "board": ("club_id", "member_id", "role", "from_date", "to_date"),
    "team": ("id", "club_id", "kind", "name", "area", "leader_id"),
    "team_member": ("team_id", "member_id"),
    "fund": ("id", "club_id", "kind", "opened_on"),
    "loan": (
        "id", "fund_id", "member_id", "disbursed_on", "principal", "purpose", "purpose_text", "term_months",
        "interest_rate", "rate_period", "plan", "opening_repaid", "repaid_on", "last_due_on", "instalments_count",
        "instalments_on_time", "written_off_on",
        "written_off_amount", "write_off_reason", "write_off_approved_by", "note", "recorded_by_id",
        "recorded_at",
    ),
    "instalment": (
        "loan_id", "number", "due_on", "principal_due", "interest_due", "principal_due_cumulative", "paid_on",
    ),
    "repayment": ("id", "loan_id", "paid_on", "principal", "interest", "note", "reverses_id", "recorded_by_id",
                  "recorded_at"),
    "entry": (
        "id", "fund_id", "entry_date", "kind", "amount", "direction", "source", "category", "member_id",
        "document_number", "note", "reverses_id", "repayment_id", "loan_id", "transfer_pair_id",
        "recorded_by_id", "recorded_at",
    ),
    "activity": (
        "id", "club_id", "held_on", "area", "kind", "title", "description", "participants_count",
        "volunteers_count", "money_raised", "fund_entry_id", "recorded_by_id", "recorded_at",
    ),
    "participant": ("activity_id", "member_id"),
    "attendance": ("activity_id", "member_id", "status"),
    "health_check": (
        "member_id", "club_id", "checked_on", "weight_kg", "systolic", "diastolic", "pulse", "note",
        "activity_id", "recorded_by_id",
    ),
    "care_assignment": ("club_id", "volunteer_id", "beneficiary_id", "from_date", "to_date"),
    "care_visit": ("club_id", "visited_on", "volunteer_id", "beneficiary_id", "tasks", "note", "recorded_by_id"),
    "rating": ("club_id", "year", "rating", "rated_on", "note", "rated_by_id"),
}  # fmt: skip

# Tables whose ids the generator hands out (other rows refer to them); the others take the sequence's.
OWN_IDS = ("club", "member", "team", "fund", "loan", "repayment", "entry", "activity")


class Ids:
    """Primary keys handed out by the generator, from each table's next free id."""

    def __init__(self, start: dict[str, int]):
        self.next = dict(start)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


class Rows(defaultdict):
    """Table name → list of row tuples in FIELDS order."""

    def __init__(self):
        super().__init__(list)

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.values())


@dataclass
class CommuneInfo:
    id: int
    code: int
    name: str
    division_type: str
    province_id: int
    province_code: int
    area_class: str
    minority_area: bool
    legacy: list[tuple[int, str, str]] = field(
        default_factory=list
    )  # (legacy id, commune name, district name)


@dataclass
class Settings:
    """What every club of a run shares."""

    until: Date
    seed: str
    profile: ProvinceProfile
    id_prefixes: tuple[int, ...]  # citizen ID province codes (the legacy provinces of today's province)
    avg_members: float
    notes: str
    postgres: bool = True
    taken_citizen_ids: frozenset[str] = frozenset()  # held by people already in the register
    # Last serial handed out per (province code, century and sex, year of birth): IDs stay unique.
    citizen_serials: dict[tuple[int, int, int], int] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def add_months(day: Date, months: int) -> Date:
    """Same rule as funds.schedule.add_months: the month's last day when the day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _month_days(year, month)))


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_days(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month]


_DELTAS = tuple(datetime.timedelta(days=n) for n in range(-400, 2000))


def _plus(day: Date, days: int) -> Date:
    """day + days, without making a timedelta each time (the simulation does this millions of times)."""
    return day + _DELTAS[days + 400]


def _clamp(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def _round_to(value: float, step: int) -> int:
    return max(step, int(round(value / step)) * step)


def _between(rng: random.Random, start: Date, end: Date) -> Date:
    """A day in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start if span <= 0 else start + datetime.timedelta(days=rng.randint(0, span))


class Stamps:
    """Timestamps for created_at / recorded_at columns, cached per day."""

    def __init__(self, postgres: bool):
        self.postgres = postgres
        self.cache: dict[Date, str] = {}

    def __call__(self, day: Date) -> str:
        value = self.cache.get(day)
        if value is None:
            # 08:00 in Viet Nam; SQLite stores naive UTC text, PostgreSQL takes the offset.
            value = f"{day.isoformat()} 08:00:00+07" if self.postgres else f"{day.isoformat()} 01:00:00"
            self.cache[day] = value
        return value


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------


class Person:
    __slots__ = (
        "id", "club", "name", "key", "birth_year", "birth_date", "female", "ethnicity", "statuses",
        "household", "citizen_id", "phone", "village", "stays", "volunteer", "insured", "insured_until",
        "attend", "health", "loan_free_from",
    )  # fmt: skip

    def __init__(self):
        self.stays: list[list] = []  # [club, joined_on, left_on, reason]
        self.loan_free_from: Date | None = Date.min  # None: a loan in default, no new loan

    @property
    def joined(self) -> Date:
        return self.stays[-1][1]

    @property
    def left(self) -> Date | None:
        return self.stays[-1][2]

    def stay_in(self, club: SimClub) -> list | None:
        for stay in self.stays:
            if stay[0] is club:
                return stay
        return None

    def age_on(self, day: Date) -> int:
        if self.birth_date:
            return (
                day.year
                - self.birth_year
                - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
            )
        return day.year - self.birth_year


# ---------------------------------------------------------------------------
# Clubs
# ---------------------------------------------------------------------------

QUALITY = ("strong", "good", "average", "weak")
QUALITY_WEIGHTS = (35, 42, 17, 6)
# Chances of (on time, late, defaults, repays early) by club quality.
REPAYMENT_BEHAVIOUR = {
    "strong": (0.90, 0.06, 0.015, 0.025),
    "good": (0.82, 0.11, 0.035, 0.035),
    "average": (0.70, 0.18, 0.08, 0.04),
    "weak": (0.55, 0.25, 0.15, 0.05),
}
RATING_BY_QUALITY = {
    "strong": (("strong", 70), ("good", 28), ("average", 2)),
    "good": (("strong", 20), ("good", 65), ("average", 14), ("weak", 1)),
    "average": (("good", 30), ("average", 60), ("weak", 10)),
    "weak": (("good", 5), ("average", 55), ("weak", 40)),
}


class SimClub:
    __slots__ = (
        "id", "code", "name", "commune", "villages", "decided", "launched", "suspended", "resumed",
        "dissolved", "quality", "members", "meeting_day", "areas_per_year",
        "rate_milli", "rate_period", "plan", "term", "minority", "main_group", "all_stays",
    )  # fmt: skip

    def __init__(self):
        self.members: list[Person] = []

    @property
    def start(self) -> Date:
        return self.launched or self.decided

    def end(self, until: Date) -> Date:
        """The last day the club could record anything."""
        return min(until, self.dissolved - DAY) if self.dissolved else until

    def running_on(self, day: Date) -> bool:
        """Launched, not dissolved, not suspended: meetings, loans and activities happen."""
        if not self.launched or day < self.launched:
            return False
        if self.dissolved and day >= self.dissolved:
            return False
        if self.suspended and self.suspended <= day and not (self.resumed and self.resumed <= day):
            return False
        return True


def commune_build(
    *, settings: Settings, commune: CommuneInfo, clubs_count: int, first_number: int, ids: Ids, rows: Rows
) -> int:
    """Simulate the clubs of one commune and append their rows. Returns the number of members made."""
    rng = random.Random(f"{settings.seed}:{commune.code}")
    builder = _CommuneBuilder(settings, commune, rng, ids, rows)
    clubs = [builder.club(first_number + i) for i in range(clubs_count)]
    for club in clubs:
        builder.people(club)
    builder.transfers(clubs)
    # Everyone who was ever in each club, with that stay (members who moved on are listed by their new club).
    for club in clubs:
        club.all_stays = []
    for club in clubs:
        for person in club.members:
            for stay in person.stays:
                stay[0].all_stays.append((person, stay))
    made = 0
    for club in clubs:
        made += builder.write_people(club)
    for club in clubs:
        builder.board(club)
        builder.teams(club)
        builder.funds_and_life(club)
        builder.care(club)
        builder.ratings(club)
    return made


class _CommuneBuilder:
    def __init__(self, settings: Settings, commune: CommuneInfo, rng: random.Random, ids: Ids, rows: Rows):
        self.s = settings
        self.until = settings.until
        self.commune = commune
        self.rng = rng
        self.ids = ids
        self.rows = rows
        self.stamp = Stamps(settings.postgres)
        self.urban = "phường" in commune.division_type.lower()
        profile = settings.profile
        # Minorities live together: a minority commune holds most of the province's minority members.
        share = profile.minority_share
        if commune.minority_area or commune.area_class in ("mountain", "border"):
            share = max(share, 0.5) if share > 0.05 else share
        if share >= 0.75:
            self.minority = _clamp(rng.gauss(share, 0.1), 0.3, 0.99)
        elif rng.random() < share / 0.75:
            self.minority = rng.uniform(0.55, 0.95)
        else:
            self.minority = min(share, 0.03) * rng.random()
        groups, weights = zip(*profile.minorities.items(), strict=True)
        self.groups, self.group_weights = groups, weights

    # -- clubs -------------------------------------------------------------------------------

    def club(self, number: int) -> SimClub:
        rng, until, commune = self.rng, self.until, self.commune
        club = SimClub()
        club.id = self.ids.take("club")
        club.code = f"SIM-{commune.province_code:02d}-{number:05d}"
        club.quality = rng.choices(QUALITY, weights=QUALITY_WEIGHTS)[0]
        club.minority = (
            _clamp(rng.gauss(self.minority, 0.08), 0, 1) if self.minority > 0.05 else self.minority
        )
        club.main_group = rng.choices(self.groups, weights=self.group_weights)[0]
        main_ethnicity = club.main_group if club.minority > 0.5 else KINH
        villages = []
        for _ in range(rng.choices((1, 2, 3), weights=(60, 30, 10))[0]):
            name = village_name(rng, region=self.s.profile.region, urban=self.urban, ethnicity=main_ethnicity)
            if name not in villages:
                villages.append(name)
        club.villages = villages
        club.name = f"CLB LTHTGN {villages[0][0].lower()}{villages[0][1:]}"
        # Age: most clubs are a few years old, some date from the first pilots (2006 onwards).
        roll = rng.random()
        years = (
            rng.uniform(0.3, 5) if roll < 0.55 else rng.uniform(5, 10) if roll < 0.95 else rng.uniform(10, 14)
        )
        club.decided = until - datetime.timedelta(days=int(years * 365.25))
        club.launched = club.suspended = club.resumed = club.dissolved = None
        if not (years < 0.45 and rng.random() < 0.5):
            launched = club.decided + datetime.timedelta(days=rng.randint(14, 75))
            club.launched = launched if launched <= until else None
        age = (until - club.start).days
        if club.launched and age > 730 and rng.random() < 0.015:
            club.suspended = until - datetime.timedelta(days=rng.randint(30, min(600, age - 365)))
            if rng.random() < 0.4:
                resumed = club.suspended + datetime.timedelta(days=rng.randint(60, 300))
                club.resumed = resumed if resumed <= until else None
        elif club.launched and age > 1100 and rng.random() < 0.008:
            club.dissolved = until - datetime.timedelta(days=rng.randint(30, min(700, age - 400)))
        club.meeting_day = rng.randint(5, 25)
        # Each club's rules (quy chế) fix its lending terms; a few loans differ.
        roll = rng.random()
        if roll < 0.3:
            club.rate_milli, club.rate_period = 0, "month"
        elif roll < 0.8:
            club.rate_milli, club.rate_period = rng.choice((300, 400, 500, 500, 600, 700, 800)), "month"
        else:
            club.rate_milli, club.rate_period = rng.choice((3600, 4800, 6000, 7200)), "year"
        club.plan = rng.choices(("equal_monthly", "at_end", "custom"), weights=(45, 45, 10))[0]
        club.term = rng.choices((12, 18, 24, 36), weights=(35, 20, 35, 10))[0]
        area_count = {"strong": (8, 8), "good": (7, 8), "average": (5, 7), "weak": (3, 5)}[club.quality]
        club.areas_per_year = area_count
        self._club_row(club)
        return club

    def _club_row(self, club: SimClub) -> None:
        rng, commune = self.rng, self.commune
        legacy_id, legacy_address, issuer = None, "", f"UBND {_lower_first(commune.name)}"
        if club.decided < REFORM_DATE and commune.legacy:
            legacy_id, legacy_name, district = rng.choice(commune.legacy)
            legacy_address = f"{_lower_first(legacy_name)}, {_lower_first(district)}"
            issuer = f"UBND {_lower_first(legacy_name)}"
        updated = max(
            d for d in (club.decided, club.launched, club.suspended, club.resumed, club.dissolved) if d
        )
        self.rows["club"].append(
            (
                club.id, club.code, club.name, commune.province_id, commune.id, ", ".join(club.villages), legacy_id,
                legacy_address, f"{rng.randint(12, 980)}/QĐ-UBND", club.decided, issuer, club.launched,
                club.suspended, club.resumed, club.dissolved, self.s.notes, self.stamp(club.decided),
                self.stamp(updated),
            )
        )  # fmt: skip

    # -- members ---------------------------------------------------------------------------

    def people(self, club: SimClub) -> None:
        """The people of a club: those there at the end date and those who left before it."""
        rng, until = self.rng, self.until
        size = int(_clamp(round(rng.gauss(self.s.avg_members, 7)), 30, 90))
        female = _clamp(rng.gauss(0.66, 0.05), 0.45, 0.85)
        older = _clamp(rng.gauss(0.65, 0.06), 0.4, 0.85)
        poor_side = _clamp(rng.gauss(0.64, 0.07), 0.3, 0.92)
        mountain = self.s.profile.region in ("north_mountain", "highlands") or club.minority > 0.5
        poor_part = 0.45 if mountain else 0.25
        end = club.end(until)
        start = club.start
        founding = start if club.launched is None else club.launched
        span = (end - founding).days
        club.members = []
        for _ in range(size):
            person = self._person(club, female=rng.random() < female, older=rng.random() < older)
            if span < 60 or rng.random() < (0.9 if span < 365 else 0.72):
                joined = founding
            else:
                joined = founding + datetime.timedelta(days=rng.randint(30, span))
            person.stays = [[club, joined, club.dissolved, "withdrew" if club.dissolved else ""]]
            person.household = _household_now(rng, poor_side, poor_part)
            club.members.append(person)
        # Those who left: about 3.5 % of the members a year.
        leavers = round(size * 0.035 * span / 365.25) if club.launched else 0
        for _ in range(leavers):
            person = self._person(club, female=rng.random() < female, older=rng.random() < older + 0.1)
            joined = (
                founding if rng.random() < 0.7 else founding + datetime.timedelta(days=rng.randint(0, span))
            )
            if (end - joined).days < 90:
                continue
            left = joined + datetime.timedelta(days=rng.randint(90, (end - joined).days))
            if person.age_on(left) >= 60:
                reason = rng.choices(("died", "moved", "withdrew", "transferred"), weights=(45, 15, 30, 10))[
                    0
                ]
            else:
                reason = rng.choices(("moved", "withdrew", "transferred"), weights=(45, 40, 15))[0]
            person.stays = [[club, joined, left, reason]]
            person.household = _household_now(rng, poor_side, poor_part)
            club.members.append(person)
        # Volunteers: at least five, mostly younger women, among those still in the club.
        current = [p for p in club.members if p.left is None or p.left > end]
        younger = [p for p in current if p.age_on(until) < 60]
        wanted = max(5, round(len(current) * rng.uniform(0.1, 0.2)))
        pool = younger + [p for p in current if 60 <= p.age_on(until) < 70]
        for person in rng.sample(pool, min(wanted, len(pool))):
            person.volunteer = True

    def _person(self, club: SimClub, *, female: bool, older: bool) -> Person:
        rng, until = self.rng, self.until
        person = Person()
        person.id = self.ids.take("member")
        person.club = club
        person.female = female
        if rng.random() < club.minority:
            person.ethnicity = (
                club.main_group if rng.random() < 0.75 else rng.choices(self.groups, self.group_weights)[0]
            )
        else:
            person.ethnicity = KINH
        age = (
            60 + min(35, int(rng.gammavariate(2, 4.5)))
            if older
            else 59 - min(34, int(rng.gammavariate(2, 5)))
        )
        person.birth_year = until.year - age
        person.birth_date = None
        if rng.random() < 0.6:
            person.birth_date = Date(person.birth_year, rng.randint(1, 12), rng.randint(1, 28))
        person.name = full_name(
            rng, ethnicity=person.ethnicity, female=female, older=age >= 55, region=self.s.profile.region
        )
        person.village = rng.choice(club.villages)
        person.volunteer = False
        person.citizen_id = None
        person.phone = ""
        if rng.random() < (0.45 if older else 0.8):
            person.phone = f"0{rng.choice('3789')}{rng.randrange(10**8):08d}"
        person.attend = _clamp(
            rng.gauss(0.86 if club.quality in ("strong", "good") else 0.75, 0.08), 0.3, 0.99
        )
        person.health = None
        return person

    def transfers(self, clubs: list[SimClub]) -> None:
        """Members who moved to another club of the commune: their stay there opens the day the first one closes."""
        for club in clubs:
            for person in list(club.members):
                stay = person.stays[-1]
                if stay[3] != "transferred":
                    continue
                moved_on = stay[2]
                targets = [
                    other
                    for other in clubs
                    if other is not club
                    and other.start <= moved_on
                    and (other.dissolved is None or other.dissolved > moved_on + DAY)
                ]
                if not targets:
                    stay[3] = "moved"
                    continue
                other = self.rng.choice(targets)
                person.stays.append([other, moved_on, other.dissolved, "withdrew" if other.dissolved else ""])
                person.club = other
                club.members.remove(person)
                other.members.append(person)

    def write_people(self, club: SimClub) -> int:
        """Member, membership and household rows for the people whose last club is `club`."""
        rng, until, rows, stamp = self.rng, self.until, self.rows, self.stamp
        member_rows, stay_rows, status_rows = rows["member"], rows["membership"], rows["household"]
        for person in club.members:
            first_joined = person.stays[0][1]
            statuses = _household_history(rng, person.household, first_joined, until)
            person.statuses = statuses
            for status, valid_from, valid_to in statuses:
                status_rows.append((person.id, status, valid_from, valid_to, _poverty_period(valid_from), ""))
            if person.citizen_id is None and rng.random() < (0.55 if club.minority > 0.5 else 0.72):
                person.citizen_id = self._citizen_id(person)
            insured = person.household in ("poor", "near_poor") or person.age_on(until) >= 80
            person.insured = insured or rng.random() < 0.72
            person.insured_until = None
            if person.insured:
                person.insured_until = Date(until.year + rng.choice((0, 0, 1)), 12, 31)
                if rng.random() < 0.05:
                    person.insured_until = until - datetime.timedelta(days=rng.randint(1, 90))
            joined, left, reason = person.stays[-1][1], person.stays[-1][2], person.stays[-1][3]
            member_rows.append(
                (
                    person.id, club.id, person.name, _search_key(person.name), person.birth_year, person.birth_date,
                    "F" if person.female else "M", person.ethnicity, _status_on(statuses, until),
                    person.citizen_id, person.phone, person.village, joined, left, reason if left else "",
                    person.volunteer, person.insured, person.insured_until, "", stamp(first_joined),
                    stamp(left or joined),
                )
            )  # fmt: skip
            for stay_club, stay_joined, stay_left, stay_reason in person.stays:
                stay_rows.append(
                    (person.id, stay_club.id, stay_joined, stay_left, stay_reason if stay_left else "")
                )
        return len(club.members)

    def _citizen_id(self, person: Person) -> str:
        """12 digits: birth province, century and sex, year of birth, then a serial unique per bucket."""
        century_sex = (0 if person.birth_year < 2000 else 2) + (1 if person.female else 0)
        province = self.rng.choice(self.s.id_prefixes)
        bucket = (province, century_sex, person.birth_year % 100)
        serials = self.s.citizen_serials
        while True:
            serials[bucket] = serials.get(bucket, 0) + self.rng.randint(1, 40)
            value = f"{province:03d}{century_sex}{person.birth_year % 100:02d}{serials[bucket]:06d}"
            if value not in self.s.taken_citizen_ids:
                return value

    # -- board and teams ---------------------------------------------------------------------

    def board(self, club: SimClub) -> None:
        """Boards elected every three years; a seat runs on while its holder is re-elected."""
        rng, until = self.rng, self.until
        end = club.end(until)
        term_starts = []
        day = club.start
        while day <= end:
            term_starts.append(day)
            day = add_months(day, 36)
        seats: dict[str, list] = {}  # role key -> [person, from, to]
        done: list[list] = []
        for index, start in enumerate(term_starts):
            term_end = term_starts[index + 1] - DAY if index + 1 < len(term_starts) else end
            eligible = [
                p for p in club.members
                if p.stays[-1][0] is club and p.stays[-1][1] <= start and (p.left is None or p.left > term_end)
            ]  # fmt: skip
            roles = ["chair", "vice_chair", "treasurer", "secretary"]
            if rng.random() < 0.4:
                roles.insert(2, "vice_chair")
            if rng.random() < 0.7:
                roles.append("accountant")
            roles += ["member"] * rng.choice((0, 1, 1, 2))
            taken: set[int] = set()
            new_seats: dict[str, list] = {}
            for position, role in enumerate(roles):
                key = f"{role}:{position}"
                previous = seats.get(key)
                if (
                    previous
                    and previous[0] in eligible
                    and previous[0].id not in taken
                    and rng.random() < 0.65
                ):
                    previous[2] = None
                    new_seats[key] = previous
                    taken.add(previous[0].id)
                    continue
                candidates = [p for p in eligible if p.id not in taken]
                if not candidates:
                    break
                if role == "chair":
                    preferred = [p for p in candidates if p.age_on(start) >= 60] or candidates
                elif role in ("treasurer", "accountant", "secretary"):
                    preferred = [p for p in candidates if p.female and p.age_on(start) < 65] or candidates
                else:
                    preferred = candidates
                person = rng.choice(preferred)
                taken.add(person.id)
                new_seats[key] = [person, start, None, role]
            for key, seat in seats.items():
                if new_seats.get(key) is not seat:
                    seat[2] = start - DAY
                    done.append(seat)
            seats = new_seats
        if club.dissolved:
            for seat in seats.values():
                seat[2] = club.dissolved - DAY
        for person, from_date, to_date, role in done + list(seats.values()):
            self.rows["board"].append((club.id, person.id, role, from_date, to_date))

    def teams(self, club: SimClub) -> None:
        """Specialised teams for the club's areas, and neighbourhood groups of four to six."""
        if club.dissolved or not club.launched:
            return
        rng, until = self.rng, self.until
        current = [p for p in club.members if p.left is None]
        if not current:
            return
        team_rows, member_rows = self.rows["team"], self.rows["team_member"]
        low, high = club.areas_per_year
        areas = sorted(rng.sample(range(1, 9), rng.randint(max(3, low - 1), high)))
        for area in areas:
            if area == 3:
                pool = [p for p in current if p.volunteer] or current
            elif area == 2:
                pool = [p for p in current if p.age_on(until) >= 60] or current
            else:
                pool = current
            chosen = rng.sample(pool, min(len(pool), rng.randint(4, 9)))
            team_id = self.ids.take("team")
            team_rows.append((team_id, club.id, "team", TEAM_NAMES[area], area, chosen[0].id))
            member_rows.extend((team_id, p.id) for p in chosen)
        by_village = sorted(current, key=lambda p: (p.village, p.id))
        number = 0
        index = 0
        while index < len(by_village):
            size = rng.randint(4, 6)
            group = by_village[index : index + size]
            index += size
            number += 1
            team_id = self.ids.take("team")
            team_rows.append(
                (team_id, club.id, "group", f"Nhóm {number} – {group[0].village}", None, group[0].id)
            )
            member_rows.extend((team_id, p.id) for p in group)

    # -- funds, loans and club life ---------------------------------------------------------

    def funds_and_life(self, club: SimClub) -> None:
        _FundsAndLife(self, club).run()

    # -- home care --------------------------------------------------------------------------

    def care(self, club: SimClub) -> None:
        """Volunteers assigned to frail or lonely older members; their visits of the last months."""
        if not club.launched:
            return
        rng, until = self.rng, self.until
        end = club.end(until)
        members = [p for p in club.members if p.stays[-1][0] is club]
        volunteers = [p for p in members if p.volunteer]
        frail = [
            p for p in members if p.age_on(until) >= 75 or (p.household == "poor" and p.age_on(until) >= 65)
        ]
        if not volunteers or not frail:
            return
        rows, visits = self.rows["care_assignment"], self.rows["care_visit"]
        for beneficiary in rng.sample(frail, min(len(frail), rng.randint(3, 8))):
            volunteer = rng.choice(volunteers)
            if volunteer is beneficiary:
                continue
            start = max(
                club.launched + datetime.timedelta(days=rng.randint(30, 365)),
                beneficiary.joined,
                volunteer.joined,
            )
            stop = min(d for d in (beneficiary.left, volunteer.left, club.dissolved, end + DAY) if d) - DAY
            if start > stop:
                continue
            periods = [(volunteer, start, None if stop >= end and not club.dissolved else stop)]
            if (stop - start).days > 400 and rng.random() < 0.2:  # another volunteer takes over
                change = _between(
                    rng, start + datetime.timedelta(days=180), stop - datetime.timedelta(days=60)
                )
                other = rng.choice(volunteers)
                if other is not beneficiary and other is not volunteer and other.joined <= change:
                    periods = [(volunteer, start, change - DAY), (other, change, periods[0][2])]
            for giver, from_date, to_date in periods:
                rows.append((club.id, giver.id, beneficiary.id, from_date, to_date))
                first = max(from_date, until - datetime.timedelta(days=VISIT_DAYS))
                last = to_date or end
                day = first + datetime.timedelta(days=rng.randint(0, 10))
                while day <= last:
                    tasks = rng.sample(CARE_TASKS, rng.choices((1, 2, 3), weights=(40, 40, 20))[0])
                    if "talk" not in tasks and rng.random() < 0.6:
                        tasks.insert(0, "talk")
                    visits.append((club.id, day, giver.id, beneficiary.id, json.dumps(tasks), "", None))
                    day = _plus(day, 5 + int(rng.random() * 16))

    # -- ratings ----------------------------------------------------------------------------

    def ratings(self, club: SimClub) -> None:
        if not club.launched:
            return
        rng, until = self.rng, self.until
        choices, weights = zip(*RATING_BY_QUALITY[club.quality], strict=True)
        for year in range(club.launched.year, until.year):
            if club.launched > Date(year, 9, 30) or (club.dissolved and club.dissolved <= Date(year, 12, 31)):
                continue
            rated_on = (
                Date(year, 12, rng.randint(5, 28))
                if rng.random() < 0.7
                else Date(year + 1, 1, rng.randint(5, 25))
            )
            if rated_on > until:
                continue
            self.rows["rating"].append((club.id, year, rng.choices(choices, weights)[0], rated_on, "", None))


TEAM_NAMES = {
    1: "Tổ Tăng thu nhập",
    2: "Tổ Chăm sóc sức khỏe",
    3: "Tổ Tình nguyện viên chăm sóc tại nhà",
    4: "Tổ Tự giúp nhau",
    5: "Tổ Quyền và lợi ích",
    6: "Tổ Học tập",
    7: "Tổ Văn nghệ – Thể thao",
    8: "Tổ Vận động nguồn lực",
}
CARE_TASKS = ["talk", "meals", "cleaning", "medicine", "personal", "farm", "other"]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


_KEYS: dict[str, str] = {}


def _search_key(name: str) -> str:
    key = _KEYS.get(name)
    if key is None:
        if len(_KEYS) > 200_000:
            _KEYS.clear()
        key = _KEYS[name] = search_key(name)
    return key


# ---------------------------------------------------------------------------
# Household statuses
# ---------------------------------------------------------------------------

_EARLIER = {  # the status a member more likely had before a change to the key status
    "poor": (("near_poor", 50), ("hardship", 30), ("none", 20)),
    "near_poor": (("poor", 60), ("none", 20), ("hardship", 20)),
    "hardship": (("none", 50), ("poor", 25), ("near_poor", 25)),
    "none": (("near_poor", 60), ("poor", 30), ("hardship", 10)),
}


def _household_now(rng: random.Random, poor_side: float, poor_part: float) -> str:
    if rng.random() >= poor_side:
        return "none"
    roll = rng.random()
    return "poor" if roll < poor_part else "near_poor" if roll < poor_part + 0.35 else "hardship"


def _household_history(
    rng: random.Random, now: str, joined: Date, until: Date
) -> list[tuple[str, Date, Date | None]]:
    """Periods (status, valid_from, valid_to) from joining to the end date, changing at yearly reviews.

    Built backwards from today's status. A leading 'none' period is not written (as member_create
    writes no row for a member with no particular status); valid_to is the day before the next start.
    """
    starts = [joined] + [Date(year, 1, 1) for year in range(joined.year + 1, until.year + 1)]
    statuses = [now]
    for _ in starts[1:]:
        previous = statuses[-1]
        if rng.random() < 0.12:
            options, weights = zip(*_EARLIER[previous], strict=True)
            previous = rng.choices(options, weights)[0]
        statuses.append(previous)
    statuses.reverse()  # statuses[i] is valid from starts[i]
    periods: list[list] = []
    for status, start in zip(statuses, starts, strict=True):
        if periods and periods[-1][0] == status:
            continue
        if periods:
            periods[-1][2] = start - DAY
        periods.append([status, start, None])
    if periods and periods[0][0] == "none":
        periods.pop(0)
    return [tuple(p) for p in periods]


def _status_on(periods: list[tuple], day: Date) -> str:
    for status, start, end in periods:
        if start <= day and (end is None or end >= day):
            return status
    return "none"


def _poverty_period(valid_from: Date) -> str:
    if valid_from.year <= 2021:
        return "2016–2020"
    if valid_from.year <= 2026:
        return "2022–2025"
    return "2027–2030"


# ---------------------------------------------------------------------------
# Funds, loans, meetings, activities: one chronological pass per club.
# ---------------------------------------------------------------------------

# Chance a month that a member without a loan asks for one, by household status.
BORROWING = {"poor": 0.05, "near_poor": 0.045, "hardship": 0.04}
MOST_BORROWING = max(BORROWING.values())
PURPOSES = {
    "livestock": (
        40,
        ("Nuôi lợn", "Nuôi gà", "Nuôi bò sinh sản", "Nuôi vịt", "Nuôi dê", "Nuôi cá", "Nuôi trâu"),
    ),
    "crops": (
        25,
        ("Trồng rau", "Trồng lúa", "Trồng chè", "Trồng ngô", "Trồng cây ăn quả", "Trồng sắn", "Trồng cà phê"),
    ),
    "trade": (15, ("Bán hàng tạp hóa", "Buôn bán rau quả", "Bán quà sáng", "Bán hàng ăn")),
    "services": (8, ("Sửa xe máy", "Cắt tóc", "Xay xát", "May vá")),
    "processing": (7, ("Chế biến chè", "Làm bánh", "Làm đậu phụ", "Làm bún")),
    "other": (5, ("Mua máy khâu", "Sửa chuồng trại", "Mua máy tuốt lúa")),
}
_PURPOSE_KEYS = list(PURPOSES)
_PURPOSE_WEIGHTS = [PURPOSES[k][0] for k in _PURPOSE_KEYS]

# Activities beyond the monthly meeting: per area, (times a year, titles, kind).
AREA_ACTIVITIES = {
    1: (2, "training", ("Tập huấn kỹ thuật chăn nuôi", "Tập huấn trồng rau an toàn", "Tham quan mô hình sinh kế",
                        "Hướng dẫn làm chè sạch", "Chia sẻ kinh nghiệm làm kinh tế hộ")),
    3: (4, "home_care", ("Thăm, chăm sóc người cao tuổi cô đơn tại nhà", "Giúp thành viên ốm dọn dẹp nhà cửa",
                         "Thăm hỏi thành viên ốm đau")),
    4: (3, "community", ("Dọn vệ sinh đường làng", "Ngày công giúp gia đình khó khăn sửa nhà", "Trồng cây xanh",
                         "Giúp thành viên thu hoạch mùa màng")),
    5: (1, "rights", ("Tư vấn chính sách trợ cấp xã hội", "Hỗ trợ làm thẻ bảo hiểm y tế", "Trợ giúp pháp lý miễn phí")),
    6: (3, "training", ("Nói chuyện chuyên đề phòng chống đột quỵ", "Tuyên truyền Luật Người cao tuổi",
                        "Phòng chống lừa đảo qua điện thoại", "Dinh dưỡng cho người cao tuổi",
                        "Hướng dẫn sử dụng điện thoại thông minh")),
    7: (4, "culture", ("Giao lưu văn nghệ mừng Xuân", "Chúc thọ người cao tuổi", "Thi đấu bóng chuyền hơi",
                       "Kỷ niệm Ngày Quốc tế Người cao tuổi 1/10", "Tập dưỡng sinh, thể dục buổi sáng")),
    8: (1, "fund_raising", ("Vận động ủng hộ quỹ CLB", "Vận động nhà hảo tâm hỗ trợ thành viên khó khăn")),
}  # fmt: skip
DONORS_ORG = ("Tổ chức HelpAge International", "Hội Chữ thập đỏ huyện", "Doanh nghiệp trên địa bàn",
              "Ngân hàng trên địa bàn", "Quỹ Hy vọng")  # fmt: skip


class _Fund:
    """A fund's ledger and cash as the simulation runs (cash falls only through checked outflows)."""

    def __init__(self, fund_id: int):
        self.id = fund_id
        self.cash = 0
        self.inflows: list[tuple[Date, int, int]] = []  # heap of (date, seq, amount) still to come
        self.seq = 0
        self.receipts: dict[int, int] = defaultdict(int)
        self.payments: dict[int, int] = defaultdict(int)

    def expect(self, day: Date, amount: int) -> None:
        self.seq += 1
        heapq.heappush(self.inflows, (day, self.seq, amount))

    def advance(self, day: Date) -> None:
        inflows = self.inflows
        while inflows and inflows[0][0] <= day:
            self.cash += heapq.heappop(inflows)[2]

    def document(self, day: Date, incoming: bool) -> str:
        book = self.receipts if incoming else self.payments
        book[day.year] += 1
        return f"{'PT' if incoming else 'PC'}{book[day.year]:03d}/{day.year}"


class _FundsAndLife:
    def __init__(self, builder: _CommuneBuilder, club: SimClub):
        self.b = builder
        self.rng = builder.rng
        self.until = builder.until
        self.club = club
        self.rows = builder.rows
        self.stamp = builder.stamp
        self.ids = builder.ids
        self.stays = club.all_stays

    def run(self) -> None:
        club, rows, ids = self.club, self.rows, self.ids
        opened = club.launched or club.decided
        income, activity = _Fund(ids.take("fund")), _Fund(ids.take("fund"))
        rows["fund"].append((income.id, club.id, "income", opened))
        rows["fund"].append((activity.id, club.id, "activity", opened))
        if not club.launched:
            return
        self.income, self.activity = income, activity
        self.interest_by_year: dict[int, int] = defaultdict(int)
        self.recent_meetings: dict[Date, int] = {}
        self._launch_contributions()
        end = club.end(self.until)
        # Everything happens in date order, so that a fund's cash is known on the day money leaves it.
        planned = self._plan_other_activities(end)
        next_planned = 0
        month = Date(club.launched.year, club.launched.month, 1)
        while month <= end:
            day = month.replace(day=min(club.meeting_day, _month_days(month.year, month.month)))
            if club.launched <= day <= end and club.running_on(day):
                while next_planned < len(planned) and planned[next_planned][0] <= day:
                    self._activity(*planned[next_planned])
                    next_planned += 1
                self._month(day)
            month = add_months(month, 1)
        for item in planned[next_planned:]:
            self._activity(*item)

    # ledger helpers

    def _entry(self, fund: _Fund, day: Date, kind: str, amount: int, *, source="", category="", member=None,
               note="", repayment=None, loan=None, pair=None) -> int:  # fmt: skip
        entry_id = self.ids.take("entry")
        incoming = kind in ("contribution", "interest", "transfer_in")
        self.rows["entry"].append(
            (
                entry_id, fund.id, day, kind, amount, 1 if incoming else -1, source, category, member,
                fund.document(day, incoming), note, None, repayment, loan, pair, None, self.stamp(day),
            )
        )  # fmt: skip
        return entry_id

    def _contribute(self, fund: _Fund, day: Date, amount: int, source: str, note: str, member=None) -> int:
        fund.advance(day)
        fund.cash += amount
        return self._entry(fund, day, "contribution", amount, source=source, member=member, note=note)

    def _spend(self, fund: _Fund, day: Date, amount: int, category: str, note: str) -> None:
        fund.advance(day)
        if amount <= fund.cash:
            fund.cash -= amount
            self._entry(fund, day, "expense", amount, category=category, note=note)

    def _launch_contributions(self) -> None:
        rng, club = self.rng, self.club
        day = club.launched
        if rng.random() < 0.85:
            low, high = (
                (50, 70) if club.launched.year >= 2021 and self.b.commune.province_code == 38 else (20, 60)
            )
            self._contribute(self.income, day, rng.randint(low, high) * 1_000_000, "state",
                             "Ngân sách tỉnh hỗ trợ vốn ban đầu")  # fmt: skip
        for person, stay in self.stays:
            if stay[1] == day:
                amount = rng.choices(
                    (100_000, 200_000, 300_000, 500_000, 1_000_000), weights=(20, 30, 20, 20, 10)
                )[0]
                self._contribute(
                    self.income, day, amount, "members", "Góp vốn quỹ tăng thu nhập", member=person.id
                )
        founders = sum(1 for _, stay in self.stays if stay[1] == day)
        if founders:
            self._contribute(self.activity, day, _round_to(founders * rng.uniform(20_000, 50_000), 10_000),
                             "members", "Thành viên đóng góp quỹ hoạt động khi thành lập")  # fmt: skip
        if rng.random() < 0.1:
            self._contribute(
                self.income, day, rng.randint(10, 30) * 1_000_000, "project", "Dự án hỗ trợ vốn sinh kế"
            )

    # one month of club life

    def _month(self, day: Date) -> None:
        rng, club = self.rng, self.club
        income, activity = self.income, self.activity
        present = [(p, s) for p, s in self.stays if s[1] <= day and (s[2] is None or s[2] > day)]
        # New members pay their share into the income fund at their first meeting.
        since = add_months(day, -1)
        for person, stay in present:
            if stay[1] > since and stay[1] != club.launched:
                self._contribute(income, day, rng.choice((100_000, 200_000, 300_000, 500_000)), "members",
                                 "Góp vốn quỹ tăng thu nhập", member=person.id)  # fmt: skip
        if day.month == 12 and rng.random() < 0.4 and present:
            self._contribute(income, day, _round_to(len(present) * rng.uniform(20_000, 100_000), 10_000), "members",
                             f"Thành viên đóng góp bổ sung năm {day.year}")  # fmt: skip
        if day.month == 1 and present:
            self._contribute(activity, day, _round_to(len(present) * rng.uniform(24_000, 60_000), 10_000), "members",
                             f"Thành viên đóng hội phí năm {day.year}")  # fmt: skip
            if rng.random() < 0.5:
                self._contribute(
                    activity, day, rng.randint(1, 5) * 1_000_000, "donor_person", "Ủng hộ dịp Tết"
                )
            self._interest_transfer(day)
        roll = rng.random()
        if roll < 0.01:
            self._contribute(income, day, rng.randint(5, 30) * 1_000_000, "donor_org", rng.choice(DONORS_ORG))
        elif roll < 0.02:
            self._contribute(
                income, day, rng.randint(2, 10) * 1_000_000, "donor_person", "Nhà hảo tâm ủng hộ"
            )
        elif roll < 0.027:
            self._contribute(income, day, rng.randint(5, 20) * 1_000_000, "care_fund",
                             "Quỹ chăm sóc và phát huy vai trò NCT hỗ trợ")  # fmt: skip
        self._spend(activity, day, rng.randint(10, 30) * 10_000, "meetings", "Chi nước uống buổi sinh hoạt")
        if rng.random() < 0.25:
            self._spend(activity, day, rng.randint(20, 60) * 10_000, "visits", "Thăm hỏi thành viên ốm đau")
        if day.month == 3 and rng.random() < 0.7:
            self._spend(
                activity, day, rng.randint(10, 30) * 10_000, "stationery", "Mua sổ sách, văn phòng phẩm"
            )
        self._meeting(day, present)
        self._lend(day, present)

    def _interest_transfer(self, day: Date) -> None:
        """Part of last year's interest goes to the activity fund, as many clubs' rules say."""
        interest = self.interest_by_year.get(day.year - 1, 0)
        if interest < 200_000 or self.rng.random() < 0.3:
            return
        amount = _round_to(interest * self.rng.uniform(0.3, 0.5), 10_000)
        income, activity = self.income, self.activity
        income.advance(day)
        if amount > income.cash:
            return
        income.cash -= amount
        activity.advance(day)
        activity.cash += amount
        out_id, in_id = self.ids.take("entry"), self.ids.take("entry")
        note = f"Chuyển lãi năm {day.year - 1} sang quỹ hoạt động"
        stamp = self.stamp(day)
        self.rows["entry"].append(
            (out_id, income.id, day, "transfer_out", amount, -1, "", "", None, income.document(day, False), note,
             None, None, None, in_id, None, stamp)
        )  # fmt: skip
        self.rows["entry"].append(
            (in_id, activity.id, day, "transfer_in", amount, 1, "", "", None, activity.document(day, True), note,
             None, None, None, out_id, None, stamp)
        )  # fmt: skip

    def _meeting(self, day: Date, present: list) -> None:
        rng, rows, club = self.rng, self.rows, self.club
        meeting_id = self.ids.take("activity")
        recorded = (self.until - day).days <= ATTENDANCE_DAYS
        attending = 0
        measured = []
        if recorded:
            attendance = rows["attendance"]
            for person, _stay in present:
                roll = rng.random()
                status = (
                    "present"
                    if roll < person.attend
                    else "represented"
                    if roll < person.attend + 0.04
                    else "absent"
                )
                attendance.append((meeting_id, person.id, status))
                if status != "absent":
                    attending += 1
                if status == "present" and person.age_on(day) >= 60 and rng.random() < 0.85:
                    measured.append(person)
        else:
            attending = round(len(present) * rng.uniform(0.7, 0.95))
        stamp = self.stamp(day)
        rows["activity"].append(
            (meeting_id, club.id, day, 4, "meeting", f"Sinh hoạt định kỳ tháng {day:%m/%Y}", "", attending, 0, None,
             None, None, stamp)
        )  # fmt: skip
        # The health area: weight and blood pressure at the meeting, most months.
        if rng.random() < (0.95 if club.quality in ("strong", "good") else 0.7):
            health_id = self.ids.take("activity")
            count = len(measured) if recorded else round(attending * rng.uniform(0.4, 0.6))
            rows["activity"].append(
                (health_id, club.id, day, 2, "health_check", f"Đo cân nặng, huyết áp tại buổi sinh hoạt {day:%d/%m/%Y}",
                 "", count, 0, None, None, None, stamp)
            )  # fmt: skip
            checks = rows["health_check"]
            for person in measured:
                weight, systolic, diastolic, pulse = _reading(rng, person)
                note = "Huyết áp cao, đề nghị đi khám" if systolic >= 160 else ""
                checks.append(
                    (person.id, club.id, day, weight, systolic, diastolic, pulse, note, health_id, None)
                )

    def _lend(self, day: Date, present: list) -> None:
        """Loans at the meeting, while the fund holds the money (a small reserve stays in cash)."""
        rng, income = self.rng, self.income
        income.advance(day)
        reserve = 1_000_000
        if income.cash - reserve < 2_000_000:
            return
        candidates = [
            (p, s) for p, s in present
            if p.loan_free_from is not None and p.loan_free_from <= day and (s[2] is None or (s[2] - day).days > 60)
        ]  # fmt: skip
        rng.shuffle(candidates)
        year_factor = 1 + 0.05 * max(0, day.year - 2015)
        for person, stay in candidates:
            roll = rng.random()
            if roll >= MOST_BORROWING or roll >= BORROWING.get(_status_on(person.statuses, day), 0.02):
                continue
            available = income.cash - reserve
            wanted = _round_to(
                rng.choice((3, 4, 5, 5, 6, 7, 8, 10, 10, 15)) * 1_000_000 * min(year_factor, 1.6), 500_000
            )
            if wanted > available:
                if available < 2_000_000 or rng.random() < 0.5:
                    break
                wanted = available // 500_000 * 500_000
            self._loan(day, person, stay, wanted)
            if income.cash - reserve < 2_000_000:
                break

    def _loan(self, day: Date, person: Person, stay: list, principal: int) -> None:
        rng, club, until, rows = self.rng, self.club, self.until, self.rows
        income = self.income
        income.cash -= principal
        loan_id = self.ids.take("loan")
        plan = club.plan if rng.random() < 0.85 else rng.choice(("equal_monthly", "at_end"))
        term = club.term if rng.random() < 0.8 else rng.choice((6, 12, 24))
        if plan == "custom" and term % 3:
            plan = "equal_monthly"
        purpose = rng.choices(_PURPOSE_KEYS, weights=_PURPOSE_WEIGHTS)[0]
        schedule = loan_schedule(principal, day, term, club.rate_milli, club.rate_period, plan)
        # How this borrower pays: on time, late, stops paying, or pays off early.
        behaviour = rng.choices(("on_time", "late", "default", "early"), REPAYMENT_BEHAVIOUR[club.quality])[0]
        left, reason = stay[2], stay[3]
        payments: list[list] = []  # [paid_on, principal, interest]
        stop_after = len(schedule) if behaviour != "default" else rng.randint(0, len(schedule) - 1)
        early_at = rng.randint(1, len(schedule) - 1) if behaviour == "early" and len(schedule) > 1 else None
        last_paid = day
        owed = principal
        write_off = None
        random = rng.random
        late = behaviour == "late"
        for index, (_number, due, principal_due, interest_due, _cumulative) in enumerate(schedule):
            if index >= stop_after:
                break
            if late:
                delay = 5 + int(random() * 21) if random() < 0.6 else 31 + int(random() * 90)
            else:
                delay = int(random() * 6) - 3
            paid = max(last_paid, _plus(due, delay), day)
            if left and paid >= left:  # the borrower leaves the club before this instalment
                break
            if paid > until:
                break
            if early_at is not None and index == early_at:
                payments.append([paid, owed, interest_due])
                owed = 0
                break
            if payments and payments[-1][0] == paid:
                payments[-1][1] += principal_due
                payments[-1][2] += interest_due
            else:
                payments.append([paid, principal_due, interest_due])
            owed -= principal_due
            last_paid = paid
        if owed > 0 and left and left <= until and (not payments or payments[-1][0] < left):
            settle = max(last_paid, left - datetime.timedelta(days=rng.randint(1, 10)), day)
            if reason == "died":
                # Whatever was owed is written off some months after the death.
                off = left + datetime.timedelta(days=rng.randint(30, 180))
                if off <= until:
                    write_off = (off, "Người vay qua đời, gia đình không còn khả năng trả nợ")
            elif settle <= until:
                payments.append([settle, owed, 0])
                owed = 0
        if owed > 0 and behaviour == "default" and write_off is None:
            stopped = schedule[stop_after][1] if stop_after < len(schedule) else schedule[-1][1]
            off = stopped + datetime.timedelta(days=rng.randint(365, 540))
            if off <= until and rng.random() < 0.6:
                write_off = (off, rng.choice(("Người vay ốm nặng, hoàn cảnh đặc biệt khó khăn",
                                              "Thiên tai mất trắng, không còn khả năng trả nợ")))  # fmt: skip
        # Rows: the loan, its schedule, repayments and their interest in the ledger.
        repaid_total = 0
        repaid_on = None
        repayment_rows, entry_rows = rows["repayment"], rows["entry"]
        steps = []
        for paid, part, interest in payments:
            if part <= 0 and interest <= 0:
                continue
            repayment_id = self.ids.take("repayment")
            stamp = self.stamp(paid)
            repayment_rows.append((repayment_id, loan_id, paid, part, interest, "", None, None, stamp))
            income.expect(paid, part + interest)
            repaid_total += part
            steps.append((paid, repaid_total))
            if repaid_total >= principal and repaid_on is None:
                repaid_on = paid
            if interest > 0:
                self.interest_by_year[paid.year] += interest
                entry_rows.append(
                    (self.ids.take("entry"), income.id, paid, "interest", interest, 1, "", "", person.id,
                     income.document(paid, True), f"Lãi khoản vay của {person.name}", None, repayment_id, loan_id,
                     None, None, stamp)
                )  # fmt: skip
        written_off_on, written_off_amount, write_off_reason, approved = None, 0, "", ""
        if write_off and principal - repaid_total > 0:
            written_off_on, write_off_reason = write_off
            written_off_amount = principal - repaid_total
            approved = "Ban Chủ nhiệm CLB, Hội NCT xã"
            entry_rows.append(
                (self.ids.take("entry"), income.id, written_off_on, "write_off", written_off_amount, -1, "", "",
                 person.id, "", write_off_reason, None, None, loan_id, None, None, self.stamp(written_off_on))
            )  # fmt: skip
        # Instalment.paid_on: the day the principal repaid first covered the cumulative principal due.
        instalments = rows["instalment"]
        step = on_time = 0
        for number, due, principal_due, interest_due, cumulative in schedule:
            while step < len(steps) and steps[step][1] < cumulative:
                step += 1
            covered = steps[step][0] if step < len(steps) else None
            if covered is not None and covered <= due:
                on_time += 1
            instalments.append((loan_id, number, due, principal_due, interest_due, cumulative, covered))
        purpose_text = rng.choice(PURPOSES[purpose][1])
        rows["loan"].append(
            (loan_id, income.id, person.id, day, principal, purpose, purpose_text, term, _rate_text(club.rate_milli),
             club.rate_period, plan, 0, repaid_on, schedule[-1][1], len(schedule), on_time, written_off_on,
             written_off_amount, write_off_reason, approved, "", None, self.stamp(day))
        )  # fmt: skip
        if repaid_on:
            person.loan_free_from = repaid_on + DAY
        elif written_off_on:
            person.loan_free_from = None  # no new loan after a write-off
        else:
            person.loan_free_from = None if behaviour == "default" else Date.max

    def _plan_other_activities(self, end: Date) -> list[tuple[Date, int, str, str]]:
        """Activities of the other areas, year by year, in date order; a good club covers all eight."""
        rng, club = self.rng, self.club
        low, high = club.areas_per_year
        planned = []
        for year in range(club.launched.year, end.year + 1):
            first, last = max(club.launched, Date(year, 1, 1)), min(end, Date(year, 12, 31))
            if first > last:
                continue
            share_of_year = ((last - first).days + 1) / 365
            for area in [1, *rng.sample([3, 4, 5, 6, 7, 8], rng.randint(low, high) - 2)]:
                per_year, kind, titles = AREA_ACTIVITIES[area]
                for _ in range(max(1, round(rng.uniform(0.6, 1.4) * per_year * share_of_year))):
                    day = _between(rng, first, last)
                    if club.running_on(day):
                        planned.append((day, area, kind, rng.choice(titles)))
        planned.sort(key=lambda item: item[0])
        return planned

    def _activity(self, day: Date, area: int, kind: str, title: str) -> None:
        rng, club, rows = self.rng, self.club, self.rows
        present = [p for p, s in self.stays if s[1] <= day and (s[2] is None or s[2] > day)]
        if not present:
            return
        activity_id = self.ids.take("activity")
        count = max(1, round(len(present) * rng.uniform(0.3, 0.9)))
        volunteers = sum(1 for p in present if p.volunteer) if kind in ("home_care", "community") else 0
        money, entry_id = None, None
        if kind == "fund_raising":
            money = rng.randint(1, 10) * 500_000
            if rng.random() < 0.7:
                fund = self.income if rng.random() < 0.15 else self.activity
                entry_id = self._contribute(
                    fund, day, money, rng.choice(("donor_person", "donor_org", "other")), title
                )
        elif kind == "culture" and rng.random() < 0.5:
            self._spend(self.activity, day, rng.randint(5, 20) * 100_000, "culture", title)
        rows["activity"].append(
            (activity_id, club.id, day, area, kind, title, "", count, volunteers, money, entry_id, None, self.stamp(day))
        )  # fmt: skip
        if (self.until - day).days <= PARTICIPANTS_DAYS:
            chosen = rng.sample(present, min(len(present), count, 25))
            rows["participant"].extend((activity_id, p.id) for p in chosen)


def _reading(rng: random.Random, person: Person) -> tuple[str, int, int, int]:
    """Weight (kg, one decimal), blood pressure and pulse around the person's own baseline."""
    if person.health is None:
        base_weight = rng.gauss(47 if person.female else 54, 6)
        hypertensive = rng.random() < 0.3
        base_systolic = rng.gauss(152, 10) if hypertensive else rng.gauss(125, 10)
        person.health = (base_weight, base_systolic, rng.gauss(76, 7))
    weight, systolic, pulse = person.health
    s = int(_clamp(rng.gauss(systolic, 6), 90, 220))
    d = int(_clamp(s * 0.6 + rng.gauss(0, 5), 50, 130))
    return (
        f"{_clamp(weight + rng.gauss(0, 0.8), 30, 120):.1f}",
        s,
        d,
        int(_clamp(rng.gauss(pulse, 5), 45, 130)),
    )


# ---------------------------------------------------------------------------
# Repayment schedules: the same rules as funds.schedule, in integer arithmetic for speed.
# ---------------------------------------------------------------------------


def _rate_text(rate_milli: int) -> str:
    return f"{rate_milli // 1000}.{rate_milli % 1000:03d}"


def _interest(balance: int, rate_milli: int, divisor: int) -> int:
    """balance × rate, rounded half up to the đồng (rate = rate_milli / divisor)."""
    return (2 * balance * rate_milli + divisor) // (2 * divisor)


def loan_schedule(
    principal: int, disbursed: Date, term: int, rate_milli: int, rate_period: str, plan: str
) -> list[tuple[int, Date, int, int, int]]:
    """(number, due_on, principal_due, interest_due, principal_due_cumulative) for each instalment.

    Equal monthly principal (parts rounded down to the thousand, the rest in the last) with interest
    on the declining balance; all at the end with the whole term's interest; "custom" here is one
    instalment a quarter, interest for the three months on the declining balance.
    """
    divisor = 100_000 if rate_period == "month" else 1_200_000  # rate_milli is the rate × 1000, in %
    rows = []
    if plan == "at_end":
        interest = _interest(principal * term, rate_milli, divisor)
        return [(1, add_months(disbursed, term), principal, interest, principal)]
    step = 3 if plan == "custom" else 1
    count = term // step
    part = principal // count
    if principal % 1000 == 0 and part >= 1000:
        part = part // 1000 * 1000
    balance, cumulative = principal, 0
    for number in range(1, count + 1):
        this = part if number < count else principal - part * (count - 1)
        interest = _interest(balance * step, rate_milli, divisor)
        cumulative += this
        rows.append((number, add_months(disbursed, number * step), this, interest, cumulative))
        balance -= this
    return rows
