"""Club ratings: decided by a province officer of the club's province or an admin, one per year."""

import pytest
from django.urls import reverse

from life.models import ClubRating
from tests.life.factories import D, make_meeting

pytestmark = pytest.mark.django_db


def url(club):
    return reverse("life:ratings", args=[club.pk])


def rating_post(year=2025, rating="good", rated_on="20/12/2025", note="Hoạt động đều"):
    return {"year": str(year), "rating": rating, "rated_on": rated_on, "note": note}


def test_the_province_officer_of_the_clubs_province_rates_it(client_for, club, lai_chau_officer):
    response = client_for(lai_chau_officer).post(url(club), rating_post())
    assert response.status_code == 302
    row = ClubRating.objects.get()
    assert (row.club, row.year, row.rating, row.rated_on, row.rated_by) == (
        club,
        2025,
        "good",
        D(2025, 12, 20),
        lai_chau_officer,
    )


def test_a_second_rating_of_the_year_corrects_the_first(client_for, club, lai_chau_officer, admin_user):
    client_for(lai_chau_officer).post(url(club), rating_post(rating="average"))
    client_for(admin_user).post(url(club), rating_post(rating="strong", note="Sau phúc tra"))
    row = ClubRating.objects.get()
    assert (row.rating, row.note, row.rated_by) == ("strong", "Sau phúc tra", admin_user)
    assert row.history.count() == 2


def test_an_officer_of_another_province_gets_404(client_for, club, thanh_hoa_officer):
    assert client_for(thanh_hoa_officer).get(url(club)).status_code == 404
    assert client_for(thanh_hoa_officer).post(url(club), rating_post()).status_code == 404
    assert not ClubRating.objects.exists()


def test_commune_staff_see_ratings_but_may_not_rate(client_for, club, staff):
    client = client_for(staff)
    response = client.get(url(club))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert client.post(url(club), rating_post()).status_code == 403
    assert not ClubRating.objects.exists()


def test_anonymous_and_outsiders(client_for, club, other_staff, nobody):
    assert client_for(None).post(url(club), rating_post()).status_code == 302
    assert client_for(other_staff).post(url(club), rating_post()).status_code == 404
    assert client_for(nobody).get(url(club)).status_code == 404
    assert not ClubRating.objects.exists()


def test_the_checklist_sits_beside_the_form(client_for, club, lai_chau_officer):
    for month in (1, 2, 3):
        make_meeting(club, D(2025, month, 10))
    response = client_for(lai_chau_officer).get(url(club), {"year": "2025"})
    assert response.status_code == 200
    assert response.context["year"] == 2025
    labels = [item.label for item in response.context["checklist"]]
    assert "Sinh hoạt định kỳ hằng tháng" in labels and "Thực hiện đủ 8 mảng hoạt động" in labels
    assert "3/12 tháng" in response.content.decode()
    assert response.context["form"] is not None


def test_a_year_before_the_club_was_founded_is_refused(client_for, club, lai_chau_officer):
    response = client_for(lai_chau_officer).post(url(club), rating_post(year=2020, rated_on="20/12/2020"))
    assert response.status_code == 200
    assert not ClubRating.objects.exists()
