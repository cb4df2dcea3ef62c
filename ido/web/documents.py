"""Reports as documents of their own: the municipality report and the national form's
summary as a standalone HTML page, or an A4 PDF made on the server. The report pages and the
command line (`export-municipality`, `export-national`) make them alike."""

from datetime import date
from pathlib import Path

from flask import current_app, render_template

from ido.core.models import Branch
from ido.core.reporting.municipality import MunicipalityReport
from ido.core.reporting.national import FormSection
from ido.core.reporting.national_form import Applying

STYLE_SHEETS = ("css/ido.css", "css/report.css")  # the page's own, and the report's print rules


def municipality_html(report: MunicipalityReport) -> str:
    return render_template("reports/municipality_pdf.html", report=report)


def national_html(
    month: date, form: Applying, summaries: list[tuple[Branch, list[FormSection]]]
) -> str:
    return render_template(
        "reports/national_document.html", month=month, form=form, summaries=summaries
    )


def pdf(html: str) -> bytes:
    """A document as an A4 PDF, made with WeasyPrint and Debian's fonts. The page refers to
    nothing outside itself (its style sheets are given here), so nothing is fetched while it
    is made. Raises OSError where Pango is missing."""
    from weasyprint import CSS, HTML

    static = Path(current_app.static_folder or "static")
    sheets = [CSS(filename=str(static / name)) for name in STYLE_SHEETS]
    return HTML(string=html).write_pdf(stylesheets=sheets)


def report_pdf(report: MunicipalityReport) -> bytes:
    """The municipality report as an A4 PDF."""
    return pdf(municipality_html(report))
