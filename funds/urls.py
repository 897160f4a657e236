from django.urls import path

from funds import views

app_name = "funds"


urlpatterns = [
    path("clubs/<int:club_id>/funds/", views.club_funds, name="club-funds"),
    path("clubs/<int:club_id>/funds/entries/new/", views.entry_add, name="entry-add"),
    path("clubs/<int:club_id>/funds/transfer/", views.transfer, name="transfer"),
    path("funds/entries/<int:pk>/reverse/", views.entry_reverse, name="entry-reverse"),
    path("loans/", views.loan_list, name="loan-list"),
    path("clubs/<int:club_id>/loans/", views.club_loans, name="club-loans"),
    path("clubs/<int:club_id>/loans/new/", views.loan_disburse, name="loan-disburse"),
    path("loans/<int:pk>/", views.loan_detail, name="loan-detail"),
    path("loans/<int:pk>/repay/", views.loan_repay, name="loan-repay"),
    path("loans/<int:pk>/card.pdf", views.loan_card_pdf, name="loan-card-pdf"),
    path("loans/<int:pk>/write-off/", views.loan_write_off, name="loan-write-off"),
    path("repayments/<int:pk>/reverse/", views.repayment_reverse, name="repayment-reverse"),
]

# In the clubs name space (config/urls.py): founding a club opens its two funds.
club_pages = [
    path("clubs/new/", views.club_create, name="club-create"),
]
