"""Every UI string the merger page builds from a slug or status exists in both languages."""

import pytest

from components import merger, merger_tabs
from core import i18n, lookup

DYNAMIC_KEYS = (
    [f"merger.status.{s}" for s in merger.STATUS_COLOR]
    + [f"merger.result.{s}" for s in ("split", "merged", "unchanged", "type_changed", "new", "district")]
    + [f"merger.unit.{s}" for s in ("unchanged", "type_changed")]
    + [f"merger.type.{s}" for s in lookup.TYPE_SLUG.values()]
    + [f"merger.color.{c}" for c in ("type", "province")]
    + [f"merger.row.{r}" for r in merger.COMPARE_ROWS]
    + [f"merger.col.{c}" for c in merger_tabs.TABLE_COLUMNS]
    + [f"scope.{s}" for s in lookup.PROVINCE_SLUG]
)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_dynamic_keys_exist(lang):
    strings = i18n.strings(lang)
    assert [k for k in DYNAMIC_KEYS if k not in strings] == []


def test_lookup_statuses_all_have_a_badge_colour():
    assert set(merger.STATUS_COLOR) == {"split", "merged", "unchanged", "type_changed", "new", "district"}
