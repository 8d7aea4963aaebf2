"""Auth functions of ckanext-cdm, one per action, in the module named as the
action's: every public ``cdm_`` function of these modules is the auth
function of the action of the same name (``logic/registry.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckanext.cdm.logic import registry


def registered() -> dict[str, Callable[..., Any]]:
    """The plugin's auth functions by name (``IAuthFunctions.get_auth_functions``)."""
    return registry.cdm_functions(__name__)
