"""CKAN's registries of actions and auth functions, built before the first
request rather than by it.

CKAN fills them lazily, on the first ``get_action`` or ``check_access`` of a
process, one entry at a time: a thread that asks while another is filling
them finds a registry that is no longer empty but still lacks the action
("Action function not found", "Authorization function not found": a 500).
gunicorn's threaded workers (``make demo``, production) serve their first
requests side by side, so each worker builds them once, while the app is
made (``IMiddleware.make_middleware``, after CKAN cleared them in
``load_environment``).
"""

from __future__ import annotations

from ckan import authz, logic


def build() -> None:
    logic.get_action("package_show")
    authz.auth_functions_list()
