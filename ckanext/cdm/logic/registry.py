"""The plugin's actions and auth functions, found in their modules rather
than listed by hand: every public function whose name starts with ``cdm_``,
defined in a module of ``logic/action/`` (an action) or ``logic/auth/`` (its
auth function, in the module of the same name). A new action cannot be
forgotten, and a test checks that each has its auth function."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

PREFIX = "cdm_"


def cdm_functions(package_name: str) -> dict[str, Callable[..., Any]]:
    """``cdm_`` name → function, from every module of the package
    ``package_name`` whose name does not start with ``_``."""
    package = importlib.import_module(package_name)
    found: dict[str, Callable[..., Any]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package_name}.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith(PREFIX) or function.__module__ != module.__name__:
                continue
            if name in found:
                raise ValueError(f"{name} is defined twice in {package_name}")
            found[name] = function
    return found
