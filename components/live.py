"""Live class on every page: students follow the room (pushed by live_push, a slow poll as a safety net), the lecturer drives it."""

from __future__ import annotations

import contextvars
import dataclasses
import secrets
import time

import streamlit as st

from components import lesson as lesson_ui
from components import links, live_push, url_session, widgets
from components import origin as public_origin
from core import catalog, live, nav, rooms, share, url_state
from core import lessons as core_lessons
from core.i18n import t

POLL_SECONDS = 1.0  # without server push, a move reaches a follower within this plus one page run
# With server push (live_push) the poll is only a safety net for a push that silently failed (the
# watcher thread stuck on a store read, a lost request): a reconnecting phone runs its page anyway,
# and a missing Streamlit internal turns following back into the 1-s poll. The browser restarts the
# fragment's timer with every full run, so each pushed page restarts it: while the lecturer moves at
# least once a minute the poll never fires, and an idle room costs one fragment run per follower a
# minute.
PUSHED_POLL_SECONDS = 60.0
COUNT_SECONDS = 3.0
_PAGE_RUN = contextvars.ContextVar("live_page_run", default=False)  # set while a page run draws the bar


# The lecturer's host key lives in the tab's session and, for a reload or a new tab of the same
# browser, in a cookie of this site; never in the address bar, so a projected screen never shows it.
HOST_COOKIE = "tgbm_host_{code}"
_HOST_SESSION = "live.host.{code}"
_WRONG_KEY = "live.wrong_key"  # the room whose link carried a wrong key, until the tab shows its view


def claim(state: url_state.ViewState) -> url_state.ViewState:
    """The view with the host key this tab holds for its room (link, session or cookie), else none.

    A key from a link that drives the room is kept in the session (and a cookie) and leaves the
    address bar with the next URL write; a wrong one is dropped with one notice, and the tab then
    simply follows the room like a student."""
    if not state.room:
        return dataclasses.replace(state, host="") if state.host else state
    store = rooms.default_store()
    if state.host:
        if store.is_host(state.room, state.host):
            url_session.set_widget(_HOST_SESSION.format(code=state.room), state.host)
            return state
        url_session.set_widget(_WRONG_KEY, state.room)
    for key in (url_session.widget_value(_HOST_SESSION.format(code=state.room)),
                st.context.cookies.get(HOST_COOKIE.format(code=state.room))):
        if isinstance(key, str) and url_state.HOST_KEY.match(key) and key != state.host \
                and store.is_host(state.room, key):
            url_session.set_widget(_HOST_SESSION.format(code=state.room), key)
            return dataclasses.replace(state, host=key)
    return dataclasses.replace(state, host="")


def remember(code: str, host: str) -> None:
    """Keep the key in this tab's session and a cookie (reload, new tab, another replica).

    The cookie is written once per session and only when the browser does not hold it yet; the
    script removes itself, so the key stays out of the page once it is stored."""
    url_session.set_widget(_HOST_SESSION.format(code=code), host)
    name = HOST_COOKIE.format(code=code)
    if st.context.cookies.get(name) == host or url_session.widget_value(f"live.cookie.{code}") == host:
        return
    url_session.set_widget(f"live.cookie.{code}", host)
    # Both values are checked shapes (room code, URL-safe key), never text from elsewhere.
    if url_state.ROOM_CODE.match(code) and url_state.HOST_KEY.match(host):
        st.html(f"<script>document.cookie = '{name}={host}; path=/; max-age={int(rooms.expiry_seconds())}; "
                "SameSite=Strict'; document.currentScript && document.currentScript.remove();</script>",
                unsafe_allow_javascript=True)


def bar(state: url_state.ViewState, page: str, cat: catalog.Catalog) -> None:
    """The live-class strip of a page: host controls, or following for a student, or nothing."""
    if not state.room or state.host:
        live_push.leave()  # a tab that left the room, or drives it, is not moved by the watcher
    if not state.room:
        return
    store = rooms.default_store()
    if url_session.widget_value(_WRONG_KEY) == state.room:
        st.info(t("live.not_host"), icon=":material/key_off:")
    if state.host:  # claim() checked the key
        remember(state.room, state.host)
        if page != "live":  # the live page has the room panel itself
            _host_bar(store, state, page, lessons_for(state, cat))
        return
    room = store.recent(state.room)
    if room is None or room.status() != "live":
        # No polling for a room that is unknown or over: a flood of made-up codes costs one run each.
        _status_notice(room, state.room)
        live_push.leave()
        return
    if live_push.available():
        token = _PAGE_RUN.set(True)  # the fragment runs as part of this page run, not on its timer
        try:
            _follow_pushed(state.room, page, state)
        finally:
            _PAGE_RUN.reset(token)
    else:
        _follow_polled(state.room, page, state)


def _status_notice(room: rooms.Room | None, code: str) -> None:
    status = room.status() if room else "unknown"
    st.info(t(f"live.status.{status}", code=code), icon=":material/event_busy:")


