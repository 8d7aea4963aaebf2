"""What the views share: they call actions as the logged-in user, and read
forms the way CKAN's own views do."""

from __future__ import annotations

from typing import Any

from ckan.lib.navl.dictization_functions import DataError, unflatten
from ckan.logic import clean_dict, parse_params, tuplize_dict
from ckan.plugins import toolkit as tk


def context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def action(name: str, data: dict[str, Any]) -> Any:
    return tk.get_action(name)(context(), data)


def form_data() -> dict[str, Any]:
    """The posted form as a nested data dict (``principles__0__code`` becomes
    ``{"principles": [{"code": …}]}``); empty rows dropped, CSRF token removed."""
    try:
        return clean_dict(unflatten(tuplize_dict(parse_params(tk.request.form))))
    except DataError:
        tk.abort(400, tk._("The form is malformed."))
        raise  # unreachable: abort raises


def for_this_reader() -> None:
    """A download whose content depends on its reader (a draft, the
    committee's figures) is ``Cache-Control: private`` for a signed-in
    reader, by cookie or by API token: CKAN marks ``public`` every response
    that rendered no template, and ``Vary: Cookie`` does not separate
    API-token requests, so a shared cache could hand it to anyone."""
    if tk.current_user.is_authenticated:
        tk.request.environ["__no_cache__"] = True
