"""The registered pages: file, stable URL path, title key and icon (no Streamlit import)."""

import contextvars
from typing import NamedTuple


class PageSpec(NamedTuple):
    key: str
    file: str
    url_path: str
    icon: str


PAGES = (
    PageSpec("overview", "pages/overview.py", "", ":material/dashboard:"),
    PageSpec("timeline", "pages/timeline.py", "timeline", ":material/timeline:"),
    PageSpec("merger", "pages/merger.py", "merger", ":material/merge:"),
    PageSpec("training", "pages/training.py", "training", ":material/school:"),
    PageSpec("smart-city", "pages/smart-city.py", "smart-city", ":material/monitoring:"),
    PageSpec("country", "pages/country.py", "country", ":material/public:"),
    PageSpec("sources", "pages/sources.py", "sources", ":material/menu_book:"),
    PageSpec("lesson", "pages/lesson.py", "lesson", ":material/co_present:"),
    PageSpec("live", "pages/live.py", "live", ":material/podcasts:"),
)
BY_KEY = {page.key: page for page in PAGES}


def href(key: str) -> str:
    """The URL path of a page, '/' for the overview."""
    return "/" + BY_KEY[key].url_path


# The page objects app.py's navigation made for this run, by file. Links built from them skip
# Streamlit's resolving of a file path on disk (several system calls per link, and a page draws
# nine to twenty links per run). Empty when a page runs without app.py (AppTest, or right after a
# restart): then links take the file.
_objects: contextvars.ContextVar[dict | None] = contextvars.ContextVar("page_objects", default=None)


def use_objects(objects: dict) -> None:
    """Register this run's page objects (file -> st.Page)."""
    _objects.set(objects)


def target(file: str):
    """What st.page_link gets for a page file: this run's page object, else the file."""
    return (_objects.get() or {}).get(file, file)
