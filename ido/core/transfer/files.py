"""Reading and writing a library file: JSON Lines, gzip-compressed when the name ends in .gz
(on reading, gzip is recognised by its first bytes). Read line by line, written record by
record, so that a library of 100,000 questions is never held in memory whole."""

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ido.core.exceptions import ServiceError
from ido.core.transfer.schema import FORMAT, ORDER, VERSION, problem

GZIP_MAGIC = b"\x1f\x8b"
MAX_LINE = 1_000_000  # characters; the longest real record (a mapping) is some 5,000


class TransferError(ServiceError):
    """A library file that cannot be written or read in, with the reason in one line."""


def open_for_writing(path: Path) -> IO[str]:
    """A new file for the records, readable by its owner only (it holds e-mail addresses and
    notes); refuses a file that exists."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise TransferError(f"{path} exists already; choose a new file name.") from None
    except OSError as error:
        raise TransferError(f"Cannot write {path}: {error.strerror}.") from None
    if path.suffix == ".gz":  # the file made above, with its permissions, is written into
        return gzip.open(path, "wt", encoding="utf-8", newline="\n", compresslevel=6)
    return path.open("w", encoding="utf-8", newline="\n")


def write(handle: IO[str], kind: str, record: dict[str, Any]) -> None:
    handle.write(json.dumps({"type": kind, **record}, ensure_ascii=False, separators=(",", ":")))
    handle.write("\n")


def records(path: Path) -> Iterator[dict[str, Any]]:
    """The file's records, each checked against its schema and in the order of ORDER; the
    header's format and version are checked first. Raises TransferError naming the line."""
    try:
        with path.open("rb") as probe:
            compressed = probe.read(2) == GZIP_MAGIC
    except OSError as error:
        raise TransferError(f"Cannot read {path}: {error.strerror}.") from None
    opener: Any = gzip.open if compressed else open
    with opener(path, "rt", encoding="utf-8", newline="\n") as text:
        rank, number = 0, 0
        try:
            for number, line in enumerate(iter(lambda: text.readline(MAX_LINE), ""), 1):
                record = _parse(line, number, path)
                kind = record["type"]
                if ORDER.index(kind) < rank or (kind == "header") != (number == 1):
                    raise TransferError(f"Line {number} of {path}: a {kind} record out of order.")
                rank = ORDER.index(kind)
                yield record
                if kind == "end":
                    if text.readline(1):
                        raise TransferError(f"{path} goes on after its end record (line {number}).")
                    return
        except (UnicodeDecodeError, EOFError, gzip.BadGzipFile, OSError) as error:
            raise TransferError(
                f"{path} is damaged after line {number} ({type(error).__name__}): "
                "it cannot be read."
            ) from None
    if number == 0:
        raise TransferError(f"{path} is empty: it is not an IDO Logboek library file.")
    raise TransferError(
        f"{path} ends at line {number} without its end record: it was cut short. Export it again."
    )


def _parse(line: str, number: int, path: Path) -> dict[str, Any]:
    if not line.endswith("\n"):
        raise TransferError(f"Line {number} of {path} is cut short or too long.")
    try:
        record = json.loads(line)
    except ValueError:
        if number == 1:
            raise TransferError(f"{path} is not an IDO Logboek library file (no JSON).") from None
        raise TransferError(f"Line {number} of {path} is not JSON: the file is damaged.") from None
    if number == 1:
        _check_header(record, path)
    found = problem(record)
    if found:
        raise TransferError(f"Line {number} of {path} does not fit the format: {found}.")
    return record  # type: ignore[no-any-return]


def _check_header(record: Any, path: Path) -> None:
    """The format and version first: a newer file may hold records this version cannot read."""
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise TransferError(f"{path} is not an IDO Logboek library file (no {FORMAT} header).")
    version = record.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise TransferError(
            f"{path} was written by a newer IDO Logboek (format version {version}; this one "
            f"reads up to {VERSION}): upgrade this instance first."
        )
