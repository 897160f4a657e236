from django.urls import path

from sheets import views

app_name = "sheets"

urlpatterns = [
    path("sheets/", views.index, name="index"),
    path("sheets/import/", views.upload, name="upload"),
    path("sheets/import/<uuid:pk>/", views.job_detail, name="job"),
    path("sheets/import/<uuid:pk>/status/", views.job_status, name="job-status"),
    path("sheets/import/<uuid:pk>/commit/", views.job_commit, name="job-commit"),
    path("sheets/import/<uuid:pk>/errors.xlsx", views.job_errors, name="job-errors"),
    path("sheets/templates/<slug:kind>.xlsx", views.template, name="template"),
    path("sheets/export/<slug:kind>/", views.export, name="export"),
]
