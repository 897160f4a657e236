import datetime

from django.urls import path, register_converter

from life import views

app_name = "life"


class IsoDateConverter:
    """A date in the path as yyyy-mm-dd: /clubs/7/collection/2026-03-05/."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(value) from None

    def to_url(self, value: datetime.date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")


urlpatterns = [
    path("club-life/", views.club_overview, name="club-overview"),
    path("club-life/referrals/", views.referrals, name="referral-list"),
    path("club-life/overdue-visits/", views.overdue_visits, name="overdue-visits"),
    path("clubs/<int:club_id>/activities/", views.activity_list, name="activity-list"),
    path("clubs/<int:club_id>/activities/add/", views.activity_add, name="activity-add"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("club-life/meeting-day/", views.meeting_start, name="meeting-start"),
    path("club-life/meeting-day/prepare/", views.meeting_prepare, name="meeting-prepare"),
    path("club-life/meeting-day/sync/", views.meeting_sync, name="meeting-sync"),
    path("clubs/<int:club_id>/meeting-day/", views.meeting_day, name="meeting-day"),
    path("clubs/<int:club_id>/meeting-day/<isodate:day>/", views.meeting_summary, name="meeting-summary"),
    path("clubs/<int:club_id>/collection/", views.collection_start, name="collection-start"),
    path("clubs/<int:club_id>/meeting-sheet.pdf", views.meeting_sheet_pdf, name="meeting-sheet-pdf"),
    path("clubs/<int:club_id>/collection/<isodate:day>/", views.collection_sheet, name="collection-sheet"),
    path("clubs/<int:club_id>/health/", views.health_list, name="health-list"),
    path("clubs/<int:club_id>/health/add/", views.health_check_new, name="health-check-add"),
    path("members/<int:member_id>/health/", views.member_health, name="member-health"),
    path("clubs/<int:club_id>/home-care/", views.care_board, name="care-board"),
    path("clubs/<int:club_id>/home-care/assign/", views.care_assignment_new, name="care-assignment-add"),
    path("home-care/assignments/<int:pk>/end/", views.care_assignment_close, name="care-assignment-end"),
    path("clubs/<int:club_id>/home-care/visits/add/", views.care_visit_new, name="care-visit-add"),
    path("clubs/<int:club_id>/ratings/", views.club_ratings, name="ratings"),
]
