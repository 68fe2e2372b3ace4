"""Text from plans and logs is shown, never obeyed: control characters become visible."""

from __future__ import annotations

import re

# C0/C1 controls (ESC starts terminal escape sequences), line/paragraph separators and bidi
# overrides; tab and newline are handled by the callers that allow them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """``text`` on one line, with every control character written as an escape."""
    return _UNSAFE.sub(lambda m: _NAMES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)
