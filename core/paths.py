"""Filesystem locations used by the app; DATA_DIR can be redirected for tests."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "core" / "locales"


def data_dir() -> Path:
    """The folder holding curated data (env var TGBM_DATA_DIR overrides, for tests)."""
    return Path(os.environ.get("TGBM_DATA_DIR", ROOT / "data"))
