"""The same KPI report written with pandas groupby, as the benchmark's peer.

It follows the definitions of `callboard.kpi` (null-safe ratios, unknown waits
left out of averages, talk known = handled) so that both engines can be
checked against each other figure by figure, not only timed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = [
    "queue", "local_time", "outcome", "queued", "callback", "exit_reason",
    "wait_s", "talk_s", "hold_s", "acw_s",
]  # fmt: skip


def read(files: list[Path]) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(path, columns=COLUMNS) for path in files], ignore_index=True)


def kpis_by_interval_and_queue(
    frame: pd.DataFrame, *, minutes: int, sl_threshold: float, short_abandon: float
) -> pd.DataFrame:
    """One row per (interval, queue) with the KPIs of the dictionary, as pandas would do it."""
    frame = frame[frame["outcome"] != "phantom"]
    outcome = frame["outcome"]
    wait = frame["wait_s"].astype("float64")
    talk = frame["talk_s"].astype("float64")
    answered = (outcome == "answered").to_numpy()
    abandoned = (outcome == "abandoned").to_numpy()
    offered = outcome.isin(["answered", "abandoned", "exited"]).to_numpy()
    short = abandoned & (wait < short_abandon).to_numpy()
    handled = answered & talk.notna().to_numpy()
    work = pd.DataFrame(
        {
            "interval": frame["local_time"].dt.floor(f"{minutes}min"),
            "queue": frame["queue"],
            "offered": offered,
            "answered": answered,
            "abandoned": abandoned,
            "abandoned_short": short,
            "exited": (outcome == "exited").to_numpy(),
            "blocked": (outcome == "blocked").to_numpy(),
            "ivr_abandoned": (outcome == "ivr_abandoned").to_numpy(),
            "queued": offered & frame["queued"].to_numpy(dtype=bool),
            "callbacks": offered & frame["callback"].to_numpy(dtype=bool),
            "callbacks_answered": answered & frame["callback"].to_numpy(dtype=bool),
            "answered_within": answered & (wait <= sl_threshold).to_numpy(),
            "abandoned_within": abandoned & (wait <= sl_threshold).to_numpy(),
            "abandoned_late": abandoned & (wait > sl_threshold).to_numpy(),
            "overflowed": offered
            & frame["exit_reason"].str.lower().str.contains("overflow").fillna(False).to_numpy(),
            "handled": handled,
            "answered_wait": wait.where(answered),
            "offered_wait": wait.where(offered),
            "abandoned_wait": wait.where(abandoned),
            "long_abandon_wait": wait.where(abandoned & ~short),
            "handle": (talk + frame["hold_s"].fillna(0) + frame["acw_s"].fillna(0)).where(handled),
            "talk": talk.where(handled),
        }
    )
    groups = work.groupby(["interval", "queue"], observed=True, sort=True)
    counts = groups[
        [
            "offered", "answered", "abandoned", "abandoned_short", "exited", "blocked",
            "ivr_abandoned", "queued", "callbacks", "handled", "callbacks_answered",
            "answered_within", "abandoned_within", "abandoned_late", "overflowed",
        ]
    ].sum()  # fmt: skip
    means = groups[
        ["answered_wait", "offered_wait", "abandoned_wait", "long_abandon_wait", "handle", "talk"]
    ].mean()
    out = counts.copy()
    out["sl"] = _ratio(counts["answered_within"], counts["offered"] - counts["abandoned_short"])
    out["sl_answered"] = _ratio(counts["answered_within"], counts["answered"])
    out["sl_offered"] = _ratio(counts["answered_within"], counts["offered"])
    out["sl_late_abandons"] = _ratio(
        counts["answered_within"], counts["answered"] + counts["abandoned_late"]
    )
    out["sl_met"] = _ratio(
        counts["answered_within"] + counts["abandoned_within"],
        counts["answered"] + counts["abandoned"],
    )
    out["asa"] = means["answered_wait"]
    out["asa_median"] = groups["answered_wait"].median()
    out["asa_p90"] = groups["answered_wait"].quantile(0.9)
    out["avg_wait"] = means["offered_wait"]
    out["avg_abandon_time"] = means["abandoned_wait"]
    out["avg_abandon_time_long"] = means["long_abandon_wait"]
    out["abandon_rate"] = _ratio(counts["abandoned"], counts["offered"])
    out["abandon_rate_excl_short"] = _ratio(
        counts["abandoned"] - counts["abandoned_short"],
        counts["offered"] - counts["abandoned_short"],
    )
    out["answer_rate"] = _ratio(counts["answered"], counts["offered"])
    out["longest_wait"] = groups["offered_wait"].max()
    out["aht"] = means["handle"]
    out["talk_time"] = means["talk"]
    out["overflow_share"] = _ratio(counts["overflowed"], counts["offered"])
    out["callback_success_rate"] = _ratio(counts["callbacks_answered"], counts["callbacks"])
    return out.reset_index()


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.replace(0, np.nan)
