"""Fit the calibrated predictor from records, and keep it in a file.

The mean is ordinary least squares of the actual wait on `EWT_FEATURES`, over
callers answered after queueing; the 10% and 90% quantiles are linear quantile
regressions on the same features (the check-loss linear programme, solved by
HiGHS). Measured on January 1999, split by day (ARCHITECTURE.md, "Expected
wait"): least squares keeps the bias near zero, which the median regression
does not (the waits are skewed right), and gradient-boosted trees won only a
few seconds of MAE while the engine would have to evaluate trees per caller.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray
from scipy.optimize import linprog

from callboard.engine import EWT_FEATURES, EwtModel
from callboard.errors import BadInput
from callboard.ewt_audit.announcements import feature_matrix
from callboard.ewt_audit.entry_state import EntryStates

MIN_ANSWERED = 200
MODEL_FILE = "ewt_model.json"
FORMAT = "callboard-ewt-model/1"


def fit_model(states: EntryStates) -> EwtModel:
    """Fit on every answered-after-queueing caller of `states` with a QL estimate."""
    matrix = feature_matrix(states)
    rows = states.answered & np.isfinite(matrix).all(axis=1)
    if int(rows.sum()) < MIN_ANSWERED:
        raise BadInput(
            f"only {int(rows.sum())} callers were answered after queueing with agents on duty; "
            f"fitting needs at least {MIN_ANSWERED}"
        )
    x, y = matrix[rows], states.wait_s[rows]
    mean = np.asarray(np.linalg.lstsq(x, y, rcond=None)[0], dtype=np.float64)
    return EwtModel(_plain(mean), _plain(quantile_fit(x, y, 0.1)), _plain(quantile_fit(x, y, 0.9)))


def quantile_fit(
    x: NDArray[np.float64], y: NDArray[np.float64], level: float
) -> NDArray[np.float64]:
    """Minimise the check loss: x·b + u - v = y with u, v >= 0, cost level·u + (1-level)·v."""
    n, k = x.shape
    cost = np.concatenate([np.zeros(k), np.full(n, level), np.full(n, 1.0 - level)])
    identity = sparse.identity(n, format="csr")
    equalities = sparse.hstack([sparse.csr_matrix(x), identity, -identity], format="csr")
    bounds = [(None, None)] * k + [(0.0, None)] * (2 * n)
    result = linprog(cost, A_eq=equalities, b_eq=y, bounds=bounds, method="highs")
    if not result.success:
        raise BadInput(f"the {level:.0%} quantile fit did not converge: {result.message}")
    coefficients: NDArray[np.float64] = result.x[:k]
    return coefficients


def _plain(values: NDArray[np.float64]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def save_model(model: EwtModel, path: Path, *, fitted_on: dict[str, object]) -> None:
    data = {
        "format": FORMAT,
        "features": list(EWT_FEATURES),
        "mean": list(model.mean),
        "low": list(model.low),
        "high": list(model.high),
        "fitted_on": fitted_on,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def load_model(path: Path) -> EwtModel:
    """Read a model file; a missing, foreign or stale file names itself and the fix."""
    if not path.exists():
        raise BadInput(f"{path}: no fitted expected-wait model; run `callboard ewt fit` first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BadInput(f"{path}: not a model file ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInput(f"{path}: not a {FORMAT} file; write one with `callboard ewt fit --out`")
    if data.get("features") != list(EWT_FEATURES):
        raise BadInput(
            f"{path}: fitted on features {data.get('features')}, this version reads "
            f"{list(EWT_FEATURES)}; fit it again"
        )
    try:
        return EwtModel.from_data(data)
    except (KeyError, TypeError, ValueError) as error:
        raise BadInput(f"{path}: bad coefficients ({error})") from None
