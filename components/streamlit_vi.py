"""Streamlit's own English chrome, in Vietnamese on Vietnamese pages.

Streamlit 1.67 cannot be told the language of its built-in strings: the dataframe toolbar and
column menu, "No results" in a select's search, the default placeholders, st.code's copy button,
the sidebar and dialog buttons' labels. ``inject`` puts a small script into the page (once per
browser document) that, while ``<html lang>`` is "vi" (set by frame.LANG_SCRIPT), replaces
exactly those strings, in text and in the title / aria-label / placeholder / data-title
attributes, as they appear. One MutationObserver does it; a string is replaced only when it is
one of the known strings below, whole, after trimming. When the page switches to English the
script puts back every string it replaced and then does nothing.
"""

from __future__ import annotations

import json
import re

# Streamlit's strings as the 1.67 frontend shows them (collected in Chromium: menus, toolbars,
# popovers, tooltips and aria-labels) → natural Vietnamese.
VI: dict[str, str] = {
    # selectbox / multiselect
    "No results": "Không có kết quả",
    "Choose an option": "Chọn một mục",
    "Choose options": "Chọn các mục",
    "Clear all": "Xoá tất cả",
    "Clear value": "Xoá lựa chọn",
    "Selected values": "Các mục đã chọn",
    "Open": "Mở",
    "Dismiss": "Đóng",
    # dataframe toolbar and search
    "Show/hide columns": "Hiện/ẩn cột",
    "Download as CSV": "Tải về CSV",
    "Search": "Tìm kiếm",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    "Type to search": "Gõ để tìm",
    "Previous Result": "Kết quả trước",
    "Next Result": "Kết quả sau",
    "Close Search": "Đóng tìm kiếm",
    "Select all": "Chọn tất cả",
    "(index)": "(chỉ số dòng)",
    "Clear selection": "Bỏ chọn",
    # dataframe column menu
    "Dataframe column menu": "Menu của cột",
    "Copy column name": "Chép tên cột",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Statistics": "Thống kê",
    "Format": "Định dạng",
    "Autosize": "Tự chỉnh độ rộng",
    "Pin column": "Ghim cột",
    "Unpin column": "Bỏ ghim cột",
    "Hide column": "Ẩn cột",
    "Values": "Số giá trị",
    "Empty": "Ô trống",
    "Distinct": "Số giá trị khác nhau",
    "Minimum": "Nhỏ nhất",
    "25th percentile": "Phân vị 25",
    "Median": "Trung vị",
    "75th percentile": "Phân vị 75",
    "Maximum": "Lớn nhất",
    "Average": "Trung bình",
    "Standard deviation": "Độ lệch chuẩn",
    "Sum": "Tổng",
    "Range": "Khoảng",
    "Minimum length": "Độ dài nhỏ nhất",
    "Maximum length": "Độ dài lớn nhất",
    "Average length": "Độ dài trung bình",
    "Based on sample": "Tính trên một mẫu",
    "No data": "Không có dữ liệu",
    "Automatic": "Tự động",
    "Localized": "Theo ngôn ngữ",
    "Distance": "Tương đối",
    "Calendar": "Lịch",
    "Plain": "Số thường",
    "Compact": "Rút gọn",
    "Percent": "Phần trăm",
    "Scientific": "Khoa học",
    "Accounting": "Kế toán",
    "Duration": "Khoảng thời gian",
    # st.code, expander, dialog, sidebar, page frame
    "Copy to clipboard": "Chép vào bộ nhớ tạm",
    "Copied": "Đã chép",
    "Copied!": "Đã chép!",
    "Close": "Đóng",
    "Sidebar": "Thanh bên",
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở thanh bên",
    "Skip to main content": "Chuyển đến nội dung chính",
    "Link to heading": "Liên kết đến tiêu đề này",
    "Main menu": "Menu chính",
    "Print": "In",
    "Record screen": "Quay màn hình",
    "Copy version to clipboard": "Chép số phiên bản",
    "Running...": "Đang chạy…",
    # plotly's chart toolbar (data-title)
    "Zoom": "Phóng to vùng chọn",
    "Pan": "Kéo",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "Autoscale": "Tự động căn tỉ lệ",
    "Reset axes": "Đặt lại trục",
    "Reset view": "Đặt lại khung nhìn",
    "Download plot as a png": "Tải biểu đồ về (PNG)",
}
# Strings with a number or a name in them (screen-reader announcements, the column statistics'
# range, a chosen item's remove button): (pattern, Vietnamese with \1 for the captured part).
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^(\d+) options? available\.$", r"Có \1 lựa chọn."),
    (r"^(\d+) years?$", r"\1 năm"),
    (r"^(\d+) months?$", r"\1 tháng"),
    (r"^(\d+) days?$", r"\1 ngày"),
    (r"^Remove (.+)$", r"Bỏ \1"),
)
ATTRIBUTES = ("title", "aria-label", "placeholder", "data-title")

