"""Validation schemas of the actions (CKAN navl schemas).

Every action has one, even those that only read, and every key goes through a
strict validator of ``logic/validators.py`` first: a type and a length (or a
range), before any validator that queries the database. Rules about the
content (unique principle codes, known colleges and roles, self-assessment
statuses) live here, once.
"""

from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args

Schema = dict[str, Any]


# Charter


@validator_args
def principle_schema(
    not_empty, cdm_string, cdm_code, cdm_translated_line, cdm_translated_text, cdm_questions
) -> Schema:
    return {
        "code": [not_empty, cdm_string, cdm_code],
        "title": [not_empty, cdm_translated_line],
        "description": [not_empty, cdm_translated_text],
        "questions": [not_empty, cdm_questions],
    }


@validator_args
def charter_show_schema(ignore_missing, cdm_id) -> Schema:
    return {"id": [ignore_missing, cdm_id]}


@validator_args
def charter_create_schema(
    ignore_missing,
    not_empty,
    cdm_id,
    cdm_charter_number,
    cdm_translated_text,
    cdm_translated_line,
    cdm_optional_translated_text,
    cdm_charter_exists,
    cdm_unique_principle_codes,
) -> Schema:
    return {
        "number": [not_empty, cdm_charter_number],
        "copy_from": [ignore_missing, cdm_id, cdm_charter_exists],
        "title": [ignore_missing, cdm_translated_line],
        "preamble": [ignore_missing, cdm_optional_translated_text],
        "principles": principle_schema(),
        "__after": [cdm_unique_principle_codes],
    }


@validator_args
def charter_update_schema(
    not_empty,
    ignore_missing,
    cdm_id,
    cdm_charter_number,
    cdm_translated_text,
    cdm_translated_line,
    cdm_optional_translated_text,
    cdm_unique_principle_codes,
) -> Schema:
    return {
        "id": [not_empty, cdm_id],
        "number": [ignore_missing, cdm_charter_number],
        "title": [ignore_missing, cdm_translated_line],
        "preamble": [ignore_missing, cdm_optional_translated_text],
        "principles": principle_schema(),
        "__after": [cdm_unique_principle_codes],
    }


@validator_args
def charter_adopt_schema(not_empty, ignore_missing, cdm_id, cdm_string, cdm_iso_date) -> Schema:
    return {
        "id": [not_empty, cdm_id],
        "adopted_on": [ignore_missing, cdm_iso_date],
        "decision_reference": [not_empty, cdm_string],
    }


# Committee


@validator_args
def member_list_schema(ignore_missing, cdm_bool) -> Schema:
    return {"include_ended": [ignore_missing, cdm_bool]}


@validator_args
def member_create_schema(
    not_empty,
    ignore_missing,
    cdm_id,
    cdm_string,
    cdm_iso_date,
    user_id_or_name_exists,
    one_of,
    default,
) -> Schema:
    from ckanext.cdm.labels import FORMS_OF_ADDRESS
    from ckanext.cdm.model.member import COLLEGES, ROLES

    return {
        "user": [not_empty, cdm_id, user_id_or_name_exists],
        "college": [not_empty, cdm_id, one_of(list(COLLEGES))],
        "role": [default("member"), cdm_id, one_of(list(ROLES))],
        "mandate_start": [not_empty, cdm_iso_date],
        "mandate_end": [ignore_missing, cdm_iso_date],
        "affiliation": [ignore_missing, cdm_string],
        "form_of_address": [ignore_missing, cdm_id, one_of(["", *FORMS_OF_ADDRESS])],
    }


@validator_args
def member_update_schema(
    not_empty,
    ignore_missing,
    cdm_id,
    cdm_string,
    cdm_iso_date,
    one_of,
) -> Schema:
    from ckanext.cdm.labels import FORMS_OF_ADDRESS
    from ckanext.cdm.model.member import COLLEGES, ROLES

    return {
        "id": [not_empty, cdm_id],
        "college": [ignore_missing, not_empty, cdm_id, one_of(list(COLLEGES))],
        "role": [ignore_missing, not_empty, cdm_id, one_of(list(ROLES))],
        # a mandate always has a start; an empty end makes it open-ended
        "mandate_start": [ignore_missing, not_empty, cdm_iso_date],
        "mandate_end": [ignore_missing, cdm_iso_date],
        "affiliation": [ignore_missing, cdm_string],
        "form_of_address": [ignore_missing, cdm_id, one_of(["", *FORMS_OF_ADDRESS])],
    }