def lessons_for(state: url_state.ViewState, cat: catalog.Catalog) -> dict:
    """The lessons a room can follow, by id: the curated ones, and the view's lesson when it is a
    lecturer's saved one (/live?lesson=bg-…, or a step of it)."""
    found = dict(cat.by_id("lessons"))
    if state.lesson and state.lesson not in found:
        lesson = core_lessons.resolve(cat["lessons"].records, state.lesson)
        if lesson is not None:
            found[lesson.id] = lesson
    return found


def _switch(page: str, params: dict[str, str]) -> None:
    links.switch(page, params, t("live.open_view"))


def tab_id() -> str:
    """A random id for this browser tab (the session); no personal data."""
    tab = url_session.widget_value("live.tab")
    if not tab:
        tab = secrets.token_urlsafe(12)
        url_session.set_widget("live.tab", tab)
    return tab


def _beat(store: rooms.Store, code: str) -> None:
    last = url_session.widget_value("live.beat") or 0.0
    if time.monotonic() - last >= rooms.BEAT_SECONDS:
        store.heartbeat(code, tab_id())
        url_session.set_widget("live.beat", time.monotonic())


def _set_following(code: str, following: bool) -> None:
    url_session.set_widget(f"live.follow.{code}", following)
    if following:  # rejoining: this run opens the room's view, whatever was sent before
        url_session.set_widget(f"live.seen.{code}", None)
        live_push.leave()


def _follow(code: str, page: str, state: url_state.ViewState, pushed: bool) -> None:
    """Check the room; when the lecturer moved and this tab follows, open the lecturer's view.
    With server push the watcher thread (live_push) moves the tab and writes its heartbeats, and
    this check is only the safety net; without it (AppTest, or a Streamlit whose internals
    changed) this poll is how the tab follows. A poll that finds the move already sent to this tab
    leaves it to the push (one page run per move); a page run off the room's view still moves, as
    its own query may have replaced the pushed one (Streamlit merges queued reruns)."""
    store = rooms.default_store()
    room = store.recent(code)
    if room is None or room.status() != "live":
        _status_notice(room, code)
        live_push.leave()
        return
    following = url_session.widget_value(f"live.follow.{code}") is not False
    if following and url_session.widget_value(f"live.seen.{code}") != room.version \
            and not (pushed and not _PAGE_RUN.get() and live_push.pending(code, room.version)):
        url_session.set_widget(f"live.seen.{code}", room.version)
        if room.page in nav.BY_KEY and not live.on_view(page, state, room):
            _switch(room.page, live.follower_params(room, state))  # the notice below waits for that view
    url_session.set_widget(_WRONG_KEY, None)  # a wrong key's notice was shown once, on the room's view
    seen = url_session.widget_value(f"live.seen.{code}") or 0
    if not (pushed and live_push.follow(code, tab_id(), live.personal_params(state), following, seen)):
        _beat(store, code)
    with st.container(key="live-follow-bar", horizontal=True, vertical_alignment="center"):
        if following:
            st.caption(t("live.following", code=code))
            st.button(t("live.away"), key="live-away", icon=":material/explore:",
                      on_click=_set_following, args=(code, False))
        else:
            st.caption(t("live.away_note", code=code))
            st.button(t("live.rejoin"), key="live-rejoin", icon=":material/groups:", type="primary",
                      on_click=_set_following, args=(code, True))


@st.fragment(run_every=PUSHED_POLL_SECONDS)
def _follow_pushed(code: str, page: str, state: url_state.ViewState) -> None:
    _follow(code, page, state, pushed=True)


@st.fragment(run_every=POLL_SECONDS)
def _follow_polled(code: str, page: str, state: url_state.ViewState) -> None:
    _follow(code, page, state, pushed=False)


@st.fragment(run_every=COUNT_SECONDS)
def follower_count(code: str) -> None:
    """How many tabs follow the room now (from heartbeats of the last 15 s)."""
    count = rooms.default_store().followers(code)
    st.markdown(t("live.count", count=count), help=t("live.count_help"))


def _push(store: rooms.Store, state: url_state.ViewState, view: tuple[str, dict]) -> bool:
    try:
        room = store.push(state.room, state.host, *view)
    except rooms.RoomError as error:
        st.info(t(f"live.error.{error.reason}"), icon=":material/info:")
        return False
    st.caption(t("live.pushed", version=room.version))
    return True


def _host_bar(store: rooms.Store, state: url_state.ViewState, page: str, lessons: dict) -> None:
    """'Gửi cho lớp' on every page; 'Trước'/'Tiếp' in a lesson step."""
    room = store.get(state.room)
    if room is None or room.status() != "live":
        ended_panel(room, state.room)
        return
    with st.container(border=True, key="live-host-bar"):
        st.caption(t("live.host_caption", code=room.code))
        cols = st.columns([2, 1, 1, 2], vertical_alignment="center")
        view = live.view_of(page, state, lessons)
        if cols[0].button(t("live.push"), key="live-push", icon=":material/cast:", type="primary"):
            _push(store, state, view)
        _step_button(cols[1], store, state, lessons, -1, "live-prev", t("live.prev"))
        _step_button(cols[2], store, state, lessons, +1, "live-next", t("live.next"))
        with cols[3]:
            follower_count(room.code)


