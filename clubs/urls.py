from django.urls import path

from clubs import views

app_name = "clubs"

urlpatterns = [
    path("places/communes/", views.commune_list, name="commune-list"),
    path("places/communes/area-classes/", views.area_classes_upload, name="area-classes-upload"),
    path("places/communes/<int:code>/", views.commune_detail, name="commune-detail"),
    path("places/communes/<int:code>/area/", views.commune_area_edit, name="commune-area-edit"),
]
