"""Contact records: importers from real systems into one Parquet dataset.

Each importer turns a source file into `ContactRecord`s plus `Rejection`s;
`import_files` writes the good ones, partitioned by local day, and skips
contacts that the dataset already holds so re-importing changes nothing.
`RECORD_SCHEMA` is the one on-disk form that the KPI engine, planning and the
simulator read; `to_record` and `ContactFold` turn a simulated or a live
center's contacts into the same records.
"""

# The built-in importers register themselves in IMPORTERS when imported, through
# the same `register_importer` an outside importer uses.
from callboard.records import builtin  # noqa: F401
from callboard.records.agent_states import AGENT_STATE_SCHEMA
from callboard.records.contact_fold import ARRIVAL_TAGS, ContactFold
from callboard.records.dataset import RecordDataset, WriteResult
from callboard.records.finished import FinishedContact, to_record
from callboard.records.follow import QueueLogFollower
from callboard.records.importer import (
    IMPORTERS,
    ImportReport,
    ParseResult,
    Rejection,
    import_files,
    register_importer,
)
from callboard.records.schema import RECORD_SCHEMA, records_to_table

__all__ = [
    "AGENT_STATE_SCHEMA",
    "ARRIVAL_TAGS",
    "IMPORTERS",
    "RECORD_SCHEMA",
    "ContactFold",
    "FinishedContact",
    "ImportReport",
    "ParseResult",
    "QueueLogFollower",
    "RecordDataset",
    "Rejection",
    "WriteResult",
    "import_files",
    "records_to_table",
    "register_importer",
    "to_record",
]