@validator_args
def member_delete_schema(not_empty, ignore_missing, cdm_id, cdm_long_text, cdm_iso_date) -> Schema:
    return {
        "id": [not_empty, cdm_id],
        "ended_on": [ignore_missing, cdm_iso_date],
        "reason": [ignore_missing, cdm_long_text],
    }


@validator_args
def user_preferences_schema(
    ignore_missing, not_empty, cdm_id, one_of, cdm_notification_kinds, cdm_bool
) -> Schema:
    """``cdm_user_preferences_update``: each preference given is changed, the
    others are kept. ``language``: one of the site's languages (a string:
    lists and dicts are refused); ``notifications``: the kinds of e-mail
    received; ``digest``: true or false."""
    from ckanext.cdm.user_extras import offered_languages

    return {
        "id": [ignore_missing, cdm_id],
        "language": [ignore_missing, not_empty, cdm_id, one_of(offered_languages())],
        "notifications": [ignore_missing, cdm_notification_kinds],
        "digest": [ignore_missing, cdm_bool],
    }


# Reviews


@validator_args
def review_show_schema(ignore_missing, cdm_id) -> Schema:
    return {"id": [ignore_missing, cdm_id], "dataset": [ignore_missing, cdm_id]}


@validator_args
def review_state_show_schema(not_empty, cdm_id) -> Schema:
    return {"dataset": [not_empty, cdm_id]}


@validator_args
def dataset_ethics_show_schema(not_empty, cdm_id) -> Schema:
    return {"id": [not_empty, cdm_id]}


@validator_args
def review_submit_schema(not_empty, ignore_missing, cdm_id, cdm_long_text) -> Schema:
    return {"id": [not_empty, cdm_id], "message": [ignore_missing, cdm_long_text]}


@validator_args
def review_withdraw_schema(not_empty, ignore_missing, cdm_id, cdm_long_text) -> Schema:
    return {"id": [not_empty, cdm_id], "message": [ignore_missing, cdm_long_text]}


@validator_args
def review_assign_schema(
    not_empty, ignore_missing, cdm_id, cdm_long_text, user_id_or_name_exists
) -> Schema:
    return {
        "id": [not_empty, cdm_id],
        "rapporteur": [not_empty, cdm_id, user_id_or_name_exists],
        "message": [ignore_missing, cdm_long_text],
    }


@validator_args
def review_request_changes_schema(not_empty, cdm_id, cdm_required_text) -> Schema:
    return {"id": [not_empty, cdm_id], "message": [not_empty, cdm_required_text]}


@validator_args
def review_list_schema(ignore_missing, one_of, default, cdm_id, cdm_limit, cdm_offset) -> Schema:
    from ckanext.cdm.model.review import STATES

    return {
        "state": [ignore_missing, cdm_id, one_of([*STATES, "open"])],
        "dataset": [ignore_missing, cdm_id],
        "organization": [ignore_missing, cdm_id],
        "rapporteur": [ignore_missing, cdm_id],
        "submitted_by": [ignore_missing, cdm_id],
        "limit": [default(20), cdm_limit],
        "offset": [default(0), cdm_offset],
    }


# Self-assessment and conflicts of interest


@validator_args
def self_assessment_show_schema(not_empty, cdm_id) -> Schema:
    return {"id": [not_empty, cdm_id]}


@validator_args
def self_assessment_save_schema(
    not_empty, ignore_missing, cdm_id, cdm_answers, cdm_version
) -> Schema:
    return {
        "id": [not_empty, cdm_id],
        "answers": [ignore_missing, cdm_answers],
        "version": [ignore_missing, cdm_version],
    }


@validator_args
def conflict_declare_schema(not_empty, ignore_missing, cdm_id, cdm_long_text) -> Schema:
    return {"id": [not_empty, cdm_id], "reason": [ignore_missing, cdm_long_text]}


