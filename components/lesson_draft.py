"""The lecturer's draft lesson in a browser: its secret key in the tab's session and a cookie, the
'Thêm vào bài giảng của tôi' control every page shows beside the share button, and the edit keys
of saved lessons this browser may change.

The store (core/lesson_store.py) keeps the draft itself; this module only knows which draft and
which saved lessons belong to this browser. Keys never go into the address bar: the session holds
them, and a cookie written once by a self-removing script (like components/live.remember) brings
them back after a reload, in a new tab or on another replica.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import streamlit as st

from components import links, url_session
from core import i18n, lesson_store, share, url_state
from core.i18n import t

log = logging.getLogger("tgbm.lessons")
DRAFT_COOKIE = "tgbm_draft"
EDIT_COOKIE = "tgbm_edit_{id}"
_DRAFT_SESSION = "lesson.draft.key"
_EDIT_SESSION = "lesson.edit.{id}"
_COOKIE_WRITTEN = "lesson.cookie.{name}"
_MESSAGE = "lesson.add.message"  # (kind, text) shown once by the next run after 'lesson-add'
# Link parts that belong to the viewer or the lesson being shown, never to a step's view.
NOT_A_VIEW = ("lang", "present", "room", "host", "lesson", "step", "print", "edit")
NOT_ADDABLE = ("lesson", "live")
EDIT_COOKIE_SECONDS = 365 * 86400
ERROR_REASONS = ("bad-view", "too-many-steps", "title-too-long", "note-too-long", "empty", "conflict",
                 "not-found", "wrong-key", "rate-limited", "bad-order")


def store() -> lesson_store.Store:
    return lesson_store.default_store()


def _valid(key) -> bool:
    return isinstance(key, str) and bool(url_state.HOST_KEY.match(key))


def key() -> str | None:
    """This browser's draft key (session, else cookie) when the store knows its draft, else None."""
    for candidate in (url_session.widget_value(_DRAFT_SESSION), st.context.cookies.get(DRAFT_COOKIE)):
        if _valid(candidate) and store().draft(candidate) is not None:
            url_session.set_widget(_DRAFT_SESSION, candidate)
            return candidate
    return None


def current() -> tuple[str, lesson_store.Draft] | None:
    """(key, draft) of this browser's draft, or None when it has none (or it expired)."""
    found = key()
    draft = store().draft(found) if found else None
    return (found, draft) if draft is not None else None


def ensure() -> str:
    """This browser's draft key, making an empty draft first when there is none."""
    found = key()
    if found:
        return found
    found, _ = store().new_draft()
    url_session.set_widget(_DRAFT_SESSION, found)
    return found


def start_new() -> str:
    """Leave the current draft (it stays in the store until it expires) and start an empty one."""
    found, _ = store().new_draft()
    url_session.set_widget(_DRAFT_SESSION, found)
    return found


def view_params(state: url_state.ViewState, page: str) -> dict[str, str]:
    """The view a step keeps: the page's parameters without the viewer's and the lesson's own."""
    return {k: v for k, v in url_state.to_params(state, page).items() if k not in NOT_A_VIEW}


def addable(state: url_state.ViewState, page: str) -> bool:
    """Whether this view offers 'lesson-add': not /lesson or /live, not presenting, not following a room."""
    return page not in NOT_ADDABLE and not state.present and not (state.room and not state.host)


def add_control(state: url_state.ViewState, page: str, title: str) -> None:
    """The 'lesson-add' button; the result of the last click is shown once, as a toast or a notice."""
    st.button(t("lesson.add.button"), icon=":material/playlist_add:", key="lesson-add",
              on_click=_add, args=(page, view_params(state, page), title))
    message = url_session.widget_value(_MESSAGE)
    if message:
        url_session.set_widget(_MESSAGE, None)
        kind, value = message
        if kind == "ok":
            href = links.href("lesson", {"lang": state.lang} if state.lang != i18n.DEFAULT_LANG else None)
            st.toast(t("lesson.add.done", n=value, href=href), icon=":material/playlist_add_check:")
        else:
            st.info(error_text(value), icon=":material/info:")


