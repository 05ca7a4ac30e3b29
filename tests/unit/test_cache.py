"""components.cache.shared: builders keyed by what they read (the catalog's data stamp, the language)."""

from pathlib import Path

from components import cache
from core import catalog, i18n


def _catalog(stamp: str) -> catalog.Catalog:
    return catalog.Catalog(root=Path("."), stamp=stamp)


def test_a_catalog_is_keyed_by_its_stamp_not_its_contents():
    calls = []

    @cache.shared(max_entries=4)
    def build(cat: catalog.Catalog) -> str:
        calls.append(cat.stamp)
        return cat.stamp

    first = _catalog("a")
    assert build(first) == "a"
    first.problems.append("changed in place")  # same stamp: the cached object is the one built
    assert build(first) == "a"
    assert build(_catalog("a")) == "a"
    assert build(_catalog("b")) == "b"
    assert calls == ["a", "b"]


def test_a_builder_taking_lang_writes_its_texts_in_that_language():
    @cache.shared(max_entries=4)
    def label(cat: catalog.Catalog, lang: str) -> str:
        return i18n.t("nav.overview")

    i18n.use("vi")
    english = label(_catalog("s"), "en")
    vietnamese = label(_catalog("s"), "vi")
    assert english == i18n.strings("en")["nav.overview"]
    assert vietnamese == i18n.strings("vi")["nav.overview"]
    assert english != vietnamese
    assert i18n.lang() == "vi"  # the run's own language is back after the builder


def test_using_restores_the_language_after_an_error():
    i18n.use("en")
    try:
        with i18n.using("vi"):
            assert i18n.lang() == "vi"
            raise RuntimeError
    except RuntimeError:
        pass
    assert i18n.lang() == "en"
    i18n.use("vi")


def test_arguments_python_cannot_hash_still_reach_the_cache_and_old_entries_leave():
    calls = []

    @cache.shared(max_entries=2)
    def build(cat: catalog.Catalog, names) -> str:
        calls.append((cat.stamp, tuple(names)))
        return cat.stamp + ":" + ",".join(names)

    assert build(_catalog("a"), ["x"]) == "a:x"  # a list: Streamlit's own hashing
    assert build(_catalog("a"), ["x"]) == "a:x"
    assert calls == [("a", ("x",))]
    for stamp in ("a", "b", "c", "a"):
        build(_catalog(stamp), ("y",))
    # Two entries are kept: "a" was pushed out by "b" and "c" (from the lookup in front and from
    # Streamlit's cache behind it), so it is built again; asked once more, it is not.
    assert calls[1:] == [("a", ("y",)), ("b", ("y",)), ("c", ("y",)), ("a", ("y",))]
    build(_catalog("a"), ("y",))
    assert len(calls) == 5
