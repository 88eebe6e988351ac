"""What each predictor would have told every queued caller, from the rebuilt entry states.

Each predictor is the engine's own function (`callboard.engine`) applied to the
state the engine would have had, so the audit measures the code that runs
live rather than a copy of it. NaN marks "no announcement": the engine says
None when no agent is working or the queue has no handle time yet.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from callboard.engine import EwtModel, calibrated_features, erlang_a_wait, linear, queue_length_wait
from callboard.ewt_audit.entry_state import EntryStates

ASTERISK = "asterisk"
BUILTIN = ("queue_length", "head_of_line", "last_to_enter", "erlang_a")
CALIBRATED = "calibrated"


def announcements(
    states: EntryStates, model: EwtModel | None = None
) -> dict[str, NDArray[np.float64]]:
    """Predictor name to one announced wait per row of `states` (NaN: none)."""
    ql = queue_length_s(states)
    hol = states.hol_s
    les = np.nan_to_num(states.les_s, nan=0.0)
    result = {
        "queue_length": ql,
        "head_of_line": hol,
        "last_to_enter": np.where(np.isnan(states.les_s), 0.0, states.les_s),
        "erlang_a": _erlang_a(states),
        ASTERISK: states.asterisk_s,
    }
    if model is not None:
        result[CALIBRATED] = calibrated(states, model.mean, ql, hol, les)
    return result


def queue_length_s(states: EntryStates) -> NDArray[np.float64]:
    out = np.full(len(states), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        service_rate = states.staffed / states.aht_s
    for row in np.flatnonzero(np.isfinite(service_rate) & (service_rate > 0)):
        out[row] = queue_length_wait(
            int(states.position[row]), float(service_rate[row]), float(states.theta[row])
        )
    return out


def calibrated(
    states: EntryStates,
    coefficients: tuple[float, ...],
    ql: NDArray[np.float64] | None = None,
    hol: NDArray[np.float64] | None = None,
    les: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """The calibrated estimate with `coefficients` (a model's mean, low or high)."""
    matrix = feature_matrix(states, ql, hol, les)
    out = np.full(len(states), np.nan)
    for row in np.flatnonzero(np.isfinite(matrix[:, 1])):
        out[row] = linear(coefficients, matrix[row].tolist())
    return out


def feature_matrix(
    states: EntryStates,
    ql: NDArray[np.float64] | None = None,
    hol: NDArray[np.float64] | None = None,
    les: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Rows of `EWT_FEATURES`, built by the engine's `calibrated_features`; NaN QL stays NaN."""
    ql = queue_length_s(states) if ql is None else ql
    hol = states.hol_s if hol is None else hol
    les = np.nan_to_num(states.les_s, nan=0.0) if les is None else les
    rows = [
        calibrated_features(float(q), float(h), float(w), int(p), int(s))
        for q, h, w, p, s in zip(ql, hol, les, states.position, states.staffed, strict=True)
    ]
    return np.array(rows, dtype=np.float64).reshape(len(states), -1)


def _erlang_a(states: EntryStates) -> NDArray[np.float64]:
    """The engine's cache key rounding: rate to 1/h, AHT and patience to whole seconds."""
    out = np.full(len(states), np.nan)
    cache: dict[tuple[int, int, int, int], float | None] = {}
    for row in np.flatnonzero(np.isfinite(states.aht_s)):
        theta = float(states.theta[row])
        key = (
            round(float(states.arrival_rate[row]) * 3600.0),
            int(states.staffed[row]),
            round(float(states.aht_s[row])),
            round(1.0 / theta) if theta > 0.0 else 0,
        )
        if key not in cache:
            cache[key] = erlang_a_wait(*key)
        value = cache[key]
        if value is not None:
            out[row] = value
    return out