def _add(page: str, params: dict[str, str], title: str) -> None:
    """Callback of 'lesson-add': the view becomes the draft's next step (the draft made on first use)."""
    try:
        draft = store().add_step(ensure(), page, params, title)
    except lesson_store.LessonError as error:
        url_session.set_widget(_MESSAGE, ("error", error.reason))
        return
    except Exception:  # a store that cannot be reached: a message, never a traceback
        log.exception("adding a lesson step failed")
        url_session.set_widget(_MESSAGE, ("error", "other"))
        return
    url_session.set_widget(_MESSAGE, ("ok", len(draft.steps)))


def error_text(reason: str) -> str:
    """The message for a store error's reason (limits named with their numbers)."""
    limits = {"too-many-steps": lesson_store.MAX_STEPS, "title-too-long": lesson_store.MAX_TITLE,
              "note-too-long": lesson_store.MAX_NOTE}
    known = f"lesson.error.{reason}"
    return t(known if reason in ERROR_REASONS else "lesson.error.other", max=limits.get(reason, ""))



def remember() -> None:
    """Write the cookies this tab's session holds and the browser lacks (once per session each)."""
    draft_key = url_session.widget_value(_DRAFT_SESSION)
    if _valid(draft_key):
        _cookie(DRAFT_COOKIE, draft_key, lesson_store.DRAFT_DAYS * 86400)


def _cookie(name: str, value: str, max_age: float) -> None:
    if st.context.cookies.get(name) == value or url_session.widget_value(_COOKIE_WRITTEN.format(name=name)) == value:
        return
    url_session.set_widget(_COOKIE_WRITTEN.format(name=name), value)
    # The name is a fixed prefix with a checked lesson id, the value a checked URL-safe key.
    st.html(f"<script>document.cookie = '{name}={value}; path=/; max-age={int(max_age)}; "
            "SameSite=Strict'; document.currentScript && document.currentScript.remove();</script>",
            unsafe_allow_javascript=True)


# Edit keys of saved lessons ---------------------------------------------------------------------

def edit_key(lesson_id: str) -> str | None:
    """The edit key this browser holds for a saved lesson (session, else cookie), when it is right."""
    if not lesson_store.LESSON_ID.match(lesson_id or ""):
        return None
    for candidate in (url_session.widget_value(_EDIT_SESSION.format(id=lesson_id)),
                      st.context.cookies.get(EDIT_COOKIE.format(id=lesson_id))):
        if _valid(candidate) and store().is_editor(lesson_id, candidate):
            url_session.set_widget(_EDIT_SESSION.format(id=lesson_id), candidate)
            return candidate
    return None


def keep_edit_key(lesson_id: str, key_value: str) -> None:
    """Hold a saved lesson's edit key in this tab's session (the cookie follows in the next run)."""
    if lesson_store.LESSON_ID.match(lesson_id) and _valid(key_value):
        url_session.set_widget(_EDIT_SESSION.format(id=lesson_id), key_value)


def claim_edit(lesson_id: str, from_link: str) -> tuple[str | None, bool]:
    """(edit key this browser holds for the lesson, whether the link carried a wrong key).

    A right key from the link moves into the session and a cookie; the address bar drops it with
    the next URL write (`edit` is never written)."""
    wrong = False
    if from_link:
        if lesson_store.LESSON_ID.match(lesson_id) and _valid(from_link) \
                and store().is_editor(lesson_id, from_link):
            keep_edit_key(lesson_id, from_link)
        else:
            wrong = True
    found = edit_key(lesson_id)
    if found:
        remember_edit(lesson_id, found)
    return found, wrong


def remember_edit(lesson_id: str, key_value: str) -> None:
    """Write a saved lesson's edit key into this browser's cookie (once per session)."""
    if lesson_store.LESSON_ID.match(lesson_id) and _valid(key_value):
        _cookie(EDIT_COOKIE.format(id=lesson_id), key_value, EDIT_COOKIE_SECONDS)



def edit_link(origin_url: str | None, lesson_id: str, key_value: str) -> str:
    """The private link that edits a saved lesson from another browser (shown folded, never shared)."""
    public = share.full_url(origin_url, url_state.ViewState(), "lesson").split("?", 1)[0]
    return f"{public}?{urlencode({'lesson': lesson_id, 'edit': key_value})}"
