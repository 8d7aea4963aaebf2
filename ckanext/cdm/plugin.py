"""The ``cdm`` plugin: wires ckanext-cdm into CKAN.

Actions and auth functions are found in their modules (every public ``cdm_``
function of ``logic/action/`` and ``logic/auth/``, ``logic/registry.py``);
validators (``logic/validators.py``), helpers (``helpers.py``), blueprints
(``views/``), commands (``cli.py``) and options (``config_declaration.yaml``)
are registered through CKAN's blankets. The hooks below hand over to the
modules that hold the work: ``index.py`` (permission labels),
``badge_index.py`` (the badge in ``package_show``, the index and the facet),
``csrf.py`` and ``registries.py`` (middleware).
"""

from __future__ import annotations

from typing import Any

from ckan import model, types
from ckan import plugins as p
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckan.plugins import toolkit as tk
from ckan.types import Context

from ckanext.cdm import (
    activities,
    badge_index,
    csrf,
    figures_cache,
    index,
    registries,
    request_limits,
)
from ckanext.cdm.logic import action, auth


@tk.blanket.actions(action.registered)
@tk.blanket.auth_functions(auth.registered)
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
class CdmPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPermissionLabels)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ISignal)
    p.implements(p.IFacets, inherit=True)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        _templates_first(config)
        tk.add_resource("assets", "cdm")
        activities.register_activity_types()
        figures_cache.watch()

    # IPermissionLabels: the committee sees the datasets it examines

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        return index.dataset_labels(self, dataset_obj)

    def get_user_dataset_labels(self, user_obj: model.User | None) -> list[str]:
        return index.user_labels(self, user_obj)

    # IPackageController: reviews keep their dataset's labels

    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        self._store_labels(pkg_dict)

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        self._store_labels(pkg_dict)

    def _store_labels(self, pkg_dict: dict[str, Any]) -> None:
        package = model.Package.get(pkg_dict.get("id"))
        if package is not None:
            index.store_labels(package)

    # IPackageController: the badge (badge_index.py) in package_show, the index
    # and package_search results

    def after_dataset_show(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        # indexing reads the dataset with use_cache=False: the badge is computed
        badge_index.add_to_dataset(pkg_dict, from_index=context.get("use_cache", True))

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return badge_index.add_to_index(pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return badge_index.localize_results(search_results)

    # IFacets: « Avis du comité » on the dataset, organization and group pages

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return badge_index.add_facet(facets_dict)

    def organization_facets(
        self, facets_dict: dict[str, Any], organization_type: str, package_type: str | None
    ) -> dict[str, Any]:
        return badge_index.add_facet(facets_dict)

    def group_facets(
        self, facets_dict: dict[str, Any], group_type: str, package_type: str | None
    ) -> dict[str, Any]:
        return badge_index.add_facet(facets_dict)

    # IMiddleware

    def make_middleware(self, app: types.CKANApp, config: CKANConfig) -> types.CKANApp:
        """CSRF checks that CKAN's exemptions cannot switch off (csrf.py), and
        API bodies nested too deep refused before CKAN parses them
        (request_limits.py)."""
        registries.build()
        app = csrf.install(app)
        request_limits.install(app)
        return app

    # ISignal

    def get_signal_subscriptions(self) -> types.SignalMapping:
        return index.get_signal_subscriptions()


def _templates_first(config: CKANConfig) -> None:
    """``templates_first/``: the few templates that replace one of another
    plugin's own (activity's, whose folder CKAN searches before ours), put
    in ``extra_template_paths``, which CKAN searches before every plugin's."""
    import os

    folder = os.path.join(os.path.dirname(__file__), "templates_first")
    paths = [path for path in (config.get("extra_template_paths") or "").split(",") if path]
    if folder not in paths:
        config["extra_template_paths"] = ",".join([*paths, folder])
