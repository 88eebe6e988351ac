"""A HiGHS instance that keeps standard output clean.

HiGHS prints a banner on stdout when the first instance of a process is
built, before any option can silence it; that would corrupt `--format json`
output. The banner is sent to stderr instead by pointing file descriptor 1
there for the construction, flushing C's buffer before pointing it back.
"""

from __future__ import annotations

import ctypes
import os
import sys

import highspy

_LIBC = ctypes.CDLL(None)


def new_solver() -> highspy.Highs:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
        _LIBC.fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    solver.setOptionValue("output_flag", False)
    return solver
