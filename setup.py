"""Compiles the engine and the simulation driver with mypyc; pyproject.toml holds the rest.

The simulator spends nearly all its time in these modules, and mypyc turns
their type hints into native attribute access and direct calls. Every
install builds them, editable ones too, so tests always run the compiled
code; the Makefile reinstalls when one of these files changes, because an
editable install would otherwise keep importing the old binary.

`engine/spec.py` stays interpreted: its frozen dataclasses travel to worker
processes inside scenarios, and mypyc's frozen native classes do not unpickle.
Imported modules are only read for their types (`--follow-imports=silent`),
so a type error elsewhere in the package cannot break an install; `make lint`
reports it instead.
"""

import sys

from mypyc.build import mypycify
from setuptools import setup

COMPILED = [
    "src/callboard/engine/agents.py",
    "src/callboard/engine/center.py",
    "src/callboard/engine/contact.py",
    "src/callboard/engine/ewt.py",
    "src/callboard/engine/hours.py",
    "src/callboard/engine/lines.py",
    "src/callboard/engine/outputs.py",
    "src/callboard/engine/queries.py",
    "src/callboard/engine/queues.py",
    "src/callboard/engine/routing.py",
    "src/callboard/engine/snapshot.py",
    "src/callboard/engine/agent_states.py",
    "src/callboard/engine/commands.py",
    "src/callboard/sim/driver.py",
    "src/callboard/sim/timers.py",
]

# pip also runs this file to read the build requirements (egg_info) and the
# metadata (dist_info); neither needs the binaries, and compiling for each would
# add half a minute to every install. If this ever skipped a real build,
# tests/engine/test_compiled.py would fail.
METADATA_ONLY = bool({"egg_info", "dist_info"} & set(sys.argv[1:]))

setup(
    ext_modules=[]
    if METADATA_ONLY
    else mypycify(
        ["--follow-imports=silent", *COMPILED], group_name="callboard_native", opt_level="3"
    )
)
