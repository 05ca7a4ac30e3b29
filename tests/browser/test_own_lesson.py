"""A lecturer's own lesson in Chromium: three views added from their pages, reordered, annotated,
kept across a reload and saved; its public link on a phone, stepped through with the lesson bar;
a live room started from it with a student following; its handout printed to PDF, whose text
(poppler's pdftotext) and QR codes (zxing) hold every step's title and link, never the edit key."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import IN_CI, new_context, open_view, query, screenshot, wait_for_app
from tests.browser.test_live import MOVE_TIMEOUT, click, on_view, resume_key

pytestmark = pytest.mark.slow

# The views, in the order they are added, each with the subject its page shows (a heading).
VIEWS = [
    ("/timeline?event=nq-1659-ubtvqh15-2025-06-16", "Nghị quyết 1659: Đà Nẵng có 94 đơn vị hành chính cấp xã"),
    ("/merger?unit=20194", "Phường Hải Vân"),
    ("/country?province=48", "Thành phố Đà Nẵng"),
]
ORDER = (0, 2, 1)  # after moving the third step up
NOTES = {0: "Hỏi lớp: vì sao 94 xã, phường?", 2: "So sánh Đà Nẵng với cả nước.\nDòng thứ hai."}
LESSON_TITLE = "Đà Nẵng sau sáp nhập: ba góc nhìn"
STEP_BLOCK = re.compile(r"\bst-key-lesson-step-([a-z0-9]{8})\b")


@dataclass
class Built:
    """What the lecturer built and saved, for the tests that follow it."""

    context: object
    lesson_id: str
    public_link: str
    edit_key: str
    titles: list[str]  # the views' titles, in the order added
    step_links: list[str] = field(default_factory=list)  # absolute, in the saved order


def step_uids(page) -> list[str]:
    """The draft editor's steps, top to bottom (their uids, from the step containers' keys)."""
    blocks = page.locator(".st-key-lesson-editor [data-testid=stVerticalBlock][class*='st-key-lesson-step-']")
    uids = []
    for cls in blocks.evaluate_all("els => els.map(e => e.className)"):
        found = STEP_BLOCK.search(cls)
        if found:
            uids.append(found.group(1))
    return uids


def field_value(page, css: str) -> str:
    return page.locator(css).input_value()


def step_fields(page) -> list[tuple[str, str]]:
    """(title, note) of every step in the editor, top to bottom."""
    return [(field_value(page, f".st-key-lesson-step-title-{uid} input"),
             field_value(page, f".st-key-lesson-step-note-{uid} textarea")) for uid in step_uids(page)]


def subject_shown(page, subject: str) -> None:
    expect(page.get_by_test_id("stMain").locator("h1, h2, h3").filter(has_text=subject).first).to_be_visible(
        timeout=MOVE_TIMEOUT)


def decode_png(data: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{name} (Debian poppler-utils) is required in CI but not installed", pytrace=False)
    pytest.skip(f"{name} not installed (apt-get install poppler-utils)")


@pytest.fixture(scope="module")
def built(server, browser):
    """The lecturer (1366×768) adds three views, edits the draft on /lesson, reloads, saves."""
    ctx = new_context(browser)
    page = ctx.new_page()
    titles = []
    for number, (path, subject) in enumerate(VIEWS, start=1):
        open_view(page, server, path)
        subject_shown(page, subject)
        page.locator(".st-key-lesson-add button").click()
        wait_for_app(page)
        expect(page.get_by_test_id("stToast")).to_contain_text(f"Đã thêm bước {number}")
        # The view's title is what its share dialog names it.
        page.locator(".st-key-share-open button").click()
        wait_for_app(page)
        titles.append(page.locator(".st-key-share-dialog h3").inner_text().strip())
    assert all(titles) and len(set(titles)) == 3, titles

    open_view(page, server, "/lesson")
    assert [title for title, _ in step_fields(page)] == titles
    uids = step_uids(page)
    click(page, f"lesson-up-{uids[2]}")
    assert step_uids(page) == [uids[i] for i in ORDER]
    for index, note in NOTES.items():
        area = page.locator(f".st-key-lesson-step-note-{uids[index]} textarea")
        area.fill(note)
        area.press("Control+Enter")
        wait_for_app(page)
    title = page.locator(".st-key-lesson-title input")
    title.fill(LESSON_TITLE)
    title.press("Enter")
    wait_for_app(page)

    expected = [(titles[i], NOTES.get(i, "")) for i in ORDER]
    page.reload()
    wait_for_app(page)
    assert field_value(page, ".st-key-lesson-title input") == LESSON_TITLE
    assert step_fields(page) == expected
    screenshot(page, "own-lesson-draft-projector")

    click(page, "lesson-save")
    saved = page.locator(".st-key-lesson-saved")
    expect(saved).to_be_visible()
    public_link = saved.locator(".st-key-share-link code").inner_text().strip()
    assert re.fullmatch(re.escape(server) + r"/lesson\?lesson=bg-[a-z2-9]{8}", public_link), public_link
    lesson_id = parse_qs(urlsplit(public_link).query)["lesson"][0]
    edit_link = page.locator(".st-key-lesson-edit-link code").first.text_content().strip()
    assert parse_qs(urlsplit(edit_link).query)["lesson"] == [lesson_id]
    edit_key = parse_qs(urlsplit(edit_link).query)["edit"][0]
    assert len(edit_key) >= 32 and edit_key not in public_link
    # The public link's QR code on the saved panel is the public link, without the edit key.
    qr = saved.locator(".st-key-lesson-share img.share-qr").get_attribute("src")
    assert decode_png(base64.b64decode(qr.split(",", 1)[1])) == [public_link]
    assert "edit" not in query(page) and edit_key not in page.url
    screenshot(page, "own-lesson-saved-projector")
    yield Built(ctx, lesson_id, public_link, edit_key, titles)
    ctx.close()


def test_saved_lesson_keeps_its_edit_key_out_of_the_share_dialog(built, server):
    page = built.context.new_page()
    try:
        # The lecturer (who holds the edit key) shares the lesson's page: link and QR without the key.
        open_view(page, server, f"/lesson?lesson={built.lesson_id}")
        expect(page.locator(".st-key-lesson-edit button")).to_be_visible()
        page.locator(".st-key-share-open button").click()
        wait_for_app(page)
        dialog = page.locator(".st-key-share-dialog")
        link = dialog.locator(".st-key-share-link code").inner_text().strip()
        assert link == built.public_link
        qr = dialog.locator("img.share-qr").get_attribute("src")
        assert decode_png(base64.b64decode(qr.split(",", 1)[1])) == [built.public_link]
        assert built.edit_key not in dialog.inner_text() and built.edit_key not in page.url
    finally:
        page.close()


def test_public_link_on_a_phone_steps_through(built, server, browser):
    ctx = new_context(browser, "phone")  # no cookies: anyone with the link
    try:
        page = ctx.new_page()
        open_view(page, server, built.public_link.removeprefix(server))
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text(LESSON_TITLE)
        expect(page.locator(".st-key-lesson-edit")).to_have_count(0)
        links = []
        for number, index in enumerate(ORDER, start=1):
            link = main.get_by_role("link", name=f"{number}. {built.titles[index]}", exact=True)
            expect(link).to_be_visible()
            links.append(urljoin(server, link.get_attribute("href")))
        built.step_links = links
        assert built.edit_key not in page.content()
        screenshot(page, "own-lesson-public-phone")

        main.get_by_role("link", name=f"1. {built.titles[ORDER[0]]}", exact=True).click()
        for number, index in enumerate(ORDER, start=1):
            path, subject = VIEWS[index]
            page.wait_for_url(re.compile(rf".*[?&]step={number}(&|$)"), timeout=MOVE_TIMEOUT)
            wait_for_app(page)
            assert urlsplit(page.url).path == urlsplit(path).path
            assert query(page)["lesson"] == [built.lesson_id]
            subject_shown(page, subject)
            bar = page.locator(".st-key-lesson-bar")
            expect(bar).to_contain_text(f"Bước {number}/3")
            expect(bar).to_contain_text(built.titles[index])
            expect(page.get_by_test_id("stException")).to_have_count(0)
            if number < 3:
                bar.get_by_role("link", name="Tiếp").click()
        screenshot(page, "own-lesson-step3-phone")
    finally:
        ctx.close()


def test_live_room_from_the_lesson(built, server, browser):
    lecturer = built.context.new_page()
    student_ctx = new_context(browser, "phone")
    try:
        open_view(lecturer, server, f"/live?lesson={built.lesson_id}")
        click(lecturer, "live-start")
        code, host = query(lecturer)["room"][0], resume_key(lecturer)
        assert query(lecturer)["lesson"] == [built.lesson_id]

        student = student_ctx.new_page()
        student.goto(f"{server}/live?room={code}")
        first_path, first_subject = VIEWS[ORDER[0]]
        student.wait_for_url(lambda url: urlsplit(url).path == urlsplit(first_path).path, timeout=MOVE_TIMEOUT)
        wait_for_app(student)
        subject_shown(student, first_subject)

        open_view(lecturer, server, f"/lesson?lesson={built.lesson_id}&step=1&room={code}&host={host}")
        click(lecturer, "live-next")
        assert query(lecturer)["step"] == ["2"]
        second_path, second_subject = VIEWS[ORDER[1]]
        second = parse_qs(urlsplit(second_path).query)
        on_view(student, urlsplit(second_path).path, room=code, lesson=built.lesson_id, step="2",
                **{k: v[0] for k, v in second.items()})
        wait_for_app(student)
        subject_shown(student, second_subject)
        expect(student.locator(".st-key-lesson-bar")).to_contain_text(built.titles[ORDER[1]])
        expect(student.get_by_test_id("stException")).to_have_count(0)
        screenshot(student, "own-lesson-live-student-phone")
    finally:
        lecturer.close()
        student_ctx.close()


def test_handout_pdf_holds_titles_links_and_qr_codes(built, server, tmp_path):
    pdftotext, pdftoppm = need_tool("pdftotext"), need_tool("pdftoppm")
    page = built.context.new_page()  # the lecturer's browser, which holds the edit key
    try:
        open_view(page, server, f"/lesson?lesson={built.lesson_id}")
        page.locator(".st-key-lesson-handout a").click()
        page.wait_for_url(re.compile(r".*[?&]print=1(&|$)"), timeout=MOVE_TIMEOUT)
        wait_for_app(page)
        expect(page.locator("section.tgbm-handout.step")).to_have_count(3)
        page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        pdf = tmp_path / "handout.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
    finally:
        page.close()

    text = nfc(subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout)
    words = " ".join(text.split())
    joined = "".join(text.split())  # a link wraps after '?' or '&' only: no spaces inside it
    assert nfc(LESSON_TITLE) in words
    for number, index in enumerate(ORDER, start=1):
        assert nfc(built.titles[index]) in words, (number, built.titles[index])
    for note in NOTES.values():
        assert " ".join(nfc(note).split()) in words
    links = built.step_links or expected_links(built, server)
    for link in links:
        assert link in joined, (link, joined)
    assert built.edit_key not in joined and "edit=" not in joined

    subprocess.run([pdftoppm, "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = [decode_png(image.read_bytes()) for image in sorted(tmp_path.glob("page*.png"))]
    decoded = [found for codes in pages for found in codes]
    assert decoded == links, decoded
    assert all(len(codes) <= 1 for codes in pages), pages  # each step on a page of its own
    assert not any(built.edit_key in found for found in decoded)


def expected_links(built: Built, server: str) -> list[str]:
    """The step links when the phone test did not run first (e.g. -k handout)."""
    links = []
    for number, index in enumerate(ORDER, start=1):
        path = VIEWS[index][0]
        links.append(f"{server}{path}&lesson={built.lesson_id}&step={number}")
    return links


def test_unknown_lesson_id_shows_a_notice(server, browser):
    ctx = new_context(browser, "phone")
    try:
        page = ctx.new_page()
        open_view(page, server, "/lesson?lesson=bg-zzzzzzzz")
        expect(page.get_by_test_id("stMain")).to_contain_text("bg-zzzzzzzz")
        expect(page.get_by_test_id("stAlertContainer").first).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        ctx.close()
