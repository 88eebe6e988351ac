"""The expected-wait audit: every predictor replayed on real history, and the calibrated one.

From contact records it rebuilds what the engine knew at each queue entry,
asks the engine's own predictors (and Asterisk's moving average) what they
would have announced, scores that against the waits that followed, and fits
the calibrated predictor's coefficients (`EwtModel`).
"""

from callboard.ewt_audit.announcements import ASTERISK, CALIBRATED, announcements
from callboard.ewt_audit.calibration import MODEL_FILE, load_model, save_model
from callboard.ewt_audit.day_choice import parse_days
from callboard.ewt_audit.entry_state import EntryStates, entry_states
from callboard.ewt_audit.evaluation import (
    Evaluation,
    PredictorReport,
    chosen_states,
    evaluate,
    fit,
    read_records,
)
from callboard.ewt_audit.scores import Score, score

__all__ = [
    "ASTERISK",
    "CALIBRATED",
    "MODEL_FILE",
    "EntryStates",
    "Evaluation",
    "PredictorReport",
    "Score",
    "announcements",
    "chosen_states",
    "entry_states",
    "evaluate",
    "fit",
    "load_model",
    "parse_days",
    "read_records",
    "save_model",
    "score",
]
