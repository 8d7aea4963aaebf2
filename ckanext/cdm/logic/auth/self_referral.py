"""Who may open a review on the committee's own initiative (self-referral):
the president without a conflict of interest, on a dataset he or she can
see, and sysadmins."""

from __future__ import annotations

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic.auth._base import allow, id_in, president


def cdm_review_open(context: Context, data_dict: DataDict) -> AuthResult:
    """Self-referral: the president (not conflicted) on a dataset he or she can
    see, or a sysadmin."""
    user = context.get("user")
    ref = id_in(data_dict, "dataset")
    package = model.Package.get(ref) if ref else None
    if package is None:
        return allow(president(user, None), tk._("Only the president can open a review"))
    return allow(
        president(user, package.id) and authz.can_read_dataset(user, package.id),
        tk._("Only the president can open a review on a dataset he or she can see"),
    )
