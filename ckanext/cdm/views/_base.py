"""What the views share: they call actions as the logged-in user, and read
forms the way CKAN's own views do."""

from __future__ import annotations

from typing import Any

from ckan.lib.navl.dictization_functions import DataError, unflatten
from ckan.logic import clean_dict, parse_params, tuplize_dict
from ckan.plugins import toolkit as tk

from ckanext.cdm.logic.validators import LIMIT_MAX


def context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def action(name: str, data: dict[str, Any]) -> Any:
    return tk.get_action(name)(context(), data)


def every(list_action: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """All the results of a paged list action (``limit``/``offset``,
    ``count``/``results``), page after page: no silent cap."""
    results: list[dict[str, Any]] = []
    while True:
        page = action(list_action, {**data, "limit": LIMIT_MAX, "offset": len(results)})
        results += page["results"]
        if not page["results"] or len(results) >= page["count"]:
            return results


def may(auth: str, data: dict[str, Any] | None = None) -> bool:
    """Whether the logged-in user passes the auth function ``auth`` (what a
    page offers; the action checks again when it runs)."""
    from ckanext.cdm import authz

    return authz.passes(auth, context()["user"], data or {})


def form_data() -> dict[str, Any]:
    """The posted form as a nested data dict (``principles__0__code`` becomes
    ``{"principles": [{"code": …}]}``); empty rows dropped, CSRF token removed."""
    try:
        return clean_dict(unflatten(tuplize_dict(parse_params(tk.request.form))))
    except DataError:
        tk.abort(400, tk._("The form is malformed."))
        raise  # unreachable: abort raises


def upcoming_and_past(list_action: str, endpoint: str, upcoming_limit: int) -> dict[str, Any]:
    """What the pages of sessions and of citizen meetings list: the ones to
    come (at most ``upcoming_limit``), then a page of the past ones with its
    pager (``?page=``). A page number the action refuses is a 400."""
    from ckan.lib.helpers import Page

    from ckanext.cdm import config, forms

    page = max(tk.h.get_page_number(tk.request.args), 1)
    size = config.page_size()
    upcoming = action(list_action, {"upcoming": True, "limit": upcoming_limit})
    try:
        past = action(list_action, {"upcoming": False, "limit": size, "offset": (page - 1) * size})
    except tk.ValidationError as error:
        tk.abort(400, forms.error_summary(error.error_dict))

    def url(page: int = 1, **_: Any) -> str:
        return tk.h.url_for(endpoint, page=page)

    pager = Page(
        collection=past["results"],
        page=page,
        item_count=past["count"],
        items_per_page=size,
        presliced_list=True,
        url=url,
    )
    return {"upcoming": upcoming, "past": past, "page": pager}


def for_this_reader() -> None:
    """A download whose content depends on its reader (a draft, the
    committee's figures) is ``Cache-Control: private`` for a signed-in
    reader, by cookie or by API token: CKAN marks ``public`` every response
    that rendered no template, and ``Vary: Cookie`` does not separate
    API-token requests, so a shared cache could hand it to anyone."""
    if tk.current_user.is_authenticated:
        tk.request.environ["__no_cache__"] = True