_SCRIPT = """<script>
(() => {
  if (window.__tgbmVi) return;
  window.__tgbmVi = true;
  const VI = new Map(Object.entries(%(map)s));
  const PATTERNS = %(patterns)s.map(([p, r]) => [new RegExp(p), r]);
  const ATTRS = %(attrs)s;
  const SKIP = 'script, style, textarea, [data-testid=stIconMaterial]';
  const root = document.documentElement;
  const on = () => root.lang === 'vi';
  const vi = (text) => {
    const key = text.trim();
    if (!key || key.length > 60) return null;
    let out = VI.get(key);
    if (out === undefined) {
      const hit = PATTERNS.find(([re]) => re.test(key));
      if (!hit) return null;
      out = key.replace(hit[0], hit[1]);
    }
    return text.replace(key, out);
  };
  const text = (node) => {
    const parent = node.parentElement;
    if (!parent || parent.closest(SKIP)) return;
    const out = vi(node.nodeValue);
    if (out === null) return;
    node.__tgbmEn = node.nodeValue;
    node.__tgbmVi = out;
    node.nodeValue = out;
  };
  const attr = (el, name) => {
    const value = el.getAttribute(name);
    const out = value === null ? null : vi(value);
    if (out === null) return;
    el.setAttribute('data-tgbm-' + name, value);
    el.setAttribute(name, out);
  };
  const element = (el) => {
    ATTRS.forEach((name) => attr(el, name));
    el.querySelectorAll(ATTRS.map((a) => '[' + a + ']').join(',')).forEach((e) => ATTRS.forEach((n) => attr(e, n)));
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) text(n);
  };
  const back = () => {
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.__tgbmEn !== undefined && n.nodeValue === n.__tgbmVi) n.nodeValue = n.__tgbmEn;
      delete n.__tgbmEn;
    }
    ATTRS.forEach((name) => document.querySelectorAll('[data-tgbm-' + name + ']').forEach((el) => {
      if (vi(el.getAttribute('data-tgbm-' + name)) === el.getAttribute(name)) {
        el.setAttribute(name, el.getAttribute('data-tgbm-' + name));
      }
      el.removeAttribute('data-tgbm-' + name);
    }));
  };
  const observer = new MutationObserver((records) => {
    if (records.some((r) => r.target === root && r.attributeName === 'lang')) {
      if (on()) element(document.body); else back();
      return;
    }
    if (!on()) return;
    for (const r of records) {
      if (r.type === 'characterData') text(r.target);
      else if (r.type === 'attributes') attr(r.target, r.attributeName);
      else r.addedNodes.forEach((n) => n.nodeType === 3 ? text(n) : n.nodeType === 1 && element(n));
    }
  });
  observer.observe(root, {attributes: true, attributeFilter: ['lang']});
  observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                   attributes: true, attributeFilter: ATTRS});
  if (on()) element(document.body);
})();
</script>"""


def _build() -> str:
    """The script, with the strings as JSON (no text from a link or the data goes into it)."""
    patterns = [[pattern, re.sub(r"\\(\d)", r"$\1", repl)] for pattern, repl in PATTERNS]
    return _SCRIPT % {"map": json.dumps(VI, ensure_ascii=False), "patterns": json.dumps(patterns),
                      "attrs": json.dumps(list(ATTRIBUTES))}


_CACHED = _build()


def script(lang: str) -> str:
    """The translator for a Vietnamese page (it installs itself once per document and follows later
    language switches by itself); nothing on an English page."""
    return _CACHED if lang == "vi" else ""

