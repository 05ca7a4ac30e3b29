"""A seeded click-walk in Chromium over every page at projector and phone size.

The real frontend sends widget state as the labels it shows, which AppTest does not; so this walk
clicks what a user can click (pills, segments, buttons, selectbox and multiselect options, the
period's month selects, text boxes, in-app links, the menu and the language switch) and after every
step checks: no error box, the frame (menu, share control, footer) is there, and the address-bar URL
reopened in a fresh session shows the same main content. Set BROWSER_WALK_STEPS to walk longer (default 5 per page).
"""

from __future__ import annotations

import hashlib
import os
import random
from urllib.parse import parse_qs, urlsplit

import pytest

from core import i18n, nav
from tests.browser.conftest import (
    SIZES,
    await_request,
    new_context,
    open_view,
    request_mark,
    screenshot,
    wait_for_app,
)

SEED = int(os.environ.get("WALK_SEED", "20250701"))
STEPS = int(os.environ.get("BROWSER_WALK_STEPS", "5"))
TEXTS = ("hoa", "Hòa Vang", "da nang", "IOC", "xyz", "")
FOOTER = tuple(i18n.strings(lang)[key].split("{")[0] for lang in i18n.LANGS
               for key in ("frame.footer", "frame.footer_unknown"))
BROKEN = tuple(i18n.strings(lang)["frame.broken"][:30] for lang in i18n.LANGS)
pytestmark = pytest.mark.slow

# The text a view shows, without what a reload rightly resets (open expanders and popovers, toasts,
# chart and table canvases, containers keyed 'session-only-…' such as the citation picker).
MAIN_TEXT = """() => {
  const main = document.querySelector('[data-testid=stMain]').cloneNode(true);
  main.querySelectorAll('[data-testid=stExpanderDetails], [data-testid=stPopover], [data-testid=stToast],'
    + ' [data-testid=stPlotlyChart], [data-testid=stDataFrame], [data-testid=stElementToolbar],'
    + ' [data-testid=InputInstructions], [class*=st-key-session-only], script, style')
    .forEach(el => el.remove());
  const h1 = main.querySelector('h1');
  const values = [...document.querySelectorAll('[data-testid=stMain] input')]
    .filter(i => !i.closest('[class*=st-key-session-only]')).map(i => i.value);
  return [h1 ? h1.textContent.trim() : '', main.textContent.replace(/\\s+/g, ' ').trim(), values.join('|')];
}"""

CONTROLS = {
    "button": "[data-testid=stMain] [data-testid=stButton] button:enabled, "
              "[data-testid=stMain] [data-testid=stButtonGroup] button:enabled, "
              "[data-testid=stSidebar] [data-testid=stButtonGroup] button:enabled",
    "link": "[data-testid=stMain] [data-testid=stPageLink] a, [data-testid=stSidebar] [data-testid=stPageLink] a",
    "selectbox": "[data-testid=stMain] [data-testid=stSelectbox]",
    "multiselect": "[data-testid=stMain] [data-testid=stMultiSelect]",
    "text": "[data-testid=stMain] [data-testid=stTextInput] input",
    # The period filter's month selects (from/to), picked on their own as often as any other kind.
    "month": "[data-testid=stMain] [class*=st-key-timeline-from], [data-testid=stMain] [class*=st-key-timeline-to-],"
             " [data-testid=stMain] [class*=st-key-training-date_]",
    "sidebar": "[data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapseButton] button",
}
SIDEBAR_KINDS = ("button", "link", "sidebar")


ON_SCREEN = "el => { const r = el.getBoundingClientRect(); return r.right > 0 && r.left < window.innerWidth; }"


def _visible(page, selector: str) -> list:
    """Controls a user can reach: visible and not off-screen to the side (a collapsed sidebar)."""
    return [el for el in page.locator(selector).all() if el.is_visible() and el.evaluate(ON_SCREEN)]


def _choose_option(page, rng: random.Random) -> None:
    """Pick an option from the open list by keyboard, as a user can (works wherever the list opens)."""
    for _ in range(rng.randint(1, 5)):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def _act(page, rng: random.Random) -> str:
    """Do one random visible action; returns its description."""
    # On a phone the open sidebar covers the page: only its own controls can be reached.
    covered = page.viewport_size["width"] < 640 and page.locator(
        "[data-testid=stSidebar][data-collapsed=false]").count() > 0
    kinds = {kind: _visible(page, css) for kind, css in CONTROLS.items()}
    if covered:
        kinds = {kind: [el for el in found if el.evaluate(
            "el => !!el.closest('[data-testid=stSidebar]')")] for kind, found in kinds.items()}
    kinds = {k: v for k, v in kinds.items() if v}
    kind = rng.choice(sorted(kinds))
    target = rng.choice(kinds[kind])
    label = (target.inner_text(timeout=2000) or target.get_attribute("aria-label") or "")[:40].strip()
    if kind in ("selectbox", "multiselect", "month"):
        target.locator("input").first.click()
        _choose_option(page, rng)
    elif kind == "text":
        target.fill(rng.choice(TEXTS))
        target.press("Enter")
    else:
        target.click()
    return f"{kind} {label!r}"


