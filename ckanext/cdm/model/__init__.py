"""Tables of ckanext-cdm (created by the alembic chain in ``migration/cdm``)."""

from ckanext.cdm.model.audit import AuditEvent
from ckanext.cdm.model.charter import Charter, Principle
from ckanext.cdm.model.digest import DigestItem
from ckanext.cdm.model.meeting import CitizenMeeting
from ckanext.cdm.model.member import Member
from ckanext.cdm.model.opinion import Opinion
from ckanext.cdm.model.report import AnnualReport
from ckanext.cdm.model.review import Conflict, Review
from ckanext.cdm.model.self_assessment import SelfAssessment
from ckanext.cdm.model.session import AgendaItem, Attendance, CommitteeSession, Proxy

__all__ = [
    "AgendaItem",
    "AnnualReport",
    "Attendance",
    "AuditEvent",
    "Charter",
    "CitizenMeeting",
    "CommitteeSession",
    "Conflict",
    "DigestItem",
    "Member",
    "Opinion",
    "Principle",
    "Proxy",
    "Review",
    "SelfAssessment",
]
