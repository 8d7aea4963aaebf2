"""Auth functions of ckanext-cdm, one per action, registered through the blanket."""

from ckanext.cdm.logic.auth.badge import cdm_badge_show
from ckanext.cdm.logic.auth.charter import (
    cdm_charter_adopt,
    cdm_charter_create,
    cdm_charter_list,
    cdm_charter_show,
    cdm_charter_update,
)
from ckanext.cdm.logic.auth.committee import (
    cdm_member_create,
    cdm_member_delete,
    cdm_member_list,
    cdm_member_update,
)
from ckanext.cdm.logic.auth.meeting import (
    cdm_meeting_cancel,
    cdm_meeting_create,
    cdm_meeting_list,
    cdm_meeting_show,
    cdm_meeting_update,
)
from ckanext.cdm.logic.auth.opinion import (
    cdm_opinion_correct,
    cdm_opinion_create,
    cdm_opinion_list,
    cdm_opinion_publish,
    cdm_opinion_show,
    cdm_opinion_update,
    cdm_review_open,
)
from ckanext.cdm.logic.auth.report import (
    cdm_report_list,
    cdm_report_publish,
    cdm_report_show,
    cdm_report_update,
)
from ckanext.cdm.logic.auth.review import (
    cdm_conflict_declare,
    cdm_review_assign,
    cdm_review_list,
    cdm_review_request_changes,
    cdm_review_show,
    cdm_review_submit,
    cdm_review_withdraw,
    cdm_self_assessment_save,
    cdm_self_assessment_show,
)
from ckanext.cdm.logic.auth.session import (
    cdm_session_create,
    cdm_session_list,
    cdm_session_show,
    cdm_session_update,
)
from ckanext.cdm.logic.auth.user import (
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