# Opinions (their fields: the opinion schema, ``opinion_schema.navl_schema()``)


@validator_args
def opinion_create_schema(not_empty, cdm_id) -> Schema:
    return {"review": [not_empty, cdm_id]}


@validator_args
def opinion_ref_schema(not_empty, cdm_id) -> Schema:
    """``cdm_opinion_show``: an opinion's id or number."""
    return {"id": [not_empty, cdm_id]}


@validator_args
def opinion_update_schema(not_empty, ignore_missing, cdm_id, cdm_version) -> Schema:
    """``cdm_opinion_update``: the draft and the version its form was drawn from
    (the opinion's fields: the opinion schema)."""
    return {"id": [not_empty, cdm_id], "version": [ignore_missing, cdm_version]}


@validator_args
def opinion_correct_schema(not_empty, cdm_id, cdm_required_text) -> Schema:
    return {"id": [not_empty, cdm_id], "reason": [not_empty, cdm_required_text]}


@validator_args
def opinion_publish_schema(
    not_empty, ignore_missing, cdm_id, cdm_vote_count, cdm_user_ids
) -> Schema:
    return {
        "id": [not_empty, cdm_id],
        "session": [not_empty, cdm_id],
        "votes_for": [not_empty, cdm_vote_count],
        "votes_against": [not_empty, cdm_vote_count],
        "votes_abstain": [not_empty, cdm_vote_count],
        "votes_not_voting": [not_empty, cdm_vote_count],
        "votes_proxies": [ignore_missing, cdm_vote_count],
        "recused": [ignore_missing, cdm_user_ids],
    }


@validator_args
def opinion_list_schema(
    ignore_missing,
    one_of,
    default,
    boolean_validator,
    cdm_id,
    cdm_code,
    cdm_limit,
    cdm_offset,
    cdm_year,
    cdm_query,
) -> Schema:
    from ckanext.cdm import opinion_schema
    from ckanext.cdm.model.opinion import VERDICTS
    from ckanext.cdm.model.publish_once import STATES

    return {
        "q": [ignore_missing, cdm_query],
        "principle": [ignore_missing, cdm_code],
        "assessment": [ignore_missing, cdm_id, one_of(opinion_schema.choices("assessments"))],
        "dataset": [ignore_missing, cdm_id],
        "review": [ignore_missing, cdm_id],
        "organization": [ignore_missing, cdm_id],
        "state": [ignore_missing, cdm_id, one_of([*STATES, "all"])],
        "verdict": [ignore_missing, cdm_id, one_of(list(VERDICTS))],
        "year": [ignore_missing, cdm_year],
        "number": [ignore_missing, cdm_id],
        "withheld": [default(False), boolean_validator],
        "limit": [default(20), cdm_limit],
        "offset": [default(0), cdm_offset],
    }


@validator_args
def review_open_schema(not_empty, ignore_missing, cdm_id, cdm_long_text) -> Schema:
    return {"dataset": [not_empty, cdm_id], "message": [ignore_missing, cdm_long_text]}


# Sessions


@validator_args
def session_create_schema(
    not_empty, ignore_missing, default, cdm_local_datetime, cdm_string, cdm_bool, cdm_id_list
) -> Schema:
    return {
        "starts_at": [not_empty, cdm_local_datetime],
        "place": [ignore_missing, cdm_string],
        "written_procedure": [default(False), cdm_bool],
        "title": [ignore_missing, cdm_string],
        "agenda": [ignore_missing, cdm_id_list],
    }


@validator_args
def session_update_schema(
    not_empty,
    ignore_missing,
    cdm_id,
    cdm_local_datetime,
    cdm_string,
    cdm_bool,
    cdm_id_list,
    cdm_proxies,
    cdm_proxy,
    cdm_long_text,
    cdm_version,
) -> Schema:
    return {
        "id": [not_empty, cdm_id],
        "version": [ignore_missing, cdm_version],
        "starts_at": [ignore_missing, not_empty, cdm_local_datetime],
        "place": [ignore_missing, cdm_string],
        "written_procedure": [ignore_missing, cdm_bool],
        "title": [ignore_missing, cdm_string],
        "agenda": [ignore_missing, cdm_id_list],
        "attendance": [ignore_missing, cdm_id_list],
        "proxies": [ignore_missing, cdm_proxies],
        "add_proxy": [ignore_missing, cdm_proxy],
        "remove_proxy": [ignore_missing, cdm_id],
        "minutes": [ignore_missing, cdm_long_text],
        "close": [ignore_missing, cdm_bool],
    }


