"""Handle time and patience fitted from the imported January records."""

from __future__ import annotations

import importlib
import inspect

import pytest

from callboard.records import RecordDataset
from callboard.staffing import fit_queue_times


def test_fitted_times_are_plausible_for_the_bank(january_dataset: RecordDataset) -> None:
    times = fit_queue_times(january_dataset)
    retail = times["PS"]
    # The data README gives a mean service time near 185 s over all queues.
    assert 120 < retail.aht < 260
    assert retail.patience is not None and 100 < retail.patience < 2000


@pytest.mark.parametrize("name", ["callboard.forecast", "callboard.staffing", "callboard.schedule"])
def test_planning_packages_export_exactly_their_public_names(name: str) -> None:
    module = importlib.import_module(name)
    for exported in module.__all__:  # a package may load its submodules on first use
        getattr(module, exported)
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert sorted(module.__all__) == sorted(public)
