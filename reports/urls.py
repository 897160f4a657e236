from django.urls import path

from reports import cycle_views, views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_index, name="index"),
    path("reports/national/", views.national_report, name="national"),
    path("reports/national.<str:fmt>", views.national_report, name="national-file"),
    path("reports/national/submit/", views.report_submit_view, name="national-submit"),
    path("reports/province/<int:code>/", views.province_report, name="province"),
    path("reports/province/<int:code>.<str:fmt>", views.province_report, name="province-file"),
    path("reports/commune/<int:code>/", views.commune_report, name="commune"),
    path("reports/commune/<int:code>.<str:fmt>", views.commune_report, name="commune-file"),
    path("reports/province/<int:code>/clubs/", views.province_clubs, name="province-clubs"),
    path("reports/province/<int:code>/submit/", views.report_submit_view, name="province-submit"),
    path("reports/submitted/", views.submitted_list, name="submitted-list"),
    path("reports/submitted/<int:pk>/", views.submitted_detail, name="submitted-detail"),
    path("reports/submitted/<int:pk>/pdf/", views.submitted_pdf, name="submitted-pdf"),
    path("reports/cycle/commune/<int:code>/", cycle_views.commune_cycle, name="cycle-commune"),
    path("reports/cycle/commune/<int:code>/submit/", cycle_views.commune_cycle_submit, name="cycle-commune-submit"),
    path("reports/cycle/province/<int:code>/", cycle_views.province_cycle, name="cycle-province"),
    path("reports/cycle/province/<int:code>/submit/", cycle_views.province_cycle_submit, name="cycle-province-submit"),
    path("reports/cycle/national/", cycle_views.national_cycle, name="cycle-national"),
    path("reports/cycle/<int:pk>/", cycle_views.cycle_detail, name="cycle-detail"),
    path("reports/cycle/<int:pk>/pdf/", cycle_views.cycle_pdf, name="cycle-pdf"),
    path("reports/cycle/<int:pk>/approve/", cycle_views.cycle_approve, name="cycle-approve"),
    path("reports/cycle/<int:pk>/return/", cycle_views.cycle_return, name="cycle-return"),
    path("reports/cycle/<int:pk>/reopen/", cycle_views.cycle_reopen, name="cycle-reopen"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:plan_pk>/targets/new/", views.target_create, name="target-create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target-delete"),
]
