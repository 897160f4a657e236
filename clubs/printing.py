"""Papers to print: A4 PDFs rendered from templates with WeasyPrint (templates/papers/)."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify


def pdf_response(template: str, context: dict, *, filename: str, request=None) -> HttpResponse:
    """The template as an A4 PDF, shown in the browser (so a phone opens it to print or share)."""
    from weasyprint import HTML  # imported here: loading Pango costs time every other page can skip

    html = render_to_string(template, context, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "giay-to"}.pdf"'
    return response
