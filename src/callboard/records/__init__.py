"""Contact records: importers from real systems into one Parquet dataset.

Each importer turns a source file into `ContactRecord`s plus `Rejection`s;
`import_files` writes the good ones, partitioned by local day, and skips
contacts that the dataset already holds so re-importing changes nothing.
"""

from callboard.records.dataset import RecordDataset, WriteResult
from callboard.records.importer import (
    IMPORTERS,
    ImportReport,
    ParseResult,
    Rejection,
    import_files,
)

__all__ = [
    "IMPORTERS",
    "ImportReport",
    "ParseResult",
    "RecordDataset",
    "Rejection",
    "WriteResult",
    "import_files",
]
