"""The registered pages: file, stable URL path, title key and icon (no Streamlit import)."""

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
