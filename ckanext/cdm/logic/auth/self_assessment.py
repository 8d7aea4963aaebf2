"""Who may fill in and read a dataset's self-assessment: its stewards, and
the committee on the datasets it may see."""

from __future__ import annotations

from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic.auth._base import dataset_id, steward


def cdm_self_assessment_save(context: Context, data_dict: DataDict) -> AuthResult:
    return steward(context, dataset_id(data_dict))


def cdm_self_assessment_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The stewards, and the committee on the datasets it may see (those it
    examines, by the committee's permission label)."""
    user = context.get("user")
    package_id = dataset_id(data_dict)
    if model.Package.get(package_id) is None:
        return {"success": True}  # the action answers 404
    if authz.is_committee(user) and authz.can_read_dataset(user, package_id):
        return {"success": True}
    return steward(context, package_id)
