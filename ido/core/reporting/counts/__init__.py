"""Every count the app reports, computed by SQL GROUP BY on the questions' link rows (which
carry each question's month and branch).

- `rows`: counts per month, branch and category (topic, agency, referral, help, channel,
  outcome), and per duration
- `facets`: a period's visitors by channel, by outcome and by weekday and hour, in one sweep
- `totals`: visitors, questions and hours of help, per month, branch or period

The dashboard, the counts API, the CSV and the XLSX exports all read these."""

from ido.core.reporting.counts.facets import Facets, question_facets
from ido.core.reporting.counts.rows import (
    DIMENSIONS,
    CountRow,
    among,
    collector_paused,
    driver_chunks,
    duration_counts,
    key_totals,
    monthly_counts,
    referred_counts,
)
from ido.core.reporting.counts.totals import (
    Totals,
    branch_totals_between,
    counts_and_totals,
    monthly_totals,
    question_counts,
    totals_between,
)

__all__ = [
    "CountRow",
    "DIMENSIONS",
    "Facets",
    "Totals",
    "among",
    "branch_totals_between",
    "collector_paused",
    "counts_and_totals",
    "driver_chunks",
    "duration_counts",
    "key_totals",
    "monthly_counts",
    "monthly_totals",
    "question_counts",
    "referred_counts",
    "totals_between",
    "question_facets",
]
