"""benchmarks.paint_floor's replay: what it records of a run, and that the replay page sends it again."""

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from benchmarks import paint_floor
from core import paths


def markdown_msg(body: str, index: int) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = [0, index]
    msg.delta.new_element.markdown.body = body
    return msg


def test_the_recorder_keeps_the_last_runs_elements_and_page_config_only():
    recorder = paint_floor.Recorder("http://127.0.0.1:1")
    result = paint_floor.sw.RunResult(link="/")
    first, second = markdown_msg("lần chạy bị bỏ", 0), markdown_msg("lần chạy được vẽ", 0)
    config = ForwardMsg()
    config.page_config_changed.layout = 1
    new_session = ForwardMsg()
    new_session.new_session.name = "app"
    for msg in (new_session, first, new_session, config, second):
        recorder._handle(msg, msg.WhichOneof("type"), result)
    assert recorder.recorded == [config.SerializeToString(), second.SerializeToString()]


def test_the_replay_page_draws_exactly_the_recorded_elements(tmp_path, monkeypatch):
    messages = [markdown_msg(f"Dòng {n}", n).SerializeToString() for n in range(3)]
    (tmp_path / "0.bin").write_bytes(paint_floor.pack(messages))
    monkeypatch.setenv("TGBM_REPLAY_DIR", str(tmp_path))
    at = AppTest.from_file(str(paths.ROOT / paint_floor.REPLAY), default_timeout=30)
    at.query_params["replay"] = "0"
    at.run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["Dòng 0", "Dòng 1", "Dòng 2"]


def test_the_replay_page_names_a_missing_record_and_reads_no_other_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TGBM_REPLAY_DIR", str(tmp_path))
    (tmp_path / "x.bin").write_bytes(paint_floor.pack([markdown_msg("không", 0).SerializeToString()]))
    for name in ("7", "x", "../0"):
        at = AppTest.from_file(str(paths.ROOT / paint_floor.REPLAY), default_timeout=30)
        at.query_params["replay"] = name
        at.run()
        assert [e.value for e in at.error] == ["No such record."]
        assert not at.markdown