def _main_content(page) -> tuple[str, str, str]:
    return tuple(page.evaluate(MAIN_TEXT))


def _difference(before: tuple, after: tuple) -> str:
    """Where two views' text first differ (digests plus the surrounding text)."""
    digests = [hashlib.sha256(x.encode()).hexdigest()[:12] for x in (before[1], after[1])]
    first = next((i for i, (a, b) in enumerate(zip(before[1], after[1], strict=False)) if a != b),
                 min(len(before[1]), len(after[1])))
    return (f"h1 {before[0]!r}/{after[0]!r}, text {digests[0]}/{digests[1]}: "
            f"…{before[1][max(0, first - 60):first + 80]!r} vs …{after[1][max(0, first - 60):first + 80]!r}; "
            f"inputs {before[2]!r} vs {after[2]!r}")


def _check_frame(page, where: str) -> None:
    assert page.get_by_test_id("stException").count() == 0, f"{where}: error box"
    alerts = " ".join(page.locator("[data-testid=stAlert]").all_inner_texts())
    assert not any(b in alerts for b in BROKEN), f"{where}: the error boundary caught a failure"
    menu = page.locator("[data-testid=stSidebar] [data-testid=stPageLink]")
    assert menu.count() == len(nav.PAGES), f"{where}: menu has {menu.count()} links"
    assert page.locator(".st-key-share-open").count() >= 1, f"{where}: no share control"
    captions = page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").all_inner_texts()
    assert captions and captions[-1].startswith(FOOTER), f"{where}: no footer ({captions[-1:]})"


def _close_dialog(page) -> None:
    """The share dialog covers the page: close it as a user would (Escape) before the next action."""
    dialog = page.get_by_role("dialog")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")
        wait_for_app(page)


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("spec", nav.PAGES, ids=lambda p: p.key)
def test_click_walk(browser, server, spec, size):
    rng = random.Random(f"{SEED}-{spec.key}-{size}")
    ctx, fresh = new_context(browser, size), new_context(browser, size)
    try:
        page = ctx.new_page()
        open_view(page, server, nav.href(spec.key))
        steps = [f"open {nav.href(spec.key)}"]
        for _ in range(STEPS):
            mark = request_mark(page)
            try:
                steps.append(_act(page, rng))
            except Exception as exc:  # name the walk so far, keep a picture of the page
                screenshot(page, f"walk-{spec.key}-{size}-failed")
                raise AssertionError(f"{' → '.join(steps)} → next action failed: {exc}") from exc
            if not steps[-1].startswith("sidebar"):  # every other kind of action normally asks for a run
                await_request(page, mark)
            wait_for_app(page)
            where = " → ".join(steps) + f" [{page.url}]"
            _check_frame(page, where)
            _close_dialog(page)
            before = _main_content(page)
            again = fresh.new_page()
            open_view(again, "", page.url)
            _check_frame(again, where + " (reopened)")
            link = urlsplit(page.url)
            if link.path == nav.href("lesson") and "lesson" not in parse_qs(link.query) and any(
                    c["name"] == "tgbm_draft" for c in ctx.cookies()):
                # "Bài giảng của tôi" is this browser's own draft (README "Making your own lesson"):
                # another browser opening /lesson sees its own, so only the frame is compared.
                again.close()
                continue
            if "room" in parse_qs(link.query):
                # A room link opens the room for whoever opens it: a fresh browser follows the room's
                # current view, and the lecturer's key never travels in a link (README "Live class").
                again.close()
                continue
            after = _main_content(again)
            if after != before:  # keep both pictures and the walking page's last runs for the report
                screenshot(page, f"walk-{spec.key}-{size}-mismatch")
                screenshot(again, f"walk-{spec.key}-{size}-mismatch-reopened")
                tracker = getattr(page, "_run_tracker", None)
                runs = tracker.describe() if tracker is not None else "no run tracker"
                raise AssertionError(f"{where}: the link shows another view: {_difference(before, after)}; "
                                     f"walking page's runs: {runs}")
            again.close()
    finally:
        ctx.close()
        fresh.close()
