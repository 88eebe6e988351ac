"""The live metric catalogue: every figure a surge trigger may name, with its KPI.md meaning.

Plans are validated against this list when they load, so a misspelt metric
fails at load time instead of silently never firing.
"""

from __future__ import annotations

from callboard.domain import NotReadyReason

# Rolling windows for the service level and abandonment, in minutes.
WINDOWS_MIN = (15, 30, 60)
ARRIVALS_WINDOW_MIN = 10


def _catalogue() -> dict[str, str]:
    names = {
        f"arrivals_{ARRIVALS_WINDOW_MIN}m": "contacts that arrived in the last 10 minutes",
        f"forecast_{ARRIVALS_WINDOW_MIN}m": "forecast arrivals for the same 10 minutes (supplied)",
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
