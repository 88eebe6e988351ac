"""Where replications run: an executor maps a function over items, in any order.

The local process pool is the default; `InlineExecutor` runs in this process
(one worker, tests, debugging); `DaskExecutor` sends the same tasks to a Dask
distributed cluster, an optional extra (`pip install 'dask[distributed]'`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol, TypeVar

from callboard.errors import BadInput

_In = TypeVar("_In")
_Out = TypeVar("_Out")


class Executor(Protocol):
    def map_unordered(self, fn: Callable[[_In], _Out], items: Sequence[_In]) -> Iterator[_Out]:
        """Results as they finish; `fn` and the items must pickle for remote executors."""
        ...


class InlineExecutor:
    def map_unordered(self, fn: Callable[[_In], _Out], items: Sequence[_In]) -> Iterator[_Out]:
        for item in items:
            yield fn(item)


class ProcessExecutor:
    """A local process pool of `workers` processes."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers

    def map_unordered(self, fn: Callable[[_In], _Out], items: Sequence[_In]) -> Iterator[_Out]:
        with ProcessPoolExecutor(max_workers=min(self.workers, max(len(items), 1))) as pool:
            futures = [pool.submit(fn, item) for item in items]
            for future in as_completed(futures):
                yield future.result()


class DaskExecutor:
    """Tasks on the Dask scheduler at `address` (such as tcp://host:8786).

    Workers need Callboard installed; each task carries its scenario and seed,
    so results do not depend on which worker runs what.
    """

    def __init__(self, address: str, connect_timeout_s: float = 10.0) -> None:
        try:
            # Imported by name: Dask is optional and need not be there for type checks.
            self._distributed = importlib.import_module("distributed")
        except ImportError:
            raise BadInput(
                "--dask needs Dask distributed: pip install 'dask[distributed]'"
            ) from None
        try:
            self.client = self._distributed.Client(address, timeout=f"{connect_timeout_s}s")
        except (OSError, TimeoutError) as exc:
            raise BadInput(f"cannot reach the Dask scheduler at {address}: {exc}") from None

    def map_unordered(self, fn: Callable[[_In], _Out], items: Sequence[_In]) -> Iterator[_Out]:
        futures = self.client.map(fn, list(items), pure=False)
        for future in self._distributed.as_completed(futures):
            yield future.result()

    def close(self) -> None:
        self.client.close()


def local_executor(workers: int) -> Executor:
    return InlineExecutor() if workers <= 1 else ProcessExecutor(workers)
