"""No English of Streamlit's own on a Vietnamese page, whatever the browser's language.

Opens the controls whose text Streamlit writes itself (the period's month selects, a select's
search with no match, a dataframe's toolbar and column menu, the share dialog's copy button, the
sidebar buttons) and checks the visible text and the title / aria-label / placeholder attributes
of the whole document against a list of Streamlit's English strings written out here (not taken
from the translator). On an English page the same controls show Streamlit's English.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_view, screenshot, track_runs, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Streamlit 1.67's own strings, as its frontend shows them.
ENGLISH = (
    "No results", "Choose an option", "Choose options", "Sort ascending", "Sort descending",
    "Download as CSV", "Search", "Fullscreen", "Close fullscreen", "Copy to clipboard", "Copied",
    "Autosize", "Pin column", "Unpin column", "Hide column", "Format", "Statistics", "Show/hide columns",
    "Select all", "Type to search", "Close Search", "Next Result", "Previous Result", "Copy column name",
    "Dataframe column menu", "Collapse sidebar", "Expand sidebar", "Close", "Dismiss", "Open", "Clear all",
    "Main menu", "Link to heading", "Skip to main content",
)
# The calendar that the month selects replace.
CALENDAR = ("Choose date", "S M T W T F S", "January", "December")
WORDS = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest('script, style, [data-testid=stIconMaterial]')) continue;
    const s = n.nodeValue.trim();
    if (s) out.push(s);
  }
  document.querySelectorAll('[title], [aria-label], [placeholder]').forEach(el => {
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  });
  return out;
}"""
LOCALES = ("vi-VN", "en-US")


def new_context(browser, locale: str, size=(1366, 768)):
    return track_runs(browser.new_context(viewport={"width": size[0], "height": size[1]}, locale=locale,
                                          timezone_id="Asia/Ho_Chi_Minh"))


def strings(page) -> set[str]:
    return set(page.evaluate(WORDS))


def english_on(page) -> set[str]:
    found = strings(page)
    return {s for s in (*ENGLISH, *CALENDAR) if s in found}


def assert_vietnamese(page, where: str) -> None:
    page.wait_for_timeout(150)  # the translator runs on the next mutation batch
    left = english_on(page)
    assert not left, f"{where}: Streamlit's English on a Vietnamese page: {sorted(left)}"


def shown(select) -> str:
    """What a select shows: its text and its input's value (the chosen option's label)."""
    return select.inner_text() + " " + " ".join(i.input_value() for i in select.locator("input").all())


def _month_select(page, field: str):
    return page.locator(f"[data-testid=stMain] .st-key-timeline-{field}-{_lang(page)}")


def _lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def _open_month_list(page, field: str):
    _month_select(page, field).locator("input").click()
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    return listbox


def _search_without_match(page, container_css: str) -> None:
    page.locator(container_css).first.locator("input").click()
    page.keyboard.type("qqqzzz")
    page.wait_for_timeout(300)


def _open_column_menu(page) -> None:
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.move(box["x"] + 60, box["y"] + 17)  # the first column's header: its menu button appears
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + 99, box["y"] + 17)
    page.get_by_role("menu").first.wait_for(timeout=5000)


def _hover_toolbar(page) -> list:
    grid = page.locator("[data-testid=stDataFrame]").first
    # The toolbar shows above the grid's top edge: centre the grid so the sticky header cannot cover it.
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    grid.hover()
    buttons = page.locator("[data-testid=stElementToolbar] button")
    buttons.first.wait_for(state="visible")
    return buttons.all()


