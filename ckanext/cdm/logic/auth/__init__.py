"""Auth functions of ckanext-cdm, one per action, in the module named as the
action's: every public ``cdm_`` function of these modules is the auth
function of the action of the same name (``logic/registry.py``).

CKAN's ``is_authorized`` means to refuse anonymous callers of an auth
function without ``auth_allow_anonymous_access`` before it runs, but the
action API of CKAN 2.12 puts the anonymous ``current_user`` in
``auth_user_obj``, which passes that test: an auth function that lets an
unknown id through (for its action to answer 404) let an anonymous caller
learn from the action's validation. :func:`registered` gives CKAN each such
function behind :func:`signed_in_only`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ckan.plugins import toolkit as tk

from ckanext.cdm.logic import registry


def signed_in_only(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, refusing anonymous callers before it runs."""

    @functools.wraps(function)
    def auth(context: Any, data_dict: Any) -> Any:
        if not context.get("user"):
            return {"success": False, "msg": tk._("Log in to do this.")}
        return function(context, data_dict)

    return auth


def registered() -> dict[str, Callable[..., Any]]:
    """The plugin's auth functions by name (``IAuthFunctions.get_auth_functions``)."""
    return {
        name: function
        if getattr(function, "auth_allow_anonymous_access", False)
        else signed_in_only(function)
        for name, function in registry.cdm_functions(__name__).items()
    }
