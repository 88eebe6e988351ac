"""Triage: a request's category and priority from its text (docs/triage.md).

A linear model over word and character TF-IDF features learns categories
from labelled requests (a CSV file, or the case history with agents'
corrections); priority rules in a file always win for safety; below them a
confident category may raise priority. The server asks `Triage.suggest` for
every contact as it arrives (server/triage_hook.py).
"""

from __future__ import annotations

from callboard.triage.evaluation import cross_validate, evaluate
from callboard.triage.history import CORRECTION, Correction, Corrections, read_history
from callboard.triage.labelled import Example, read_labelled
from callboard.triage.model import DEFAULT_THRESHOLD, Prediction, TriageModel
from callboard.triage.rules import DEFAULT_RULES, Rules, load_rules
from callboard.triage.suggest import CATEGORY, MODEL_FILE, SUGGESTED, Suggestion, Triage
from callboard.triage.text import TEXT_ATTRIBUTES, fold, request_text
from callboard.triage.training import Trained, train

__all__ = [
    "CATEGORY",
    "CORRECTION",
    "DEFAULT_RULES",
    "DEFAULT_THRESHOLD",
    "MODEL_FILE",
    "SUGGESTED",
    "TEXT_ATTRIBUTES",
    "Correction",
    "Corrections",
    "Example",
    "Prediction",
    "Rules",
    "Suggestion",
    "Trained",
    "Triage",
    "TriageModel",
    "cross_validate",
    "evaluate",
    "fold",
    "load_rules",
    "read_history",
    "read_labelled",
    "request_text",
    "train",
]
