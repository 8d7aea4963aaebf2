"""Who may declare a conflict of interest: the committee members in office."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic.auth._base import allow


def cdm_conflict_declare(context: Context, data_dict: DataDict) -> AuthResult:
    return allow(
        authz.is_committee(context.get("user")),
        tk._("Only committee members declare conflicts of interest"),
    )
