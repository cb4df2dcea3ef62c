"""The privacy guard: personal data in a note is refused everywhere; ordinary notes pass."""

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import iban
from stdnum.nl import bsn

from ido.core.privacy import personal_data_kinds

from .conftest import messages
from .helpers import desk_form, questions

REFUSED = {
    "Mail naar jan.jansen@example.nl": "email",
    "IBAN NL91 ABNA 0417 1643 00 voor de betaling": "iban",
    "rekening DE89370400440532013000": "iban",
    "code AA00 NL85ABNA0000000000": "iban",  # a false start just before it (Hypothesis)
    "BSN １１１２２２３３３ (full-width digits)": "bsn",
    "BSN ١١١٢٢٢٣٣٣ (Arabic-Indic digits)": "bsn",
    "mail jan[at]example.nl": "email",
    "jan (at) example (dot) nl": "email",
    "mail jan＠example.nl": "email",
    "Belgische rekening BE89999999999999 (a bank code no registry lists)": "iban",
    "bel 06-12345678": "phone",
    "tel. (020) 123 45 67": "phone",
    "+31 6 1234 5678 na 17 uur": "phone",
    "0031 20 123 4567": "phone",
    "BSN 111.222.333": "bsn",
    "bsn 1112.22.333": "bsn",
    "burgerservicenummer 123456782": "bsn",
    "woont op Dorpsstraat 12, 1234 AB": "postcode",
    "1234AB 5": "postcode",
    "geboren 12-03-1950": "birth_date",
    "geb. 1 mei 1948": "birth_date",
    "Geboortedatum: 01/02/1960": "birth_date",
}
ALLOWED = [
    "DigiD app versie 17.4.1 op iPhone 12",
    "om 10:30 terug",
    "toeslag € 1.234,56 terugbetalen",
    "aanslag 2024 voor 3 personen",
    "sms-code 123456 kwam niet",
    "activeringscode ABCD-EFGH",
    "kenmerk 2024-0012",
    "formulier W-123",
    "11 vragen in 2023",
    "duurde 45 min",
    "paspoort verloopt 12-03-2030",
    "Windows 11 update KB5034441",
    "in 2024 en 2025",
    "2024 2025 2026",
    "bedrag 1 234 567 euro",
    "afspraak 12.03.2026 om 14:00",
]


@pytest.mark.once
@pytest.mark.parametrize(("text", "kind"), REFUSED.items())
def test_examples_refused_with_their_kind(text, kind):
    assert kind in personal_data_kinds(text)


@pytest.mark.once
@pytest.mark.parametrize("text", ALLOWED)
def test_ordinary_notes_pass(text):
    assert personal_data_kinds(text) == []


words = st.sampled_from(
    [
        "vraag",
        "DigiD",
        "toeslag",
        "app",
        "brief",
        "Belastingdienst",
        "uitleg",
        "wachtwoord",
        "kwijt",
        "morgen",
        "terug",
        "formulier",
        "UWV",
        "versie",
    ]
)
ordinary = st.one_of(
    words,
    st.integers(1900, 2100).map(str),  # years
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda e, c: f"€ {e},{c:02d}", st.integers(0, 9999), st.integers(0, 99)),
    st.integers(0, 500).map(lambda n: f"{n} keer"),  # counts
    st.builds(
        lambda a, b, c: f"{a}.{b}.{c}", st.integers(0, 30), st.integers(0, 20), st.integers(0, 20)
    ),  # version numbers
    # short codes of letters and digits; one shaped like a postcode (1000AA, or AA after a
    # four-digit number) is meant to be refused beside a number, so those are left out
    st.text(string.ascii_uppercase + string.digits, min_size=3, max_size=6).filter(
        lambda code: (
            re.search(r"\d", code)
            and re.search(r"[A-Z]", code)
            and not re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", code)
        )
    ),
)


@pytest.mark.once
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ordinary, min_size=1, max_size=8).map(" ".join))
def test_property_ordinary_notes_pass(note):
    assert personal_data_kinds(note) == []


def _valid_bsn(digits: str) -> str:
    body = digits[:8]
    for last in range(10):
        if bsn.is_valid(body + str(last)):
            return body + str(last)
    return "111222333"


bsns = (
    st.builds(
        str.__add__, st.sampled_from("123456789"), st.text("0123456789", min_size=7, max_size=7)
    )
    .map(_valid_bsn)
    .map(lambda n: st.sampled_from([n, f"{n[:4]}.{n[4:6]}.{n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}"]))
)
ibans = st.text("0123456789", min_size=10, max_size=10).map(
    lambda acct: "NL" + iban.calc_check_digits("NL00ABNA" + acct) + "ABNA" + acct
)
phones = st.builds(
    lambda n: st.sampled_from([f"06-{n}", f"06 {n[:4]} {n[4:]}", f"+31 6 {n}", f"0031 6 {n}"]),
    st.builds(
        str.__add__,
        st.sampled_from("12345"),  # 06-1 to 06-5: mobiles
        st.text("0123456789", min_size=7, max_size=7),
    ),
)
emails = st.builds(
    lambda a, b: f"{a}@{b}.nl",
    st.text(string.ascii_lowercase, min_size=1, max_size=10),
    st.text(string.ascii_lowercase, min_size=2, max_size=10),
)


@pytest.mark.once
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(bsns.flatmap(lambda s: s), ibans, phones.flatmap(lambda s: s), emails),
    st.lists(ordinary, max_size=3).map(" ".join),
    st.lists(ordinary, max_size=3).map(" ".join),
)
def test_property_personal_data_is_found_inside_ordinary_text(secret, before, after):
    assert personal_data_kinds(f"{before} {secret} {after}") != []


def test_desk_refuses_a_note_with_personal_data_and_stores_nothing(auth, client, app):
    auth.login("vol@a.example")
    data = desk_form(client)
    data.update(topics=["toeslagen"], note=["Klant wil terugbellen op 06-12345678"])
    response = client.post("/desk/", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    found = messages(page)
    assert any("persoonsgegevens (een telefoonnummer)" in m for m in found), found
    assert "06-12345678" not in "".join(found)
    with app.app_context():
        assert questions() == []


def test_api_answers_personal_data_with_422(client, org, app):
    from ido.core.tokens import create_token

    from .api_client import Api
    from .helpers import user

    with app.app_context():
        token = create_token(user("vol@a.example"), "t")[1]
        from ido.core.db import db

        db.session.commit()
    response = Api(client, token).post(
        "/api/v1/questions", json={"branch": "a1", "topics": ["digid"], "note": "BSN 111.222.333"}
    )
    assert response.status_code == 422
    [error] = response.get_json()["errors"]["note"]
    assert error["code"] == "personal_data" and "111" not in error["message"]
    with app.app_context():
        assert questions() == []


@pytest.mark.once
@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000 + "@",
        "aaaa.bbbb@" * 100_000,
        "1" * 1_000_000,
        " " * 1_000_000 + "(at",
        "NL91" * 250_000,
    ],
)
def test_a_megabyte_is_read_in_linear_time(text):
    """No pattern backtracks: a megabyte takes about a second, not minutes (a pattern that
    scanned for e-mail addresses once took minutes on a long label)."""
    import time

    started = time.process_time()
    personal_data_kinds(text)
    assert time.process_time() - started < 10
