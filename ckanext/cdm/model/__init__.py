"""Tables of ckanext-cdm (created by the alembic chain in ``migration/cdm``)."""

from ckanext.cdm.model.audit import AuditEvent
from ckanext.cdm.model.charter import Charter, Principle
from ckanext.cdm.model.member import Member
from ckanext.cdm.model.review import Conflict, Review
from ckanext.cdm.model.self_assessment import SelfAssessment

__all__ = [
    "AuditEvent",
    "Charter",
    "Conflict",
    "Member",
    "Principle",
    "Review",
    "SelfAssessment",
]
