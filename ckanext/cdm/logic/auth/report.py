"""Who may read, write and publish the annual report.

- reading (``cdm_report_show``, ``cdm_report_list``): everyone, anonymous
  included; the committee's figures (``scope=committee``) and the drafts to
  the committee members in office and sysadmins;
- the draft (``cdm_report_update``): the president and the members in office;
- publication (``cdm_report_publish``): the president in office alone.

The report is the committee's own text: sysadmins read everything but
neither write nor publish it (``auth_sysadmins_check``).
"""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic.auth._base import allow


@tk.auth_allow_anonymous_access
def cdm_report_show(context: Context, data_dict: DataDict) -> AuthResult:
    if data_dict.get("scope") != "committee":
        return {"success": True}
    return allow(
        authz.can_see_drafts(context.get("user")),
        tk._("Only the committee sees its own figures"),
    )


@tk.auth_allow_anonymous_access
def cdm_report_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}  # the action lists only what the user may see


@tk.auth_sysadmins_check
def cdm_report_update(context: Context, data_dict: DataDict) -> AuthResult:
    return allow(
        authz.is_committee(context.get("user")),
        tk._("Only the president and the members of the committee write its report"),
    )


@tk.auth_sysadmins_check
def cdm_report_publish(context: Context, data_dict: DataDict) -> AuthResult:
    return allow(
        authz.is_president(context.get("user")),
        tk._("Only the president publishes the committee's report"),
    )
