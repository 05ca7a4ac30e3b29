"""Every use of Streamlit's private internals, in one place.

The app relies on a few parts of Streamlit that are not public API: the running script's session
id, the server's session manager and a session's event loop (server push for live rooms), the
ClientState message a rerun is asked with, the page-object class (the error boundary wraps its
run) and the flag of Streamlit's old pages/ folder mode. Each function below names the internals it
uses. When one is missing or fails (a Streamlit upgrade), the function returns its fallback and
logs one warning per internal (logger ``tgbm.compat``), so a quiet downgrade (live push turning back
into polling) shows in the server log. ``RELIED_ON`` lists every name; tests/unit/test_compat.py
checks them against the installed (pinned) Streamlit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("tgbm.compat")

# (module, attribute chain) of every private name used below. An attribute that only instances
# carry (set in the class's __init__, a dataclass field, a protobuf field) is named on its class.
RELIED_ON: tuple[tuple[str, str], ...] = (
    ("streamlit.runtime.scriptrunner_utils.script_run_context", "get_script_run_ctx"),
    ("streamlit.runtime.scriptrunner_utils.script_run_context", "ScriptRunContext.session_id"),
    ("streamlit.runtime", "Runtime.exists"),
    ("streamlit.runtime", "Runtime.instance"),
    ("streamlit.runtime", "Runtime._session_mgr"),
    ("streamlit.runtime.session_manager", "SessionManager.get_active_session_info"),
    ("streamlit.runtime.session_manager", "ActiveSessionInfo.session"),
    ("streamlit.runtime.app_session", "AppSession._event_loop"),
    ("streamlit.runtime.app_session", "AppSession._client_state"),
    ("streamlit.runtime.app_session", "AppSession.request_rerun"),
    ("streamlit.proto.ClientState_pb2", "ClientState.query_string"),
    ("streamlit.proto.ClientState_pb2", "ClientState.page_name"),
    ("streamlit.runtime.pages_manager", "PagesManager.uses_pages_directory"),
    ("streamlit.navigation.page", "StreamlitPage.run"),
    ("streamlit.navigation.page", "StreamlitPage._page"),
)

_warned: set[str] = set()
_warned_lock = threading.Lock()


def _fallback(internal: str, error: BaseException | str, value=None):
    """Log once per internal that it is unavailable, and return the fallback value."""
    with _warned_lock:
        first = internal not in _warned
        _warned.add(internal)
    if first:
        log.warning("Streamlit internal %s is unavailable (%s: %s); using the fallback", internal,
                    type(error).__name__ if isinstance(error, BaseException) else "missing", error)
    return value


def script_session_id() -> str | None:
    """The running script's session id, or None outside a script run.

    Relies on streamlit.runtime.scriptrunner_utils.script_run_context.get_script_run_ctx() and the
    context's ``session_id``."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        return ctx.session_id if ctx else None
    except (ImportError, AttributeError) as error:
        return _fallback("script_run_context.get_script_run_ctx().session_id", error)


def app_session(session_id: str):
    """Streamlit's AppSession for a session id; None when the server runtime is not up (AppTest)
    or the session closed.

    Relies on streamlit.runtime.Runtime.exists()/instance(), the runtime's private
    ``_session_mgr``, its get_active_session_info(session_id) and the info's ``session``."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return None
        info = Runtime.instance()._session_mgr.get_active_session_info(session_id)
        return info.session if info else None
    except Exception as error:  # any change of these internals: the callers fall back to polling
        return _fallback("Runtime.instance()._session_mgr.get_active_session_info().session", error)


def _client_state(query_string: str, page_name: str):
    """A ClientState message, as a browser sends it to open a page with a query string.

    Relies on streamlit.proto.ClientState_pb2.ClientState and its fields ``query_string`` and
    ``page_name``."""
    try:
        from streamlit.proto.ClientState_pb2 import ClientState

        client_state = ClientState()
        client_state.query_string = query_string
        client_state.page_name = page_name
    except (ImportError, AttributeError, TypeError, ValueError) as error:
        return _fallback("ClientState_pb2.ClientState(query_string, page_name)", error)
    return client_state


def _rerun_on_loop(session, client_state) -> bool:
    """Ask a session to run with a client state, on the session's own event loop (thread-safe).

    Relies on AppSession's private ``_event_loop`` and its request_rerun(client_state)."""
    try:
        loop, rerun = session._event_loop, session.request_rerun
    except AttributeError as error:
        return _fallback("AppSession._event_loop / AppSession.request_rerun", error, False)
    try:
        loop.call_soon_threadsafe(rerun, client_state)
    except RuntimeError:  # the loop is closed: the session is going away
        return False
    return True


def request_rerun(session, query_string: str, page_name: str) -> bool:
    """Ask a session to run a page with a query string, as if its browser had opened that link.

    Relies on ClientState (see _client_state) and AppSession's ``_event_loop``/request_rerun."""
    client_state = _client_state(query_string, page_name)
    return client_state is not None and _rerun_on_loop(session, client_state)


def rerun_as_before(session) -> bool:
    """Ask a session to run its current view again, as Streamlit does on a source change.

    Relies on AppSession's private ``_client_state`` (the view the browser last asked for) and
    ``_event_loop``/request_rerun."""
    try:
        client_state = session._client_state
    except AttributeError as error:
        return _fallback("AppSession._client_state", error, False)
    if client_state is None:  # None would run the default page
        return False
    return _rerun_on_loop(session, client_state)


def use_app_navigation() -> None:
    """Runs go through app.py's st.navigation from now on, as st.navigation itself declares.

    Because the page files live in pages/, Streamlit starts a server in its old folder mode: until
    some session opens "/" (app.py), every run of /timeline etc. globs pages/, builds a page
    object per file and runs the page file directly, skipping app.py. That costs about a tenth of
    each run and makes the first visitors' runs differ from later ones. st.navigation ends that
    mode by clearing this flag; a page run directly does the same here.

    Relies on streamlit.runtime.pages_manager.PagesManager.uses_pages_directory (a class
    attribute); without it the folder mode simply stays until some session runs app.py."""
    try:
        from streamlit.runtime.pages_manager import PagesManager

        if not hasattr(PagesManager, "uses_pages_directory"):
            raise AttributeError("PagesManager has no attribute 'uses_pages_directory'")
    except (ImportError, AttributeError) as error:
        _fallback("PagesManager.uses_pages_directory", error)
        return
    PagesManager.uses_pages_directory = False


def wrap_page_run(wrapper: Callable[[Callable[[object], None]], Callable[[object], None]]) -> bool:
    """Replace the run() of every page object with wrapper(original run), once per process.

    Relies on streamlit.navigation.page.StreamlitPage (the class of st.Page objects) and its run
    method, which st.navigation's caller and Streamlit's pages/ folder mode both call. Returns
    whether page runs are wrapped."""
    try:
        from streamlit.navigation.page import StreamlitPage

        original = StreamlitPage.run
    except (ImportError, AttributeError) as error:
        return _fallback("streamlit.navigation.page.StreamlitPage.run", error, False)
    if getattr(original, "wrapped", False):
        return True
    run = wrapper(original)
    run.wrapped = True
    StreamlitPage.run = run
    return True


def page_script(page) -> str:
    """The script path of a page object ('' for a page given as a function, or when unknown).

    Relies on StreamlitPage's private ``_page`` (the path or callable given to st.Page)."""
    try:
        script = page._page
    except AttributeError as error:
        return _fallback("StreamlitPage._page", error, "")
    return "" if script is None or callable(script) else str(script)

