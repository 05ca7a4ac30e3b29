"""Command line: check every data file and cross-reference; `--stamp` rewrites the checksums.

Usage: python -m core.validate [--data DIR] [--stamp]
"""

import argparse
import sys
from pathlib import Path

from core import catalog, paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.validate", description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: data/)")
    parser.add_argument("--stamp", action="store_true", help="write MANIFEST.sha256 first")
    args = parser.parse_args(argv)
    root = args.data or paths.data_dir()
    if args.stamp:
        print(f"wrote {catalog.write_manifest(root)}")
    cat = catalog.build(root)
    # The national set is checked here but loaded by the app only on the country page.
    problems = cat.all_problems() + cat.national().problems
    for problem in problems:
        print(problem)
    counts = ", ".join(f"{name} {len(ds.records)}" for name, ds in cat.datasets.items())
    print(f"{len(problems)} problem(s); records: {counts}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
