"""Seeded random walks through every page in AppTest: no error, the frame stays, every view is a link.

CI walks WALK_SEQUENCES (default 160) sequences of WALK_STEPS (default 10) steps from WALK_SEED;
locally the default is 20 sequences (set WALK_SEQUENCES to walk more)."""

import os
import random

import pytest

from core import lesson_store, nav
from tests.app.walk import Walk
from tests.strategies import random_link

CI = os.environ.get("CI", "").lower() == "true"
SEED = int(os.environ.get("WALK_SEED", "20250701"))
SEQUENCES = int(os.environ.get("WALK_SEQUENCES", "160" if CI else "20"))
STEPS = int(os.environ.get("WALK_STEPS", "10"))
pytestmark = pytest.mark.slow


def draft() -> str:
    """A lecturer's draft with two steps (one from /country), as 'lesson-add' makes it."""
    store = lesson_store.default_store()
    key, _ = store.new_draft()
    store.add_step(key, "merger", {"unit": "20194"}, "Sáp nhập · Phường Hải Vân")
    store.add_step(key, "country", {"province": "48"}, "Cả nước · Đà Nẵng")
    return key


@pytest.mark.parametrize("number", range(SEQUENCES))
def test_walk(number):
    rng = random.Random(SEED * 1000 + number)
    walk = Walk(rng, draft=draft() if number % 5 != 4 else "")  # /lesson with a draft, and without
    page = nav.PAGES[number % len(nav.PAGES)].key  # every page is a start page equally often
    walk.open(page, random_link(rng, page) if number % 2 else {})
    walk.check()
    for _ in range(STEPS):
        walk.step()
        walk.check()
    walk.check_fresh()  # once per sequence: a fresh session at the link shows the same content
