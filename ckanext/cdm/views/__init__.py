"""Blueprints of ckanext-cdm, registered through the blueprints blanket."""

from ckanext.cdm.views.charter import cdm
from ckanext.cdm.views.review import cdm_review

__all__ = ["cdm", "cdm_review"]
