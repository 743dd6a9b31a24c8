"""Make text from the data safe to place in Markdown: every ASCII punctuation mark is escaped,
so a CSV cell can never become a link, an image, HTML, a directive or LaTeX."""

from __future__ import annotations

import re
import string
from urllib.parse import urlsplit

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")


def md(value) -> str:
    """Escape a value for ``st.markdown``; newlines become spaces."""
    return _PUNCT.sub(r"\\\1", " ".join(str(value).split()))


def link(url: str) -> str:
    """A Markdown link to a validated http(s) URL, labelled with its host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return md(url)
    safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{md(parts.netloc)}]({safe})"