@pytest.mark.parametrize("locale", LOCALES)
def test_vietnamese_pages_show_no_streamlit_english(browser, server, locale):
    ctx = new_context(browser, locale)
    try:
        page = ctx.new_page()
        open_view(page, server, "/timeline?from=2025-04-15&to=2025-06-30")
        assert_vietnamese(page, "timeline")
        assert "Tháng 4/2025" in shown(_month_select(page, "from"))
        # The month list: Vietnamese months, the data's years, no calendar.
        listbox = _open_month_list(page, "from")
        options = listbox.get_by_role("option").all_inner_texts()
        # The list opens at the chosen month (it scrolls a long list), every option a month in Vietnamese.
        assert any(o.startswith("Tháng 4/2025") for o in options)
        assert all(o.startswith(("Tháng ", "Không giới hạn")) for o in options), options
        screenshot(page, f"vi-month-list-{locale}")
        assert_vietnamese(page, "month list open")
        page.keyboard.type("qqqzzz")
        page.wait_for_timeout(300)
        assert "Không có kết quả" in strings(page)
        assert_vietnamese(page, "month list, search without a match")
        page.keyboard.press("Escape")
        # The topic multiselect, searched without a match.
        _search_without_match(page, "[data-testid=stMain] [data-testid=stMultiSelect]")
        assert "Không có kết quả" in strings(page)
        assert_vietnamese(page, "multiselect, search without a match")
        page.keyboard.press("Escape")

        # The dataframe: toolbar tooltips, column-visibility menu, search, column menu.
        open_view(page, server, "/timeline?tab=table")
        buttons = _hover_toolbar(page)
        labels = [b.get_attribute("aria-label") for b in buttons]
        assert "Tải về CSV" in labels and "Toàn màn hình" in labels, labels
        for button in buttons:
            _hover_toolbar(page)
            button.hover()
            page.wait_for_timeout(400)  # the tooltip
            assert_vietnamese(page, f"toolbar tooltip {button.get_attribute('aria-label')}")
        buttons[0].click()  # show/hide columns
        page.wait_for_timeout(400)
        assert "Chọn tất cả" in strings(page)
        assert_vietnamese(page, "show/hide columns menu")
        page.keyboard.press("Escape")
        _hover_toolbar(page)[2].click()  # search
        page.wait_for_timeout(400)
        assert_vietnamese(page, "table search")
        page.keyboard.press("Escape")
        _open_column_menu(page)
        assert {"Sắp xếp tăng dần", "Sắp xếp giảm dần", "Ẩn cột"} <= strings(page)
        screenshot(page, f"vi-column-menu-{locale}")
        assert_vietnamese(page, "column menu")
        for item in ("Thống kê", "Định dạng"):
            page.get_by_role("menuitem").filter(has_text=item).first.hover()
            page.wait_for_timeout(500)
            assert_vietnamese(page, f"column menu › {item}")
        page.keyboard.press("Escape")

        # The sources page's table and an expander.
        open_view(page, server, "/sources")
        _hover_toolbar(page)
        page.locator("[data-testid=stMain] [data-testid=stExpander] summary").first.click()
        assert_vietnamese(page, "sources")

        # The share dialog's copy button, the dialog's close button, the sidebar buttons.
        page.locator(".st-key-share-open button").first.click()
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        code = dialog.locator("[data-testid=stCode]").first
        code.hover()
        copy = code.locator("button").first
        copy.hover()
        page.wait_for_timeout(400)
        assert copy.get_attribute("aria-label") == "Chép vào bộ nhớ tạm"
        assert_vietnamese(page, "share dialog, copy button")
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")
        page.locator("[data-testid=stSidebar]").hover()
        collapse = page.locator("[data-testid=stSidebarCollapseButton] button")
        assert collapse.get_attribute("aria-label") == "Thu gọn thanh bên"
        collapse.click()
        page.locator("[data-testid=stExpandSidebarButton]").wait_for()
        assert page.locator("[data-testid=stExpandSidebarButton]").get_attribute("aria-label") == "Mở thanh bên"
        assert_vietnamese(page, "sidebar collapsed")
    finally:
        ctx.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_english_pages_keep_streamlit_english(browser, server, locale):
    ctx = new_context(browser, locale)
    try:
        page = ctx.new_page()
        open_view(page, server, "/timeline?lang=en&tab=table")
        assert "No limit" in shown(_month_select(page, "from"))
        options = _open_month_list(page, "to").get_by_role("option").all_inner_texts()
        assert options[0].startswith("No limit") and any(o.startswith("Dec 2025") for o in options)
        page.keyboard.type("qqqzzz")
        page.wait_for_timeout(300)
        assert "No results" in strings(page)
        page.keyboard.press("Escape")
        labels = [b.get_attribute("aria-label") for b in _hover_toolbar(page)]
        assert "Download as CSV" in labels and "Fullscreen" in labels
        _open_column_menu(page)
        assert {"Sort ascending", "Hide column"} <= strings(page)
        page.keyboard.press("Escape")
        assert not any("Không có kết quả" in s or "Sắp xếp" in s for s in strings(page))
    finally:
        ctx.close()


def test_switching_languages_leaves_no_vietnamese_chrome_in_english(browser, server):
    ctx = new_context(browser, "en-US")
    try:
        page = ctx.new_page()
        open_view(page, server, "/timeline?tab=table")
        labels = [b.get_attribute("aria-label") for b in _hover_toolbar(page)]
        assert "Tải về CSV" in labels
        page.locator("[data-testid=stSidebar] [data-testid=stButtonGroup] button").filter(has_text="English").click()
        wait_for_app(page)
        page.wait_for_function("document.documentElement.lang === 'en'")
        page.wait_for_timeout(300)
        labels = [b.get_attribute("aria-label") for b in _hover_toolbar(page)]
        assert "Download as CSV" in labels and "Tải về CSV" not in labels, labels
        assert page.locator("[data-testid=stSidebarCollapseButton] button").get_attribute("aria-label") == (
            "Collapse sidebar")
    finally:
        ctx.close()


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["projector", "phone"])
def test_month_selects_look_right(browser, server, size):
    ctx = new_context(browser, "vi-VN", size)
    try:
        page = ctx.new_page()
        open_view(page, server, "/timeline?from=2025-04-15&to=2025-06-30")
        assert "Tháng 6/2025" in shown(_month_select(page, "to"))
        screenshot(page, f"vi-months-timeline-{size[0]}")
        open_view(page, server, "/training?from=2025-07-01")
        screenshot(page, f"vi-months-training-{size[0]}")
        assert "Tháng 7/2025" in shown(page.locator("[data-testid=stMain] .st-key-training-date_from-vi"))
    finally:
        ctx.close()
