"""Streamlit's private internals the app relies on (components/compat.py): every name exists at the
installed (pinned) Streamlit, and when one goes missing the fallback says so once in the log."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import logging
import re

import pytest

from components import compat


def _has_attribute(owner, name: str) -> bool:
    """Whether `owner` (a module or class) offers `name`, counting attributes only instances carry:
    dataclass fields, protobuf fields, __slots__ and `self.name = …` in the class's __init__."""
    if hasattr(owner, name):
        return True
    if not inspect.isclass(owner):
        return False
    if dataclasses.is_dataclass(owner) and name in {field.name for field in dataclasses.fields(owner)}:
        return True
    descriptor = getattr(owner, "DESCRIPTOR", None)
    if descriptor is not None and name in getattr(descriptor, "fields_by_name", {}):
        return True
    if any(name in getattr(cls, "__slots__", ()) for cls in owner.__mro__):
        return True
    init = owner.__dict__.get("__init__")
    if init is None:
        return False
    return re.search(rf"\bself\.{re.escape(name)}\s*(:[^=\n]+)?=(?!=)", inspect.getsource(init)) is not None


def _missing(module: str, chain: str) -> str | None:
    """What is missing of one RELIED_ON entry, or None when all of it exists."""
    try:
        found = importlib.import_module(module)
    except ImportError as error:
        return f"module {module}: {error}"
    names = chain.split(".")
    for depth, name in enumerate(names):
        if not _has_attribute(found, name):
            return f"{module}.{'.'.join(names[:depth + 1])}"
        if depth < len(names) - 1:
            found = getattr(found, name)
    return None


@pytest.mark.parametrize(("module", "chain"), compat.RELIED_ON, ids=[f"{m}:{c}" for m, c in compat.RELIED_ON])
def test_every_relied_on_internal_exists_at_the_pinned_streamlit(module, chain):
    assert _missing(module, chain) is None


def test_the_check_fails_for_a_name_that_is_gone():
    assert _missing("streamlit.runtime.app_session", "AppSession._no_such_loop") is not None
    assert _missing("streamlit.runtime", "Runtime._no_such_manager") is not None
    assert _missing("streamlit.proto.ClientState_pb2", "ClientState.no_such_field") is not None
    assert _missing("streamlit.no_such_module", "X") is not None


def test_compat_is_the_only_home_of_streamlit_internals():
    """Every private import of the app's code stands in compat.py."""
    from core import paths

    private = re.compile(r"streamlit\.(runtime|proto|navigation|web)\b|_session_mgr|_event_loop|_client_state"
                         r"|ClientState_pb2|PagesManager|StreamlitPage|get_script_run_ctx")
    files = [paths.ROOT / "app.py", *sorted((paths.ROOT / "pages").glob("*.py")),
             *sorted((paths.ROOT / "components").glob("*.py")), *sorted((paths.ROOT / "core").glob("*.py"))]
    users = [f"{path.relative_to(paths.ROOT)}:{number}"
             for path in files if path.name != "compat.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if private.search(line)]
    assert users == []


@pytest.fixture
def fresh_warnings(monkeypatch, caplog):
    """No internal reported yet; the compat log captured."""
    monkeypatch.setattr(compat, "_warned", set())
    caplog.set_level(logging.WARNING, logger="tgbm.compat")
    return caplog


def _compat_warnings(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "tgbm.compat"]


def test_a_missing_session_context_warns_once_and_falls_back(monkeypatch, fresh_warnings):
    from streamlit.runtime.scriptrunner_utils import script_run_context

    monkeypatch.delattr(script_run_context, "get_script_run_ctx")
    assert compat.script_session_id() is None
    assert compat.script_session_id() is None
    warnings = _compat_warnings(fresh_warnings)
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "get_script_run_ctx" in warnings[0].getMessage()


def test_a_missing_session_manager_warns_once_and_falls_back(monkeypatch, fresh_warnings):
    from streamlit.runtime import Runtime

    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: True))
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: object()))  # no _session_mgr
    assert compat.app_session("s1") is None
    assert compat.app_session("s2") is None
    warnings = _compat_warnings(fresh_warnings)
    assert len(warnings) == 1 and "_session_mgr" in warnings[0].getMessage()


def test_a_session_without_its_loop_or_state_warns_once_per_internal(fresh_warnings):
    class Session:  # an AppSession that lost its private attributes
        def request_rerun(self, client_state):
            raise AssertionError("not reached")

    assert compat.request_rerun(Session(), "topic=merger", "timeline") is False
    assert compat.request_rerun(Session(), "topic=merger", "timeline") is False
    assert compat.rerun_as_before(Session()) is False
    assert compat.rerun_as_before(Session()) is False
    messages = [record.getMessage() for record in _compat_warnings(fresh_warnings)]
    assert len(messages) == 2
    assert "_event_loop" in messages[0] and "_client_state" in messages[1]


def test_a_live_session_is_asked_to_run_on_its_own_loop(fresh_warnings):
    calls = []

    class Loop:
        def call_soon_threadsafe(self, callback, *args):
            calls.append((callback, args))

    class Session:
        _event_loop = Loop()
        _client_state = None

        def request_rerun(self, client_state):
            pass

    session = Session()
    assert compat.request_rerun(session, "topic=merger", "timeline") is True
    (callback, (client_state,)), = calls
    assert callback == session.request_rerun
    assert (client_state.query_string, client_state.page_name) == ("topic=merger", "timeline")
    assert compat.rerun_as_before(session) is False  # no view yet: the default page must not run
    assert _compat_warnings(fresh_warnings) == []


def test_a_missing_pages_flag_warns_once_and_leaves_the_class_alone(monkeypatch, fresh_warnings):
    from streamlit.runtime.pages_manager import PagesManager

    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    compat.use_app_navigation()
    compat.use_app_navigation()
    assert not hasattr(PagesManager, "uses_pages_directory")
    warnings = _compat_warnings(fresh_warnings)
    assert len(warnings) == 1 and "uses_pages_directory" in warnings[0].getMessage()


def test_a_page_object_without_its_script_warns_once(fresh_warnings):
    assert compat.page_script(object()) == ""
    assert compat.page_script(object()) == ""
    assert len(_compat_warnings(fresh_warnings)) == 1
