"""The privacy guard on names, addresses, postcodes, licence plates, document numbers and
log-in details (issue 23), measured on two corpora: notes that hold them must be refused with
their kinds, ordinary notes that mention places, agencies and their numbers must pass."""

from pathlib import Path

import pytest

from ido.core.questions.privacy import KINDS, personal_data_kinds, personal_data_message
from ido.core.questions.privacy.names import first_names, surnames

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    return [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]


def _people() -> list[tuple[set[str], str]]:
    """tests/data/notes_people.txt: "kind[,kind]<TAB>note"."""
    return [
        (set(kinds.split(",")), note)
        for kinds, note in (line.split("\t", 1) for line in _lines("notes_people.txt"))
    ]


@pytest.mark.once
def test_notes_with_names_addresses_and_log_ins_are_refused_with_their_kinds(record_property):
    notes = _people()
    assert len(notes) >= 40
    refused = _lines("notes_refused.txt")
    assert {kind for kinds, _ in notes for kind in kinds} | {
        line.split("\t", 1)[0] for line in refused
    } == set(KINDS)
    wrong = {
        note: (kinds, found)
        for kinds, note in notes
        if set(found := personal_data_kinds(note)) != kinds
    }
    caught = sum(bool(personal_data_kinds(note)) for _, note in notes)
    record_property("caught", f"{caught}/{len(notes)}")
    print(
        f"caught {caught} of {len(notes)} notes with personal data, {len(wrong)} with a wrong kind"
    )
    assert wrong == {}


@pytest.mark.once
def test_notes_with_places_agencies_and_numbers_pass(record_property):
    notes = _lines("notes_places.txt")
    assert len(notes) >= 40
    refused = {note: kinds for note in notes if (kinds := personal_data_kinds(note))}
    record_property("falsely_refused", f"{len(refused)}/{len(notes)}")
    print(f"falsely refused {len(refused)} of {len(notes)} ordinary notes")
    assert refused == {}


@pytest.mark.once
@pytest.mark.parametrize(
    "note",
    [
        "Vraag van Mohamed Bouzid over de WW-uitkering",  # a surname the list does not know
        "jan de vries kwam voor de AOW",  # a name typed without capitals
        "Laan van Meerdervoort 12",  # a street whose name ends in no street word
        "gebruikersnaam: pjansen",  # a user name of letters alone
        "Damrak 12",  # idem
        "Dorpsweg nummer 12",  # "nummer" alone is no house word: "Fietspad nummer 3"
    ],
)
def test_documented_limits_pass(note):
    """What docs/privacy-and-security.md says the guard does not find, it does not."""
    assert personal_data_kinds(note) == []


def test_the_name_lists_are_read_from_deduce():
    """deduce's lists are read (thousands of names), without importing deduce itself."""
    import sys

    assert len(first_names()) > 10_000 and "Jan" in first_names()
    assert len(surnames()) > 10_000 and "Jansen" in surnames()
    assert "deduce" not in sys.modules


@pytest.mark.parametrize(
    ("kind", "dutch"),
    [
        ("name", "een naam"),
        ("address", "een adres of postcode"),
        ("plate", "een kenteken"),
        ("document", "een documentnummer"),
        ("credentials", "inloggegevens"),
    ],
)
def test_the_message_names_the_kind_never_the_text(app, kind, dutch):
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        message = personal_data_message([kind])
    assert f"({dutch})" in message and "Jansen" not in message


@pytest.mark.slow  # runs the benchmark once, a fresh interpreter included
@pytest.mark.once
def test_the_privacy_benchmark_prints_its_figures(monkeypatch, capsys):
    import runpy

    monkeypatch.setattr("sys.argv", ["bench_privacy.py", "--rounds", "1"])
    root = Path(__file__).resolve().parent.parent
    runpy.run_path(str(root / "benchmarks" / "bench_privacy.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "caught" in out and "falsely refused" in out and "CPU per note" in out
