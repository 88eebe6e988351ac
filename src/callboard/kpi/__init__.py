"""The KPI engine: the metric dictionary of KPI.md computed with DuckDB over contact records.

`compute_kpis` answers "what were the figures", grouped by interval, queue,
agent and more, each figure under its dictionary name; `select_records` answers
"which contacts are behind that figure".
"""

from callboard.kpi.definitions import (
    DEFAULT_SHORT_ABANDON,
    DEFAULT_SL_THRESHOLD,
    KPIS,
    UNAVAILABLE,
    KpiDefinition,
    register_kpi,
)
from callboard.kpi.drilldown import OUTCOME_CHOICES, select_records
from callboard.kpi.empty_answer import why_empty
from callboard.kpi.export import EXPORT_FORMATS, read_records_csv, write_records
from callboard.kpi.grouping import GROUP_KEYS
from callboard.kpi.log_watch import QueueLogWatch, WatchRead, watch_queue_log
from callboard.kpi.query import compute_kpis
from callboard.kpi.questions import (
    KpiQuestion,
    RecordsQuestion,
    answer_kpis,
    answer_records,
    check_choice,
)
from callboard.kpi.report import KpiReport
from callboard.kpi.source import Selection, Source

__all__ = [
    "DEFAULT_SHORT_ABANDON",
    "DEFAULT_SL_THRESHOLD",
    "EXPORT_FORMATS",
    "GROUP_KEYS",
    "KPIS",
    "OUTCOME_CHOICES",
    "UNAVAILABLE",
    "KpiDefinition",
    "KpiQuestion",
    "KpiReport",
    "QueueLogWatch",
    "RecordsQuestion",
    "Selection",
    "Source",
    "WatchRead",
    "answer_kpis",
    "answer_records",
    "check_choice",
    "compute_kpis",
    "read_records_csv",
    "register_kpi",
    "select_records",
    "watch_queue_log",
    "why_empty",
    "write_records",
]
