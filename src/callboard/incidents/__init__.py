"""Incidents: finding the stretches where a queue missed its service, and saying why.

`find_incidents` detects runs of intervals that missed the SL target or passed
the abandonment threshold (and spans with a surge tier in force);
`build_report` breaks one down into causes with numbers (volume against the
day-before forecast, handling time against the usual, staffing against
Erlang A, routing against usual skills), replays it through the engine with
causes set back to normal for Shapley shares with 95% intervals, and sizes
what would have met the target. `render_report` writes it as Markdown, JSON
or one self-contained HTML file.
"""

from callboard.incidents.detection import SurgeSpan, find_incidents
from callboard.incidents.incident import Incident, incident_id, parse_incident_id
from callboard.incidents.listing import list_incidents
from callboard.incidents.rendering import FORMATS, render_report
from callboard.incidents.report import IncidentReport, ReportOptions, build_report, find_incident
from callboard.incidents.settings import DetectionSettings

__all__ = [
    "FORMATS",
    "DetectionSettings",
    "Incident",
    "IncidentReport",
    "ReportOptions",
    "SurgeSpan",
    "build_report",
    "find_incident",
    "find_incidents",
    "incident_id",
    "list_incidents",
    "parse_incident_id",
    "render_report",
]
