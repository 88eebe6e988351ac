"""Replications on a Dask cluster (a LocalCluster here) give what local runs give."""

from __future__ import annotations

import distributed
import pytest

from callboard.errors import BadInput
from callboard.sim.distributions import Exponential
from callboard.sim.executors import DaskExecutor
from callboard.sim.replications import simulate
from tests.sim.helpers import one_queue

SMALL = one_queue(rate_per_hour=60, agents=2, patience=Exponential(120.0), hours=2)


def test_a_dask_cluster_gives_the_same_answer_as_running_inline() -> None:
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        executor = DaskExecutor(cluster.scheduler_address)
        try:
            remote = simulate(SMALL, replications=2, seed=6, executor=executor)
        finally:
            executor.close()
    assert remote.total == simulate(SMALL, replications=2, seed=6).total


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(BadInput, match="cannot reach the Dask scheduler"):
        DaskExecutor("tcp://127.0.0.1:9", connect_timeout_s=1.0)
