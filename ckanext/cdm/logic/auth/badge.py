"""Who may see a dataset's badge: whoever may see the dataset (package_show)."""

from __future__ import annotations

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic.auth._base import allow, id_in


@tk.auth_allow_anonymous_access
def cdm_badge_show(context: Context, data_dict: DataDict) -> AuthResult:
    ref = id_in(data_dict, "id")
    package = context.get("package")  # the action's, looked up once
    if not isinstance(package, model.Package) or ref not in (package.id, package.name):
        # another call's dataset left in a reused context: never judge by it
        package = model.Package.get(ref) if ref else None
    if package is None:
        return {"success": True}  # the action answers 404
    return allow(
        authz.can_read_dataset(context.get("user"), package.id),
        tk._("You are not allowed to see this dataset"),
    )


@tk.auth_allow_anonymous_access
def cdm_badge_validator(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_badge_show(context, data_dict)
