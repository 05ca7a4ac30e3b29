"""Running asyncio code from a test while Playwright's sync API holds an event loop in the test thread."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_apart(coro):
    """asyncio.run(coro) in a thread of its own (the test thread's loop may be Playwright's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
