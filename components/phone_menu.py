"""The sidebar menu on a phone: it closes after a menu tap or a language switch.

On a narrow screen Streamlit draws the sidebar over the page, and an st.page_link in it (unlike
Streamlit's own page list) leaves it open after the tap, covering most of the new page. A small
script, installed once per browser document, watches taps on the sidebar's links and on the
language switch and, at Streamlit's mobile width, clicks the sidebar's own collapse button once the
app has taken the tap. On a wider screen the sidebar keeps whatever state the reader gave it.
"""

from __future__ import annotations

# Streamlit's "md" breakpoint: at this width and below the sidebar overlays the page.
NARROW_PX = 768

SCRIPT = """<script>(() => {
  if (window.__tgbmPhoneMenu) return;
  window.__tgbmPhoneMenu = true;
  const TAPS = 'a[data-testid="stPageLink-NavLink"], a[data-testid="stSidebarNavLink"], '
             + '.st-key-frame-lang button';
  document.addEventListener('click', (event) => {
    if (window.innerWidth > NARROW_PX || !(event.target instanceof Element)) return;
    if (!event.target.closest('[data-testid="stSidebar"]') || !event.target.closest(TAPS)) return;
    // After the app has handled the tap (page switch or language rerun), close the menu.
    setTimeout(() => {
      const sidebar = document.querySelector('[data-testid="stSidebar"]');
      if (!sidebar || sidebar.getAttribute('data-collapsed') === 'true') return;
      const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 0);
  }, true);
})();</script>""".replace("NARROW_PX", str(NARROW_PX))

