"""Keep freed memory in the process for the next computation (glibc only; elsewhere nothing).

The engine works on (months x samples) arrays of about half a megabyte each at
1,000 samples, allocated and freed by the dozen per scenario. By default glibc
gives the top of its heap back to the system as soon as about 1 MB of it is
free, so every array of the next computation is fresh memory whose pages fault
on first touch: some 5,000 minor faults per 4-scenario x 1,000-sample x
60-month comparison, a third of its wall time (``benchmarks/bench_engine.py``:
about 37 ms with the defaults against 22 ms with this, on a 2-core machine).

:func:`keep_freed_memory` raises glibc's trim threshold to ``TRIM_BYTES`` and
serves blocks up to ``MMAP_BYTES`` from the heap, so freed arrays are reused
instead. The cost is that up to ``TRIM_BYTES`` of freed memory stay with the
process after a large computation (glibc's own ``MALLOC_TRIM_THRESHOLD_`` and
``MALLOC_MMAP_THRESHOLD_`` environment variables do the same; they win when set).
"""

from __future__ import annotations

import ctypes
import os

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
"""``mallopt`` parameter numbers (glibc's malloc.h)."""
TRIM_BYTES = 64 * 2**20
"""Free memory kept at the top of the heap before any is given back to the system."""
MMAP_BYTES = 32 * 2**20
"""Blocks below this come from the heap (reusable) rather than from their own mapping:
glibc's largest allowed value, above a (60 x 20,000) array of 9.6 MB."""

_done = False


def keep_freed_memory() -> bool:
    """Tune glibc's malloc once per process; True when it took effect."""
    global _done
    if _done:
        return True
    if any(name in os.environ for name in ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")):
        return False  # the user's own tuning stands
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, Windows): nothing to tune
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    _done = bool(mallopt(M_MMAP_THRESHOLD, MMAP_BYTES)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_BYTES))
    return _done
