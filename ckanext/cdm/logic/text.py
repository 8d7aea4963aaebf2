"""What a text from outside must be before it goes anywhere near a query.

Shared by the validators (``logic/validators.py``), the auth functions (which
run before validation) and the views (which pass URL parts to CKAN's own
actions).
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk

ID_MAX = 100  # ids are uuids; CKAN names are at most 100 characters


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
