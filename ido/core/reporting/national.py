"""Each branch's month in the order of the national IDO form's questions, laid out by the
version of the form's mapping in force in that month."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ido.core.models import AGENCY_KINDS, Branch, Category
from ido.core.reporting.counts import (
    Totals,
    duration_counts,
    monthly_counts,
    monthly_totals,
    referred_counts,
)
from ido.core.reporting.national_form import Applying, FormMapping, Line, applying, band_label
from ido.core.taxonomy import active_categories
from ido.core.taxonomy.defaults import DURATIONS


@dataclass
class FormSection:
    title: str
    lines: list[tuple[str, int | float]]


def _mapped(
    lines: tuple[Line, ...], mapped: dict[str, str], counts: dict[Category, int]
) -> list[tuple[str, int | float]]:
    """Counts of our categories added up per line of the national form; those the mapping
    does not place (added since it was saved) on a line of their own, when there are any."""
    per_line: dict[str, int] = defaultdict(int)
    for category, count in counts.items():
        per_line[mapped.get(category.code, "")] += count
    found: list[tuple[str, int | float]] = [(line.name, per_line[line.code]) for line in lines]
    known = {line.code for line in lines}
    stray = sum(n for code, n in per_line.items() if code not in known)
    if stray:
        found.append((_("Not assigned (update the national form's mapping)"), stray))
    return found


LEVEL_NAMES = {
    "rijk": _l("Central government"),
    "uitvoering": _l("Executive agency"),
    "gemeente": _l("Municipality"),
    "provincie": _l("Province"),
    "overig": _l("Other government body"),
}


def duration_lines(mapping: FormMapping) -> list[tuple[str, int | None]]:
    """The duration lines of the form (label, key of `duration_counts`): its bands, or the
    desk's presets until bands are set."""
    if mapping.bands:
        return [
            (_("%(band)s minutes", band=band_label(low, high)), low) for low, high in mapping.bands
        ]
    return [
        *[(_("%(minutes)s minutes", minutes=m), m) for m in DURATIONS],
        (_("Other duration"), None),
    ]


def national_summaries(
    month: date, branches: list[Branch]
) -> tuple[Applying, list[tuple[Branch, list[FormSection]]]]:
    """Each branch's month in the order of the national IDO form's questions, laid out by the
    version of the form's mapping in force in that month."""
    form = applying(month)
    mapping, cats = form.mapping, active_categories()

    def per_branch(by: str) -> dict[int, dict[Category, int]]:
        found: dict[int, dict[Category, int]] = defaultdict(dict)
        for row in monthly_counts(month, month, by, branches):
            found[row.branch.id][cast(Category, row.key)] = row.count
        return found

    def codes(counted: dict[Category, int]) -> dict[str, int]:
        return {c.code: n for c, n in counted.items()}

    topics, agencies, referrals = per_branch("topic"), per_branch("agency"), per_branch("referral")
    helped, channels = per_branch("help"), per_branch("channel")
    totals = monthly_totals(month, month, branches)
    referred = referred_counts(month, month, branches)
    durations = duration_counts(month, month, branches, mapping.bands)
    ordered_agencies = sorted(
        cats.agencies,
        key=lambda a: (AGENCY_KINDS.index(a.kind), a.position),
    )
    public = [a for a in ordered_agencies if a.kind != "partner"]  # the government ones
    summaries = []
    for branch in branches:
        total = totals.get((month, branch.id), Totals())
        concerned, referred_to = codes(agencies[branch.id]), codes(referrals[branch.id])
        topic_counts, help_counts = codes(topics[branch.id]), codes(helped[branch.id])
        sent_on = referred.get((month, branch.id), 0)
        sections = [
            FormSection(
                _("Number of questions"),
                [
                    (_("Visitors (entries)"), total.visitors),
                    (_("Questions (topics)"), total.questions),
                    (_("Hours of help"), total.hours),
                ],
            ),
            FormSection(
                _("Type of question"),
                _mapped(
                    mapping.groups,
                    mapping.topics,
                    {t: n for t, n in topics[branch.id].items() if t.parent_id is None},
                ),
            ),
            FormSection(_("Topic"), [(t.name, topic_counts.get(t.code, 0)) for t in cats.topics]),
            FormSection(
                _("Organisation the question concerns"),
                [(a.name, concerned.get(a.code, 0)) for a in public],
            ),
            FormSection(
                _("Government the question concerns, by kind"),
                [
                    (str(name), sum(concerned.get(a.code, 0) for a in public if a.level == level))
                    for level, name in LEVEL_NAMES.items()
                ],
            ),
            FormSection(
                _("Referred"),
                [
                    (mapping.referred.name, sent_on),
                    (mapping.not_referred.name, total.visitors - sent_on),
                ],
            ),
            FormSection(
                _("Referred to"),  # the shared agencies and this branch's library's partners
                [
                    (a.name, referred_to.get(a.code, 0))
                    for a in ordered_agencies
                    if a.seen_by(branch.library_id)
                ],
            ),
            FormSection(_("Help given"), [(h.name, help_counts.get(h.code, 0)) for h in cats.help]),
            FormSection(
                _("Channel"), _mapped(mapping.channels, mapping.channel_of, channels[branch.id])
            ),
            FormSection(
                _("Duration"),
                [
                    (label, durations.get((month, branch.id, key), 0))
                    for label, key in duration_lines(mapping)
                ],
            ),
        ]
        summaries.append((branch, sections))
    return form, summaries
