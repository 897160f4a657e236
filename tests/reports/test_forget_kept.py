"""`club_figures.forget_all()`: every kept figure forgotten at once (the benchmark's "nothing kept")."""

import pytest

from reports import club_figures
from reports.indicators import compute_indicators
from reports.models import ClubFigures
from reports.scope import Scope
from tests.reports.conftest import ON

pytestmark = pytest.mark.django_db


@pytest.mark.postgresql(reason="figures are kept on PostgreSQL only")
def test_forgetting_everything_kept_makes_the_next_report_compute_the_same_figures(dataset, lai_chau):
    scope = Scope(province=lai_chau)
    first = compute_indicators(scope, ON)
    kept = ClubFigures.objects.count()
    assert kept > 0
    assert club_figures.forget_all() == kept
    assert not ClubFigures.objects.exists()
    assert compute_indicators(scope, ON) == first
    assert ClubFigures.objects.count() == kept
