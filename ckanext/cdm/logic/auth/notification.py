"""The daily digest: sent by the site (``ckan cdm notifications digest``),
i.e. by sysadmins, whom CKAN lets through every auth function."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm.logic.auth._base import allow


def cdm_notification_digest_send(context: Context, data_dict: DataDict) -> AuthResult:
    return allow(False, tk._("Only a sysadmin can send the daily digests"))
