"""Actions of ckanext-cdm, one module per object: every public ``cdm_``
function of these modules is an action (``logic/registry.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckanext.cdm.logic import registry


def registered() -> dict[str, Callable[..., Any]]:
    """The plugin's actions by name (``IActions.get_actions``)."""
    return registry.cdm_functions(__name__)