@validator_args
def session_show_schema(not_empty, cdm_id) -> Schema:
    return {"id": [not_empty, cdm_id]}


@validator_args
def session_list_schema(ignore_missing, one_of, default, cdm_id, cdm_bool, cdm_limit, cdm_offset):
    from ckanext.cdm.model.session import STATES

    return {
        "state": [ignore_missing, cdm_id, one_of(list(STATES))],
        "upcoming": [ignore_missing, cdm_bool],
        "limit": [default(20), cdm_limit],
        "offset": [default(0), cdm_offset],
    }


@validator_args
def badge_show_schema(not_empty, cdm_id) -> Schema:
    return {"id": [not_empty, cdm_id]}


# Annual reports


@validator_args
def report_show_schema(not_empty, default, one_of, cdm_id, cdm_report_year) -> Schema:
    from ckanext.cdm.figures import PUBLIC, SCOPES

    return {
        "year": [not_empty, cdm_report_year],
        "scope": [default(PUBLIC), cdm_id, one_of(list(SCOPES))],
    }


@validator_args
def report_update_schema(
    not_empty, ignore_missing, cdm_report_year, cdm_report_text, cdm_version
) -> Schema:
    return {
        "year": [not_empty, cdm_report_year],
        "version": [ignore_missing, cdm_version],
        "introduction": [ignore_missing, cdm_report_text],
        "notable_cases": [ignore_missing, cdm_report_text],
        "recommendations": [ignore_missing, cdm_report_text],
    }


@validator_args
def report_publish_schema(not_empty, cdm_report_year) -> Schema:
    return {"year": [not_empty, cdm_report_year]}


# Citizen meetings


@validator_args
def meeting_create_schema(
    not_empty, ignore_missing, cdm_required_line, cdm_local_datetime, cdm_long_text, cdm_http_url
) -> Schema:
    return {
        "title": [not_empty, cdm_required_line],
        "starts_at": [not_empty, cdm_local_datetime],
        "ends_at": [not_empty, cdm_local_datetime],
        "place": [not_empty, cdm_required_line],
        "description": [ignore_missing, cdm_long_text],
        "registration_url": [ignore_missing, cdm_http_url],
        "summary": [ignore_missing, cdm_long_text],
    }


@validator_args
def meeting_update_schema(
    not_empty,
    ignore_missing,
    cdm_id,
    cdm_required_line,
    cdm_local_datetime,
    cdm_long_text,
    cdm_http_url,
) -> Schema:
    return {
        "id": [not_empty, cdm_id],
        "title": [ignore_missing, not_empty, cdm_required_line],
        "starts_at": [ignore_missing, not_empty, cdm_local_datetime],
        "ends_at": [ignore_missing, not_empty, cdm_local_datetime],
        "place": [ignore_missing, not_empty, cdm_required_line],
        "description": [ignore_missing, cdm_long_text],
        "registration_url": [ignore_missing, cdm_http_url],
        "summary": [ignore_missing, cdm_long_text],
    }


@validator_args
def meeting_cancel_schema(not_empty, ignore_missing, cdm_id, cdm_long_text) -> Schema:
    return {"id": [not_empty, cdm_id], "reason": [ignore_missing, cdm_long_text]}


@validator_args
def meeting_show_schema(not_empty, cdm_id) -> Schema:
    return {"id": [not_empty, cdm_id]}


@validator_args
def meeting_list_schema(ignore_missing, default, cdm_bool, cdm_limit, cdm_offset) -> Schema:
    return {
        "upcoming": [ignore_missing, cdm_bool],
        "limit": [default(20), cdm_limit],
        "offset": [default(0), cdm_offset],
    }
