import datetime

import pytest

from devdata.generate import generate_data, reset_generated
from tests.conftest import places_present

UNTIL = datetime.date(2026, 6, 30)
SEED = 7
CLUBS = 30


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """30 generated clubs in Thanh Hóa, made once for the module's tests and removed after them."""
    from reports.models import Plan

    with django_db_blocker.unblock():
        places_present()  # a transactional test before may have emptied them
        plans_before = set(Plan.objects.values_list("pk", flat=True))
        result = generate_data(scale=f"{CLUBS}-clubs", seed=SEED, until=UNTIL)
    yield result
    with django_db_blocker.unblock():
        reset_generated()
        # The generator also loads the real plans when they are missing: leave the database as found.
        Plan.objects.exclude(pk__in=plans_before).delete()
