"""'Bài giảng của tôi': the lecturer's draft on /lesson: its title, each step's title and teaching
note, order (up/down) and removal, 'Lưu'; after saving, the lesson's public link with its QR code,
the private edit link (folded), teaching it live, its YAML and its handout.

Every change goes to the store at once (store.update_draft) with the version this editor showed, so
a change made meanwhile in another tab is never overwritten: the editor reloads the draft and says
so. The widgets hold what the draft holds: whenever the stored draft's version differs from the
one on screen, their values are set from the store before they are drawn (widgets.py rule 5: only
url_session.set_widget sets them).
"""

from __future__ import annotations

import logging

import streamlit as st

from components import frame, lesson_draft, links, url_session, widgets
from components import lesson as lesson_ui
from components import origin as public_origin
from core import lesson_store, schemas, share, url_state
from core.i18n import t

log = logging.getLogger("tgbm.lessons")
_SHOWN = "lesson.editor.shown"  # (draft key, version) the widgets show
_MESSAGE = "lesson.editor.message"  # (kind, reason or text parameters) for the next run
TITLE = "lesson-title"
STEP_TITLE = "lesson.step.title.{uid}"
STEP_NOTE = "lesson.step.note.{uid}"


def _store() -> lesson_store.Store:
    return lesson_store.default_store()


def _load(key: str, draft: lesson_store.Draft) -> None:
    """Put the stored draft into the widgets (before they are drawn, or from a callback)."""
    url_session.set_widget(TITLE, draft.title)
    for step in draft.steps:
        url_session.set_widget(STEP_TITLE.format(uid=step.uid), step.title)
        url_session.set_widget(STEP_NOTE.format(uid=step.uid), step.note)
    url_session.set_widget(_SHOWN, (key, draft.version))


def _say(kind: str, value="") -> None:
    url_session.set_widget(_MESSAGE, (kind, value))


def _shown_version(key: str) -> int:
    shown = url_session.widget_value(_SHOWN)
    return shown[1] if isinstance(shown, (list, tuple)) and len(shown) == 2 and shown[0] == key else -1


def _change(key: str, **change) -> None:
    """One change of the draft at the version on screen; a conflict or a limit reloads the draft."""
    try:
        draft = _store().update_draft(key, _shown_version(key), **change)
    except lesson_store.LessonError as error:
        _say("conflict" if error.reason == "conflict" else "error", error.reason)
        draft = _store().draft(key)
    except Exception:
        log.exception("changing a lesson draft failed")
        _say("error", "other")
        draft = _store().draft(key)
    if draft is not None:
        _load(key, draft)


def _steps_now(key: str) -> tuple[lesson_store.Step, ...]:
    draft = _store().draft(key)
    return draft.steps if draft else ()


def _at_limit(title: str, note: str = "") -> None:
    """Streamlit cuts a field at its max_chars (also what a client sends past the browser's limit):
    say where, so a cut text is never a surprise."""
    if len(title) >= lesson_store.MAX_TITLE:
        _say("limit", "title")
    elif len(note) >= lesson_store.MAX_NOTE:
        _say("limit", "note")


def _title_changed(key: str) -> None:
    title = url_session.widget_value(TITLE) or ""
    _change(key, title=title)
    _at_limit(title)


def _step_changed(key: str, uid: str) -> None:
    title = url_session.widget_value(STEP_TITLE.format(uid=uid)) or ""
    note = url_session.widget_value(STEP_NOTE.format(uid=uid)) or ""
    _change(key, steps=lesson_store.changed(_steps_now(key), uid, title=title, note=note))
    _at_limit(title, note)


def _move(key: str, uid: str, delta: int) -> None:
    _change(key, steps=lesson_store.moved(_steps_now(key), uid, delta))


def _remove(key: str, uid: str) -> None:
    _change(key, steps=lesson_store.without(_steps_now(key), uid))


def _save(key: str, as_new: bool) -> None:
    try:
        saved, edit_key = _store().save(key, as_new=as_new)
    except lesson_store.LessonError as error:
        _say("save-conflict" if error.reason == "conflict" else "error", error.reason)
        return
    except Exception:
        log.exception("saving a lesson failed")
        _say("error", "other")
        return
    if edit_key:
        lesson_draft.keep_edit_key(saved.id, edit_key)
    _say("saved", (saved.id, saved.version))


