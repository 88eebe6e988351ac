"""The live metric catalogue: every figure a surge trigger may name, with its KPI.md meaning.

Plans are validated against this list when they load, so a misspelt metric
fails at load time instead of silently never firing.
"""

from __future__ import annotations

from callboard.domain import NotReadyReason

# Rolling windows for the service level and abandonment, in minutes.
WINDOWS_MIN = (15, 30, 60)
ARRIVALS_WINDOW_MIN = 10
# The reporting interval `projected_sl` projects to its end (whole half hours).
INTERVAL_MIN = 30
# The window the live AHT and patience estimates for `projected_sl` are read over.
ESTIMATE_WINDOW_MIN = 60
ARRIVALS = f"arrivals_{ARRIVALS_WINDOW_MIN}m"
FORECAST = f"forecast_{ARRIVALS_WINDOW_MIN}m"
LAST_WEEK = f"arrivals_{ARRIVALS_WINDOW_MIN}m_last_week"
PROJECTED_SL = "projected_sl"


def _catalogue() -> dict[str, str]:
    names = {
        ARRIVALS: "contacts that arrived in the last 10 minutes",
        FORECAST: "forecast arrivals for the same 10 minutes (supplied)",
        LAST_WEEK: "contacts that arrived in the same 10 minutes 7 days earlier (event log)",
        PROJECTED_SL: "sl expected for the current 30-minute interval: its answers so far plus "
        "Erlang A for the rest from current staffing, arrival rate, AHT and patience",
        "waiting": "callers in line now, ringing included, callbacks excluded",
        "oldest_wait": "seconds the oldest waiting caller has waited (live longest wait)",
        "agents_ready": "agents ready and idle",
        "agents_busy": "agents reserved for or talking to a contact",
        "agents_wrap_up": "agents in after-call work (ACW)",
        "agents_not_ready": "agents not ready, any reason",
        "agents_outbound": "agents not ready for outbound work",
    }
    for minutes in WINDOWS_MIN:
        names[f"sl_{minutes}m"] = f"sl = A(wait<=T)/(O-Ab_s), queued in the last {minutes}m"
        names[f"abandon_rate_{minutes}m"] = f"abandon_rate = Ab/O, queued in the last {minutes}m"
    for reason in NotReadyReason:
        names[f"agents_not_ready_{reason.value}"] = f"agents not ready for {reason.value}"
    return names


# name -> what it means; the single list triggers are checked against.
METRICS: dict[str, str] = _catalogue()
