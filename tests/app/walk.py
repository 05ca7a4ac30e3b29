"""A seeded random walk over the app in AppTest: actions found from the widgets on screen, invariants
checked after every step. Pages come from core/nav.PAGES, so pages added later are walked too."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from core import i18n, nav, paths, url_state

TIMEOUT = 60
TEXTS = ("", "hoa", "Hòa Vang", "hoà vang", "Đà Nẵng", "da nang", "Tam Kỳ", "IOC", "xyz", "<b>x</b>", " merger ")
# What the frame must always show, in both languages (prefixes of the real strings, from the locales).
FOOTER = tuple(i18n.strings(lang)[key].split("{")[0] for lang in i18n.LANGS
               for key in ("frame.footer", "frame.footer_unknown"))
BROKEN = tuple(i18n.strings(lang)["frame.broken"] for lang in i18n.LANGS)
DRAFT_KEY = "lesson.draft.key"  # the session's draft key (components/lesson_draft.py)


def page_of(path: str) -> nav.PageSpec | None:
    """The page a link or switch points at: by URL path ('' is the overview) or file stem."""
    return next((p for p in nav.PAGES if path in (p.url_path, Path(p.file).stem)), None)


@dataclass
class Walk:
    """One session: an AppTest on a page, and the steps taken so far (for the failure message)."""

    rng: random.Random
    page: str = "overview"
    steps: list[str] = field(default_factory=list)
    at: AppTest | None = None
    draft: str = ""  # a lecturer's draft key, as this browser's cookie would bring it (AppTest has no cookies)

    def open(self, page: str, params: dict[str, str]) -> None:
        """A fresh session opening a link (the way a shared link or a reload arrives)."""
        self.at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=TIMEOUT)
        if self.draft:
            self.at.session_state[DRAFT_KEY] = self.draft
        self.at.query_params.update(params)
        self.at.run()
        self.page = "overview"
        self.steps.append(f"open /{nav.BY_KEY[page].url_path}?{_qs(params)}")
        if page != "overview":
            self._switch(page, params)

    def _switch(self, page: str, params: dict[str, str]) -> None:
        self.at.query_params.clear()
        self.at.query_params.update(params)
        self.at.switch_page(nav.BY_KEY[page].file).run()
        self.page = page

    def current_page(self) -> str:
        """The page on screen: the one the last run wrote to the URL (a page may switch to another,
        e.g. an old /lesson link to its step's own page), else the one opened."""
        state = self.at.session_state
        return state["_url.page"] if "_url.page" in state else self.page

    def url(self) -> dict[str, str]:
        """The query parameters the page wrote (what the address bar shows)."""
        return {k: (v[-1] if isinstance(v, list) else v) for k, v in self.at.query_params.items()}

    def actions(self) -> list[tuple[str, callable]]:
        """Every action the widgets on screen offer, each as (description, do)."""
        at, rng, found = self.at, self.rng, []
        for w in at.main.get("multiselect"):
            found.append((f"multiselect {w.key}", lambda w=w: send(
                w, rng.sample(w.options, rng.randint(0, min(3, len(w.options)))))))
        for w in at.main.get("selectbox"):  # includes the period's month selects (from/to)
            if w.options:
                found.append((f"selectbox {w.key}", lambda w=w: send(w, [rng.choice(w.options)])))
        for w in at.main.get("button_group"):
            found.append((f"pills {w.key}", lambda w=w: _click_option(w, rng)))
        for w in at.main.get("text_input"):
            found.append((f"text {w.key}", lambda w=w: w.input(rng.choice(TEXTS))))
        for w in at.main.get("button"):
            if not w.disabled:
                found.append((f"button {w.key}", lambda w=w: w.click()))
        links = [link for link in at.main.get("page_link") if page_of(link.proto.page)]
        for link in links:
            found.append((f"link {link.proto.page}?{link.proto.query_string}", lambda link=link: self._follow(link)))
        for spec in nav.PAGES:
            found.append((f"menu {spec.key}", lambda spec=spec: self._menu(spec.key)))
        lang = at.sidebar.get("button_group")
        if lang:
            found.append(("language", lambda w=lang[0]: _click_option(w, rng)))
        return found

    def _follow(self, link) -> str:
        self._switch(page_of(link.proto.page).key, dict(parse_qsl(link.proto.query_string)))
        return "switched"

    def _menu(self, page: str) -> str:
        """The menu's link: the target page with this view's global filters."""
        state, _ = url_state.from_params(self.url())
        self._switch(page, url_state.link_params(state))
        return "switched"

    def step(self) -> None:
        """One action: a menu link now and then, else one of the page's own controls."""
        actions = self.actions()
        own = [a for a in actions if not a[0].startswith("menu ")]
        name, do = self.rng.choice(own if own and self.rng.random() > 0.15 else actions)
        self.steps.append(name)
        if do() != "switched":
            self.at.run()

    def check(self) -> None:
        """The invariants after every step."""
        at, where = self.at, " → ".join(self.steps)
        assert not at.exception, f"{where}\n{[e.value for e in at.exception]}"
        broken = [w.value for w in at.warning if any(b in w.value for b in BROKEN)]
        assert not broken, f"{where}: the error boundary caught a failure (see the log)"
        menu = [link.label for link in at.sidebar.get("page_link")]
        assert len(menu) == len(nav.PAGES), f"{where}: menu {menu}"
        assert at.sidebar.get("button_group"), f"{where}: no language switch"
        assert any(b.key == "share-open" for b in at.button), f"{where}: no share control"
        assert any(c.value.startswith(FOOTER) for c in at.caption), f"{where}: no footer"
        # Every view the widgets make is a link the parser accepts, and reads back as the same view.
        written = self.url()
        state, ignored = url_state.from_params(written)
        assert not ignored, f"{where}: the page wrote {written}, the parser ignores {ignored}"
        self.page = self.current_page()
        assert url_state.to_params(state, self.page) == written, f"{where}: {written} does not round-trip"

    def check_fresh(self) -> None:
        """The address bar's link, opened in a fresh session, shows the same main content (a link
        with a live `room` opens the room for whoever opens it, so it is left out)."""
        written = self.url()
        if "room" in written:
            return
        state = self.at.session_state
        fresh = Walk(random.Random(0), draft=state[DRAFT_KEY] if DRAFT_KEY in state else "")
        fresh.open(self.page, written)
        where = " → ".join(self.steps)
        assert not fresh.at.exception, f"{where}, reopened: {[e.value for e in fresh.at.exception]}"
        assert main_content(fresh.at) == main_content(self.at), f"{where}: /{self.page}?{_qs(written)} reopened differs"


def main_content(at: AppTest) -> dict[str, list]:
    """What the view in the URL determines in the main area: its headings and metrics, each kind in
    page order. (Text below them may follow a control the URL does not keep, such as the filter box
    of a province's commune list.)"""
    shown = {kind: [el.value for el in at.main.get(kind)] for kind in ("title", "header", "subheader")}
    shown["metric"] = [(el.label, el.value) for el in at.main.get("metric")]
    return shown


def _qs(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


def send(widget, labels: list[str]) -> None:
    """Send an option widget's state the way the browser does: the labels shown on screen.

    (AppTest's own set_value formats values with the widget's format_func on the Python side,
    which hides what happens when a label changes between runs.)
    """
    state = WidgetState(id=widget.id)
    if type(widget).__name__ == "Selectbox":
        state.string_value = labels[0]
    else:
        state.string_array_value.data[:] = labels
    widget.__class__ = type(type(widget).__name__, (type(widget),), {"_widget_state": property(lambda _: state)})


def _click_option(widget, rng: random.Random) -> None:
    """Click one pill or segment: toggles it (a required segmented control stays on)."""
    label = rng.choice(widget.options)
    shown = list(widget.formatted_values)
    if widget._is_single_select:
        send(widget, [] if shown == [label] else [label])
    else:
        send(widget, [v for v in shown if v != label] if label in shown else shown + [label])