def _delete(lesson_id: str, edit_key: str) -> None:
    """Delete a saved lesson (its edit key holder only); the draft stays and can be saved as new."""
    try:
        _store().delete(lesson_id, edit_key)
    except lesson_store.LessonError as error:
        _say("error", error.reason)
        return
    except Exception:
        log.exception("deleting a lesson failed")
        _say("error", "other")
        return
    _say("deleted", lesson_id)


def _new_draft() -> None:
    key = lesson_draft.start_new()
    draft = _store().draft(key)
    if draft is not None:
        _load(key, draft)


def _messages() -> None:
    message = url_session.widget_value(_MESSAGE)
    if not message:
        return
    url_session.set_widget(_MESSAGE, None)
    kind, value = message
    if kind == "saved":
        st.success(t("lesson.editor.saved", id=value[0], version=value[1]), icon=":material/check_circle:")
    elif kind == "conflict":
        st.warning(t("lesson.editor.conflict"), icon=":material/sync_problem:")
    elif kind == "limit":
        limit = lesson_store.MAX_TITLE if value == "title" else lesson_store.MAX_NOTE
        st.info(t(f"lesson.editor.limit_{'title' if value == 'title' else 'note'}", max=limit),
                icon=":material/short_text:")
    elif kind == "deleted":
        st.success(t("lesson.editor.deleted", id=value), icon=":material/delete_forever:")
    elif kind == "save-conflict":
        st.warning(t("lesson.editor.save_conflict"), icon=":material/sync_problem:")
    else:
        st.info(lesson_draft.error_text(value), icon=":material/info:")


def show(state: url_state.ViewState) -> None:
    """The draft editor, or a short how-to when this browser has no draft."""
    found = lesson_draft.current()
    _messages()
    if found is None:
        st.write(t("lesson.mine.howto"))
        return
    key, draft = found
    # The widgets show the stored draft: Streamlit drops a widget's value on a page without it, and
    # the draft may have changed elsewhere (another tab, 'lesson-add' on another page). What was
    # typed here is already stored: every field saves on change, before this run.
    _load(key, draft)
    with st.container(key="lesson-editor"):
        if draft.lesson_id:
            st.caption(t("lesson.mine.editing", id=draft.lesson_id))
        st.text_input(t("lesson.editor.title"), key=TITLE, max_chars=lesson_store.MAX_TITLE,
                      placeholder=t("lesson.editor.untitled"), on_change=_title_changed, args=(key,))
        if not draft.steps:
            st.info(t("lesson.mine.empty"), icon=":material/info:")
        invalid = {n for n, s in enumerate(draft.steps, start=1) if not lesson_store.view_ok(s.page, s.params)}
        for number, step in enumerate(draft.steps, start=1):
            _step(key, draft, number, step, state, number in invalid)
        with st.container(horizontal=True, gap="small"):
            st.button(t("lesson.editor.save"), key="lesson-save", icon=":material/save:", type="primary",
                      on_click=_save, args=(key, False), disabled=not draft.steps)
            if draft.lesson_id:
                st.button(t("lesson.editor.save_new"), key="lesson-save-new", icon=":material/library_add:",
                          on_click=_save, args=(key, True), disabled=not draft.steps)
            st.button(t("lesson.editor.new"), key="lesson-new", icon=":material/note_add:", on_click=_new_draft)
    if draft.lesson_id:
        saved = _store().lesson(draft.lesson_id)
        if saved is not None:
            saved_panel(saved, state)


