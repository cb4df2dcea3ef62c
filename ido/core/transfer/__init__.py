"""Moving one library between instances (SQLite or PostgreSQL): a versioned file of JSON
Lines that holds everything the library owns, written and read a record at a time.

- `schema`: the format's name and version, and the schema of each type of record
- `files`: writing and reading the lines, gzip, a file cut short or damaged
- `refs`: codes and e-mail addresses for what the database keys by number
- `export`: one library to a file
- `importing`, `rows`: a file into this instance, in the caller's one transaction
"""

from ido.core.transfer.export import export_library
from ido.core.transfer.files import TransferError
from ido.core.transfer.importing import Imported, import_library
from ido.core.transfer.schema import FORMAT, SCHEMA, VERSION

__all__ = [
    "FORMAT",
    "SCHEMA",
    "VERSION",
    "Imported",
    "TransferError",
    "export_library",
    "import_library",
]
