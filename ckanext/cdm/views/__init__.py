"""Blueprints of ckanext-cdm, registered through the blueprints blanket."""

from ckanext.cdm.views.badge import cdm_badge
from ckanext.cdm.views.charter import cdm
from ckanext.cdm.views.meeting import cdm_meeting
from ckanext.cdm.views.opinion import cdm_opinion
from ckanext.cdm.views.register import cdm_register
from ckanext.cdm.views.report import cdm_report
from ckanext.cdm.views.review import cdm_review
from ckanext.cdm.views.session import cdm_session
from ckanext.cdm.views.user import cdm_user

__all__ = [
    "cdm",
    "cdm_badge",
    "cdm_meeting",
    "cdm_opinion",
    "cdm_register",
    "cdm_report",
    "cdm_review",
    "cdm_session",
    "cdm_user",
]
