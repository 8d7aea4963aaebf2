"""Tables of ckanext-cdm (created by the alembic chain in ``migration/cdm``)."""

from ckanext.cdm.model.audit import AuditEvent
from ckanext.cdm.model.charter import Charter, Principle
from ckanext.cdm.model.member import Member

__all__ = ["AuditEvent", "Charter", "Member", "Principle"]
