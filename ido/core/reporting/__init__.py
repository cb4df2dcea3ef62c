"""Reporting: what the app counts and reports, assembled in the core so that every front end
(the report pages, the API, the command line) gives the same figures.

- `periods`: a month's days, a year or a quarter (one `Period`), and the period before
- `figures`: the dashboard's figures
- `national`: each branch's month in the order of the national IDO form
- `municipality`: the annual or quarterly report for a municipality
"""
