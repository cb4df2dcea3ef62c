"""The national form's summary and the municipality report from the command line: the same
core functions as the report pages, written as HTML or an A4 PDF."""

from pathlib import Path


def test_export_national_writes_every_branch_in_the_forms_order(runner, counted, tmp_path):
    out = tmp_path / "landelijk.html"
    done = runner.invoke(args=["export-national", "--month", "2026-03", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "HTML of 3 branches for 2026-03" in done.output
    html = out.read_text(encoding="utf-8")
    assert html.count('<section class="national"') == 3
    assert "Overzicht voor het landelijke IDO-formulier" in html
    assert 'type="checkbox"' not in html  # a document, not the page's checklist
    page_lines = html.index("Bezoekers (registraties)")
    assert page_lines > 0 and "UWV" in html
    english = tmp_path / "national.html"
    done = runner.invoke(
        args=["export-national", "--month", "2026-03", "--branch", "a1", "--language", "en"]
        + ["--out", str(english)]
    )
    assert done.exit_code == 0, done.output
    assert "Summary for the national IDO form" in english.read_text(encoding="utf-8")
    assert english.read_text(encoding="utf-8").count('<section class="national"') == 1


def test_export_municipality_writes_the_report_as_a_pdf(runner, counted, tmp_path):
    out = tmp_path / "astad.pdf"
    done = runner.invoke(
        args=["export-municipality", "--municipality", "Astad", "--period", "2026"]
        + ["--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert out.read_bytes().startswith(b"%PDF")
    html = tmp_path / "astad.html"
    args = ["export-municipality", "--municipality", "Astad", "--period", "2026-Q1"]
    assert runner.invoke(args=args + ["--out", str(html)]).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "gemeente Astad" in text and "kwartaal 1 van 2026" in text


def test_report_commands_refuse_what_they_cannot_make(runner, counted, tmp_path):
    out = str(tmp_path / "x.html")
    for args, message in (
        (["export-national", "--month", "2026-13"], "JJJJ-MM"),
        (["export-national", "--month", "2026-03", "--branch", "zz"], "zz"),
        (["export-municipality", "--municipality", "Nergens", "--period", "2026"], "Nergens"),
        (["export-municipality", "--municipality", "Astad", "--period", "1999"], "2000"),
    ):
        done = runner.invoke(args=[*args, "--out", out])
        assert done.exit_code == 1 and message in done.output, done.output
        assert "Traceback" not in done.output
    assert not Path(out).exists()
