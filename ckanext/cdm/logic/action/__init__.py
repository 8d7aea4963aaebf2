"""Actions of ckanext-cdm, registered by name through the actions blanket."""

from ckanext.cdm.logic.action.badge import cdm_badge_show
from ckanext.cdm.logic.action.charter import (
    cdm_charter_adopt,
    cdm_charter_create,
    cdm_charter_list,
    cdm_charter_show,
    cdm_charter_update,
)
from ckanext.cdm.logic.action.committee import (
    cdm_member_create,
    cdm_member_delete,
    cdm_member_list,
    cdm_member_update,
)
from ckanext.cdm.logic.action.conflict import cdm_conflict_declare
from ckanext.cdm.logic.action.meeting import (
    cdm_meeting_cancel,
    cdm_meeting_create,
    cdm_meeting_list,
    cdm_meeting_show,
    cdm_meeting_update,
)
from ckanext.cdm.logic.action.opinion import (
    cdm_opinion_correct,
    cdm_opinion_create,
    cdm_opinion_list,
    cdm_opinion_publish,
    cdm_opinion_show,
    cdm_opinion_update,
)
from ckanext.cdm.logic.action.report import (
    cdm_report_list,
    cdm_report_publish,
    cdm_report_show,
    cdm_report_update,
)
from ckanext.cdm.logic.action.review import (
    cdm_review_assign,
    cdm_review_list,
    cdm_review_request_changes,
    cdm_review_show,
    cdm_review_submit,
    cdm_review_withdraw,
)
from ckanext.cdm.logic.action.self_assessment import (
    cdm_self_assessment_save,
    cdm_self_assessment_show,
)
from ckanext.cdm.logic.action.self_referral import cdm_review_open
from ckanext.cdm.logic.action.session import (
    cdm_session_create,
    cdm_session_list,
    cdm_session_show,
    cdm_session_update,
)
from ckanext.cdm.logic.action.user import (
    cdm_user_preferences_show,
    cdm_user_preferences_update,
)

__all__ = [
    "cdm_badge_show",
    "cdm_charter_adopt",
    "cdm_charter_create",
    "cdm_charter_list",
    "cdm_charter_show",
    "cdm_charter_update",
    "cdm_conflict_declare",
    "cdm_meeting_cancel",
    "cdm_meeting_create",
    "cdm_meeting_list",
    "cdm_meeting_show",
    "cdm_meeting_update",
    "cdm_member_create",
    "cdm_member_delete",
    "cdm_member_list",
    "cdm_member_update",
    "cdm_opinion_correct",
    "cdm_opinion_create",
    "cdm_opinion_list",
    "cdm_opinion_publish",
    "cdm_opinion_show",
    "cdm_opinion_update",
    "cdm_report_list",
    "cdm_report_publish",
    "cdm_report_show",
    "cdm_report_update",
    "cdm_review_assign",
    "cdm_review_list",
    "cdm_review_open",
    "cdm_review_request_changes",
    "cdm_review_show",
    "cdm_review_submit",
    "cdm_review_withdraw",
    "cdm_self_assessment_save",
    "cdm_self_assessment_show",
    "cdm_session_create",
    "cdm_session_list",
    "cdm_session_show",
    "cdm_session_update",
    "cdm_user_preferences_show",
    "cdm_user_preferences_update",
]
