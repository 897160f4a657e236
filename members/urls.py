from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("members/", views.member_list, name="member-list"),
    path("members/new/", views.member_create, name="member-create"),
    path("members/<int:pk>/", views.member_detail, name="member-detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("members/<int:pk>/leave/", views.member_leave, name="member-leave"),
    path("members/<int:pk>/move/", views.member_move, name="member-move"),
    path("members/<int:pk>/rejoin/", views.member_rejoin, name="member-rejoin"),
    path("members/<int:pk>/household/", views.member_household, name="member-household"),
]

# In the clubs name space (config/urls.py): the club list and the club page show the members' composition.
club_pages = [
    path("clubs/", views.club_list, name="club-list"),
    path("clubs/<int:pk>/", views.club_detail, name="club-detail"),
    path("clubs/<int:pk>/members.pdf", views.club_members_pdf, name="club-members-pdf"),
]
