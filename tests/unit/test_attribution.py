"""The live benchmark's CPU attribution sorts py-spy samples into Streamlit's work and the app's."""

from __future__ import annotations

import sys

from benchmarks import attribution

FILES = attribution.app_files()

RUNNER = "Thread.run (threading.py:982);ScriptRunner._run_script (streamlit/runtime/scriptrunner/script_runner.py:961)"
PAGE = RUNNER + ";<module> (app.py:12);_run_page (frame.py:237);<module> (merger.py:25)"


def test_samples_are_sorted_by_the_innermost_app_frame():
    raw = [
        # the event loop sending a message: no app frame at all
        "BaseEventLoop._run_once (asyncio/base_events.py:1922);Handle._run (asyncio/events.py:80) 7\n",
        # the app called st.markdown, which is still running
        PAGE + ";unit_view (merger.py:241);MarkdownMixin.markdown (streamlit/elements/markdown.py:110) 5\n",
        # the app's own pandas work, even below a Streamlit frame further up the stack
        PAGE + ";unit_view (merger.py:241);DataFrame.set_index (pandas/core/frame.py:6120) 3\n",
        PAGE + ";unit_view (merger.py:242) 1\n",
        "not a sample line\n",
    ]
    result = attribution.classify(raw, FILES)
    assert result["samples"] == 16
    assert result["share"] == {"streamlit_runtime": round(7 / 16, 3), "streamlit_elements": round(5 / 16, 3),
                               "app_own": round(4 / 16, 3)}
    assert result["app_own_top"] == [["unit_view (merger.py)", round(4 / 16, 3)]]


def test_an_app_callback_inside_a_streamlit_command_is_the_apps_work():
    # A format_func the app passed to a widget: Streamlit's frame above, the app's frame innermost.
    raw = [PAGE + ";SelectboxMixin.selectbox (streamlit/elements/widgets/selectbox.py:356);"
           "labels.<locals>.format (widgets.py:30) 2\n"]
    assert attribution.classify(raw, FILES)["share"]["app_own"] == 1.0


def test_no_app_file_shares_a_name_with_a_standard_library_module():
    # py-spy names frames by the file's path relative to sys.path: a page or component called like a
    # standard-library module (copy.py, threading.py) would take that module's samples as the app's.
    clash = {name for name in FILES if name.endswith(".py") and "/" not in name
             and name.removesuffix(".py") in sys.stdlib_module_names}
    assert not clash
    assert {"app.py", "frame.py", "merger.py"} <= FILES


def test_an_empty_recording_has_no_shares():
    assert attribution.classify([], FILES) == {"samples": 0, "share": dict.fromkeys(attribution.SHARES, 0.0),
                                               "app_own_top": []}
    assert "not recorded" in attribution.describe(None)
