"""A small in-process sliding-window rate limiter (writes per token per minute).

The window is exact: a key may make ``limit`` requests in any ``window`` seconds, and
the next one is refused with the seconds to wait until the oldest leaves the window.
State lives in this process only; behind several server processes each keeps its own
count, so the effective limit is per process (see the API docs).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """``limit`` hits per ``window`` seconds per key; thread-safe.

    ``clock`` is injectable for tests (a monotonic clock by default).
    """

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int | None:
        """Count one request for ``key``: ``None`` when allowed, else the whole seconds
        to wait before retrying (for a ``Retry-After`` header). Refused requests are not
        counted, so a client that waits as told gets through."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if self.limit <= 0:
                return math.ceil(self.window)
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            return None
