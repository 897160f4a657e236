from django.urls import path

from clubs import views

app_name = "clubs"

# The club list, the club page and founding a club are in this name space too, but their views show the
# members' composition or open the club's funds, so they live in members.views and funds.views;
# config/urls.py joins them here (`clubs:club-list`, `clubs:club-detail`, `clubs:club-create`).
urlpatterns = [
    path("places/communes/", views.commune_list, name="commune-list"),
    path("places/communes/area-classes/", views.area_classes_upload, name="area-classes-upload"),
    path("places/communes/<int:code>/", views.commune_detail, name="commune-detail"),
    path("places/communes/<int:code>/area/", views.commune_area_edit, name="commune-area-edit"),
    path("clubs/<int:pk>/edit/", views.club_edit, name="club-edit"),
    path("clubs/<int:pk>/board/add/", views.board_seat_add, name="board-seat-add"),
    path("clubs/<int:pk>/board/<int:seat_pk>/end/", views.board_seat_end, name="board-seat-end"),
    path("clubs/<int:pk>/teams/add/", views.team_create, name="team-create"),
    path("clubs/<int:pk>/teams/<int:team_pk>/edit/", views.team_edit, name="team-edit"),
    # People in the hierarchy: the accounts a province officer, the national level or an admin manages.
    path("people/", views.people_list, name="people-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/password/", views.person_password_reset, name="person-password-reset"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person-reactivate"),
]
