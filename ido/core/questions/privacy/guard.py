"""The guard: the finders in turn, each kind blanked out before the next (BSNs last), and the
message that names what was found, never the text."""

from collections.abc import Callable
from functools import partial

from flask_babel import lazy_gettext as _l

from ido.core.questions.privacy.addresses import lone_postcode_spans, street_spans
from ido.core.questions.privacy.finders import (
    Known,
    Spans,
    _alone,
    _birth_date_spans,
    _blank,
    _bsn_spans,
    _email_spans,
    _iban_spans,
    _normalised,
    _phone_spans,
    _postcode_spans,
)
from ido.core.questions.privacy.identifiers import (
    credential_spans,
    document_spans,
    named_bsn_spans,
    plate_spans,
)
from ido.core.questions.privacy.names import name_spans

KINDS = {
    "credentials": _l("log-in details"),
    "email": _l("an e-mail address"),
    "iban": _l("a bank account number (IBAN)"),
    "phone": _l("a phone number"),
    "address": _l("an address or postcode"),
    "birth_date": _l("a birth date"),
    "plate": _l("a licence plate"),
    "document": _l("a document number"),
    "name": _l("a name"),
    "bsn": _l("a citizen service number (BSN)"),
}


def _address_spans(text: str) -> Spans:
    """A postcode with or without a house number, or a street with one."""
    return _postcode_spans(text) + street_spans(text) + lone_postcode_spans(text)


# each finder gives the spans of its kind, and spans to blank without naming them
CHECKS: list[tuple[str, Callable[[str], tuple[Spans, Spans]]]] = [
    ("credentials", _alone(credential_spans)),  # first: "wachtwoord P@ssw0rd" is no e-mail
    ("email", _alone(_email_spans)),
    ("iban", _alone(_iban_spans)),
    ("phone", _phone_spans),
    ("address", _alone(_address_spans)),
    ("birth_date", _alone(_birth_date_spans)),
    ("plate", _alone(plate_spans)),
    ("document", _alone(document_spans)),
    ("name", _alone(name_spans)),
    ("bsn", _alone(named_bsn_spans)),  # after its word, in any grouping
    ("bsn", _alone(_bsn_spans)),
]


def personal_data_kinds(text: str | None, known: Known = None) -> list[str]:
    """The kinds of personal data found in the text, in KINDS order (empty: nothing found).
    `known` gives the public numbers kept as contact details that the note may name too."""
    if not text:
        return []
    text = _normalised(text)
    found: list[str] = []
    services: Spans = []  # numbers no visitor owns (0800, 0900): not a BSN inside them either
    for kind, find in CHECKS:
        if kind == "phone" and known is not None:
            find = partial(_phone_spans, known=known)
        spans, others = find(text)
        # a BSN that only begins inside such a number's digits is still a BSN: "100 08 00 05
        # 1900" holds one, though "08 00 05 1900" also reads as a 0800 number
        spans = [span for span in spans if not _within(span, services)]
        if spans:
            found += [] if kind in found else [kind]
            text = _blank(text, spans)
        services += others
    return found


def _within(span: tuple[int, int], others: Spans) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in others)


def personal_data_message(kinds: list[str]) -> str:
    """A plain Dutch (or English) message naming what was found, never the text itself."""
    from flask_babel import gettext as _

    names = ", ".join(str(KINDS[k]) for k in kinds)
    return _(
        "This note seems to contain personal data (%(kinds)s). Leave it out or rephrase "
        "it: we never store personal data of visitors.",
        kinds=names,
    )
