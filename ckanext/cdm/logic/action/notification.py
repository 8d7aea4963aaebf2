"""The daily digest of the committee's e-mails (``ckanext/cdm/digest.py``)."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import digest


def cdm_notification_digest_send(context: Context, data_dict: DataDict) -> dict[str, int]:
    """Send each committee member who chose the daily digest the e-mails kept
    for them since the last one, in one e-mail each, over one SMTP connection;
    what was sent is deleted, so a second call sends nothing again. Run daily
    by ``ckan cdm notifications digest``.

    Returns ``{"recipients": …, "items": …}``: the digests sent and the
    notifications they held.
    """
    tk.check_access("cdm_notification_digest_send", context, data_dict)
    return digest.send_digests()