def _step_button(col, store, state, lessons, delta: int, key: str, label: str) -> None:
    target = live.neighbour(state, lessons, delta)
    if target is None:
        return
    if col.button(label, key=key, icon=":material/arrow_back:" if delta < 0 else ":material/arrow_forward:"):
        lesson = lessons[state.lesson]
        if _push(store, state, live.step_view(lesson, target)):
            _switch(*_host_target(live.lecturer_step(lesson, target), state))


def _host_target(view: tuple[str, dict], state: url_state.ViewState) -> tuple[str, dict]:
    page, params = view
    return page, live.host_params(params, state)


def start_panel(state: url_state.ViewState, lessons: dict) -> url_state.ViewState:
    """Start a room, optionally from a lesson; returns the view with the new room and host key."""
    # Labels worked out in this run's language (widgets.py rule 4).
    names = {"": t("live.no_lesson"), **{key: lesson_ui.title_of(lesson) for key, lesson in lessons.items()}}
    url_session.seed(url_session.lang_key("live.lesson"), state.lesson if state.lesson in lessons else "")
    lesson_id = st.selectbox(
        t("live.lesson"), list(names), key=url_session.lang_key("live.lesson"),
        format_func=widgets.labels(names), placeholder=t("live.no_lesson"))
    # The chosen lesson is part of the view (/live?lesson=…), so the lecturer's link keeps it.
    state = dataclasses.replace(state, lesson=lesson_id if lesson_id in lessons else "")
    if not st.button(t("live.start"), key="live-start", icon=":material/podcasts:", type="primary"):
        return state
    view = live.step_view(lessons[lesson_id], 1) if lesson_id in lessons else ("overview", {})
    try:
        room, host_key = rooms.default_store().create(*view)
    except rooms.RoomError as error:  # a lecturer's step whose view the data no longer has
        st.info(t(f"live.error.{error.reason}"), icon=":material/info:")
        return state
    state = _with_room(state, room.code, host_key, lesson_id or "")
    # The key goes into this tab's session, not the link; a fresh run shows the room's panel.
    url_session.set_widget(_HOST_SESSION.format(code=room.code), host_key)
    _switch("live", live.host_params({"lesson": lesson_id} if lesson_id else {}, state))
    return state


def _with_room(state, code: str, host: str, lesson: str) -> url_state.ViewState:
    return dataclasses.replace(state, room=code, host=host, lesson=lesson)


def _end(code: str, host: str) -> None:
    rooms.default_store().end(code, host)


def ended_panel(room: rooms.Room | None, code: str) -> None:
    """The lecturer's own room is over (ended, expired): say so at the top; a new room is offered below."""
    status = room.status() if room else "unknown"
    with st.container(key="live-ended"):
        st.success(t(f"live.host_status.{status}", code=code), icon=":material/check_circle:")


def host_panel(state: url_state.ViewState, lessons: dict) -> url_state.ViewState:
    """The room for the lecturer: code, QR, student link, followers, first step, end."""
    store = rooms.default_store()
    room = store.get(state.room)
    where = public_origin.current()
    link = live.student_link(where.url, room.code)
    public_origin.notice(where)
    code_col, qr_col = st.columns([1, 1], vertical_alignment="center")
    with code_col:
        st.caption(t("live.code_label"))
        st.markdown(f"<div style='font-size:4rem;font-weight:700;letter-spacing:.3em'>{room.code}</div>",
                    unsafe_allow_html=True)
        st.caption(t("live.link_label"))
        with st.container(key="live-student-link"):
            st.code(link, language=None, wrap_lines=True)
        follower_count(room.code)
        st.caption(t("live.host_help"))
    with qr_col:
        st.image(share.qr_png(link, scale=14), caption=t("live.qr_caption"), width=420)
    _first_step_link(state, lessons)
    if not state.present:  # never on a projected screen
        with st.expander(t("live.resume"), icon=":material/key:"), st.container(key="live-resume"):
            st.caption(t("live.resume_help"))
            st.code(live.resume_link(where.url, room.code, state.host), language=None, wrap_lines=True)
    st.button(t("live.end"), key="live-end", icon=":material/stop_circle:", on_click=_end,
              args=(state.room, state.host))
    return state


def _first_step_link(state: url_state.ViewState, lessons: dict) -> None:
    if state.lesson in lessons:
        links.view_link("lesson", t("live.open_lesson"), state, icon=":material/co_present:",
                          lesson=state.lesson, step="1")
    else:
        links.view_link("overview", t("live.open_app"), state, icon=":material/dashboard:")


def join_panel(state: url_state.ViewState) -> None:
    """Students: type the code from the board."""
    # A code being typed is not a view: the container's key tells the link checks to skip it.
    with st.container(key="session-only-join"), st.form("live.join", border=True):
        code = st.text_input(t("live.join_label"), max_chars=8, key="live.join_code")
        if st.form_submit_button(t("live.join"), icon=":material/login:"):
            if rooms.normalize_code(code):
                _switch("live", {**live.personal_params(state), "room": rooms.normalize_code(code)})
            else:
                st.info(t("live.status.malformed"))
