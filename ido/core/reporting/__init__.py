"""Reporting: what the app counts and reports, assembled in the core so that every front end
(the report pages, the API, the command line) gives the same figures.

- `counts`: every count, by SQL on the questions' link rows: `rows` per month, branch and
  category, `totals` for visitors (entries), questions (topics) and hours of help
- `exports`: CSV for Dutch Excel or RFC 4180, the XLSX workbook, the raw question export
- `params`: the period, dimension and branches a report or the API asks for
- `national_form`: the national form's mapping, in versions by month
- `periods`: a month's days, a year or a quarter (one `Period`), and the period before
- `figures`: the dashboard's figures
- `national`: each branch's month in the order of the national IDO form
- `municipality`: the annual or quarterly report for a municipality
"""
