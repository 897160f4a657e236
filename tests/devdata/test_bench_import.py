"""`manage.py bench_import` measures each kind of import and leaves the database as it was."""

import json

import pytest
from django.core.management import call_command

from clubs.models import Club
from devdata.bench_import import KINDS, run
from funds.models import FundEntry, Instalment, Loan
from members.models import Member, Membership


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Club, Member, Membership, FundEntry, Loan, Instalment)
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_imported_in_full_and_removed_again(kind):
    before = _counts()
    seconds, peak_mb = run(70, kind=kind)  # two clubs: rows of more than one club
    assert seconds > 0 and peak_mb > 0
    assert _counts() == before


@pytest.mark.django_db(transaction=True)
def test_once_prints_the_figures_of_the_kind_asked(capsys):
    call_command("bench_import", "--rows", "20", "--once", "--kind", "contributions")
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["kind"] == "contributions" and figures["rows"] == 20
    assert figures["rows_per_s"] > 0
    assert set(figures) >= {"seconds", "peak_mb"}  # what make bench reads
