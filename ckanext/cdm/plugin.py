"""The ``cdm`` plugin: wires ckanext-cdm into CKAN.

Everything is registered through CKAN's blankets, so the public functions of
``logic/action.py``, ``logic/auth.py``, ``logic/validators.py``, ``helpers.py``,
``views.py`` and ``cli.py`` are the plugin's API; options are declared in
``config_declaration.yaml``.
"""

from __future__ import annotations

from ckan import plugins as p
from ckan import types
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckan.plugins import toolkit as tk

from ckanext.cdm import activities, csrf


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
class CdmPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ISignal)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "cdm")
        activities.register_activity_types()

    # IMiddleware

    def make_middleware(self, app: types.CKANApp, config: CKANConfig) -> types.CKANApp:
        """CSRF checks that CKAN's exemptions cannot switch off (csrf.py)."""
        return csrf.install(app)

    # ISignal

    def get_signal_subscriptions(self) -> types.SignalMapping:
        return activities.get_signal_subscriptions()
