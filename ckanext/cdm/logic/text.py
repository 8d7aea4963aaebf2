"""What a text from outside must be before it goes anywhere near a query.

Shared by the validators (``logic/validators.py``), the auth functions (which
run before validation) and the views (which pass URL parts to CKAN's own
actions).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ckan.plugins import toolkit as tk

ID_MAX = 100  # ids are uuids; CKAN names are at most 100 characters
# How deep a JSON text may nest arrays and objects. The deepest the API reads
# is a self-assessment (4 levels); Python's parser fails on ~1,000 levels with
# a RecursionError, and CKAN's validation on far fewer.
JSON_DEPTH_MAX = 32
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def nests_too_deep(data: bytes | str, limit: int = JSON_DEPTH_MAX) -> bool:
    """Whether the arrays and objects of the JSON text ``data`` nest deeper
    than ``limit``, told without parsing it (brackets inside strings do not
    count); a text with fewer brackets than ``limit`` is not even scanned."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for token in _JSON_TOKEN.finditer(raw):
        bracket = token.group()
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif bracket in (b"]", b"}"):
            depth = max(depth - 1, 0)
    return False


def json_text(text: str) -> Any:
    """The value of the JSON text ``text``; ``ValueError`` when it is no JSON
    or nests deeper than ``JSON_DEPTH_MAX``."""
    if nests_too_deep(text):
        raise ValueError("nested too deep")
    return json.loads(text)


def checked_text(value: Any, max_length: int) -> str:
    """``value`` if it is a ``str`` of at most ``max_length`` characters that
    PostgreSQL can store (no NUL character, no lone surrogate), else ``Invalid``."""
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Expected a text."))
    if len(value) > max_length:
        raise tk.Invalid(tk._("At most {max} characters.").format(max=max_length))
    if "\x00" in value:
        raise tk.Invalid(tk._("A text cannot contain a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise tk.Invalid(tk._("A text must be valid Unicode.")) from None
    return value


def usable_id(value: Any) -> str | None:
    """``value`` if it can be an id or a name, else None: junk is no id."""
    try:
        return checked_text(value, ID_MAX) or None
    except tk.Invalid:
        return None