def _step(key: str, draft: lesson_store.Draft, number: int, step: lesson_store.Step,
          state: url_state.ViewState, invalid: bool) -> None:
    """One step: its view (a link), title, note, up/down and remove."""
    with st.container(border=True, key=f"lesson-step-{step.uid}"):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.markdown(f"**{t('lesson.counter', n=number, total=len(draft.steps))}**", width="content")
            view = t("lesson.editor.step_view", page=t(f"nav.{step.page}") if step.page in schemas.LESSON_PAGES
                     else widgets.escape_md(step.page))
            st.caption(view, width="content")
            if step.page in schemas.LESSON_PAGES and not invalid:
                lang = {"lang": state.lang} if state.lang != url_state.DEFAULT.lang else {}
                links.page_link(step.page, t("lesson.editor.open_step"), {**step.params, **lang},
                                icon=":material/open_in_new:")
        if invalid:
            st.caption(f":material/link_off: {t('lesson.public.invalid_step')}")
        st.text_input(t("lesson.editor.step_title", n=number), key=STEP_TITLE.format(uid=step.uid),
                      max_chars=lesson_store.MAX_TITLE, on_change=_step_changed, args=(key, step.uid))
        st.text_area(t("lesson.editor.step_note"), key=STEP_NOTE.format(uid=step.uid),
                     max_chars=lesson_store.MAX_NOTE, height=90, on_change=_step_changed, args=(key, step.uid))
        with st.container(horizontal=True, gap="small"):
            st.button(t("lesson.editor.up"), key=f"lesson-up-{step.uid}", icon=":material/arrow_upward:",
                      on_click=_move, args=(key, step.uid, -1), disabled=number == 1)
            st.button(t("lesson.editor.down"), key=f"lesson-down-{step.uid}", icon=":material/arrow_downward:",
                      on_click=_move, args=(key, step.uid, +1), disabled=number == len(draft.steps))
            st.button(t("lesson.editor.remove"), key=f"lesson-remove-{step.uid}", icon=":material/delete:",
                      on_click=_remove, args=(key, step.uid))


def saved_panel(saved: lesson_store.SavedLesson, state: url_state.ViewState) -> None:
    """What a saved lesson offers its author: the public link with its QR code, the private edit
    link (folded; never in a share link, QR code or handout), teaching live, the YAML, the handout."""
    title = lesson_ui.title_of(lesson_store.to_lesson(saved))
    where = public_origin.current()
    public = share.full_url(where.url, url_state.ViewState(lesson=saved.id, lang=state.lang), "lesson")
    with st.container(border=True, key="lesson-saved"):
        st.markdown(f"**{t('lesson.saved.heading')}** · {widgets.escape_md(title)}")
        st.caption(t("lesson.saved.public"))
        frame.share_panel(public, title, where, key="lesson-share")
        lesson_ui.lesson_actions(saved.id, state)
        st.download_button(t("lesson.saved.yaml"), data=lesson_store.export_yaml(saved),
                           file_name=f"{saved.id}.yaml", mime="application/x-yaml", key="lesson-yaml",
                           icon=":material/download:", help=t("lesson.saved.yaml_help"), on_click="ignore")
        edit_key = lesson_draft.edit_key(saved.id)
        if edit_key:
            lesson_draft.remember_edit(saved.id, edit_key)
        if edit_key and not state.present:
            with st.expander(t("lesson.saved.edit"), icon=":material/key:"), st.container(key="lesson-edit-link"):
                st.caption(t("lesson.saved.edit_help"))
                st.code(lesson_draft.edit_link(where.url, saved.id, edit_key), language=None, wrap_lines=True)
            with st.popover(t("lesson.saved.delete"), icon=":material/delete_forever:"):
                st.warning(t("lesson.saved.delete_warning"), icon=":material/warning:")
                st.button(t("lesson.saved.delete_confirm"), key="lesson-delete", type="primary",
                          on_click=_delete, args=(saved.id, edit_key))


def claim(lesson: schemas.Lesson, from_link: str) -> bool:
    """Whether this browser may edit the lesson (a key from the link, the session or a cookie);
    a wrong key from the link gets one notice and the public page."""
    if not lesson_ui.is_lecturers(lesson):
        return False
    found, wrong = lesson_draft.claim_edit(lesson.id, from_link)
    if wrong:
        st.info(t("lesson.public.wrong_key"), icon=":material/key_off:")
    return bool(found)


def edit_button(lesson_id: str, state: url_state.ViewState) -> None:
    """'Sửa': load the saved lesson into this browser's draft and open the editor."""
    if not st.button(t("lesson.public.edit"), key="lesson-edit", icon=":material/edit:"):
        return
    try:
        _store().edit(lesson_draft.ensure(), lesson_id, lesson_draft.edit_key(lesson_id) or "")
    except lesson_store.LessonError as error:
        st.info(lesson_draft.error_text(error.reason), icon=":material/info:")
        return
    links.switch("lesson", {"lang": state.lang} if state.lang != url_state.DEFAULT.lang else {},
                 t("lesson.mine.heading"))
