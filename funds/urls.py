import datetime

from django.urls import path, register_converter

from funds import views

app_name = "funds"


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
    path("clubs/<int:club_id>/funds/", views.club_funds, name="club-funds"),
    path("clubs/<int:club_id>/funds/entries/new/", views.entry_add, name="entry-add"),
    path("clubs/<int:club_id>/funds/transfer/", views.transfer, name="transfer"),
    path("funds/entries/<int:pk>/reverse/", views.entry_reverse, name="entry-reverse"),
    path("loans/", views.loan_list, name="loan-list"),
    path("clubs/<int:club_id>/loans/", views.club_loans, name="club-loans"),
    path("clubs/<int:club_id>/loans/new/", views.loan_disburse, name="loan-disburse"),
    path("loans/<int:pk>/", views.loan_detail, name="loan-detail"),
    path("loans/<int:pk>/repay/", views.loan_repay, name="loan-repay"),
    path("loans/<int:pk>/write-off/", views.loan_write_off, name="loan-write-off"),
    path("repayments/<int:pk>/reverse/", views.repayment_reverse, name="repayment-reverse"),
    path("clubs/<int:club_id>/collection/", views.collection_start, name="collection-start"),
    path("clubs/<int:club_id>/collection/<isodate:day>/", views.collection_sheet, name="collection-sheet"),
]
