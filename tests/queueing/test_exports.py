"""The public names of callboard.queueing are exactly its `__all__`."""

from __future__ import annotations

import callboard.queueing as queueing


def test_all_lists_every_public_name_and_nothing_else() -> None:
    public = {name for name in vars(queueing) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(queueing, name)).__name__ == "module"}
    assert set(queueing.__all__) == public - modules
    for name in ("erlang_b", "erlang_c", "erlang_a", "required_agents"):
        assert callable(getattr(queueing, name))
