"""Validation schemas of the actions (CKAN navl schemas)."""

from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args

Schema = dict[str, Any]


@validator_args
def principle_schema(
    not_empty, unicode_safe, cdm_code, cdm_translated_text, cdm_questions
) -> Schema:
    return {
        "code": [not_empty, unicode_safe, cdm_code],
        "title": [not_empty, cdm_translated_text],
        "description": [not_empty, cdm_translated_text],
        "questions": [not_empty, cdm_questions],
    }


@validator_args
def charter_create_schema(
    ignore_missing,
    not_empty,
    unicode_safe,
    cdm_charter_number,
    cdm_translated_text,
    cdm_optional_translated_text,
    cdm_charter_exists,
) -> Schema:
    return {
        "number": [not_empty, unicode_safe, cdm_charter_number],
        "copy_from": [ignore_missing, unicode_safe, cdm_charter_exists],
        "title": [ignore_missing, cdm_translated_text],
        "preamble": [ignore_missing, cdm_optional_translated_text],
        "principles": principle_schema(),
    }


@validator_args
def charter_update_schema(
    not_empty,
    ignore_missing,
    unicode_safe,
    cdm_charter_number,
    cdm_translated_text,
    cdm_optional_translated_text,
) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "number": [ignore_missing, unicode_safe, cdm_charter_number],
        "title": [ignore_missing, cdm_translated_text],
        "preamble": [ignore_missing, cdm_optional_translated_text],
        "principles": principle_schema(),
    }


@validator_args
def charter_adopt_schema(not_empty, ignore_missing, unicode_safe, isodate) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "adopted_on": [ignore_missing, isodate],
        "decision_reference": [not_empty, unicode_safe],
    }


@validator_args
def member_create_schema(
    not_empty,
    ignore_missing,
    unicode_safe,
    isodate,
    user_id_or_name_exists,
    one_of,
    default,
) -> Schema:
    from ckanext.cdm.labels import FORMS_OF_ADDRESS
    from ckanext.cdm.model.member import COLLEGES, ROLES

    return {
        "user": [not_empty, unicode_safe, user_id_or_name_exists],
        "college": [not_empty, unicode_safe, one_of(list(COLLEGES))],
        "role": [default("member"), unicode_safe, one_of(list(ROLES))],
        "mandate_start": [not_empty, isodate],
        "mandate_end": [ignore_missing, isodate],
        "affiliation": [ignore_missing, unicode_safe],
        "form_of_address": [ignore_missing, unicode_safe, one_of(["", *FORMS_OF_ADDRESS])],
    }


@validator_args
def member_update_schema(
    not_empty,
    ignore_missing,
    unicode_safe,
    isodate,
    one_of,
) -> Schema:
    from ckanext.cdm.labels import FORMS_OF_ADDRESS
    from ckanext.cdm.model.member import COLLEGES, ROLES

    return {
        "id": [not_empty, unicode_safe],
        "college": [ignore_missing, unicode_safe, one_of(list(COLLEGES))],
        "role": [ignore_missing, unicode_safe, one_of(list(ROLES))],
        "mandate_start": [ignore_missing, isodate],
        "mandate_end": [ignore_missing, isodate],
        "affiliation": [ignore_missing, unicode_safe],
        "form_of_address": [ignore_missing, unicode_safe, one_of(["", *FORMS_OF_ADDRESS])],
    }


@validator_args
def member_delete_schema(not_empty, ignore_missing, unicode_safe, isodate) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "ended_on": [ignore_missing, isodate],
        "reason": [ignore_missing, unicode_safe],
    }


@validator_args
def user_preferences_schema(ignore_missing, not_empty, one_of) -> Schema:
    """``cdm_user_preferences_update``: the language of the user's e-mails,
    one of the site's languages (a string: lists and dicts are refused)."""
    from ckanext.cdm.user_extras import offered_languages

    return {"id": [ignore_missing], "language": [not_empty, one_of(offered_languages())]}


@validator_args
def review_submit_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    return {"id": [not_empty, unicode_safe], "message": [ignore_missing, unicode_safe]}


@validator_args
def review_withdraw_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    return {"id": [not_empty, unicode_safe], "message": [ignore_missing, unicode_safe]}


@validator_args
def review_assign_schema(not_empty, ignore_missing, unicode_safe, user_id_or_name_exists) -> Schema:
    return {
        "id": [not_empty, unicode_safe],
        "rapporteur": [not_empty, unicode_safe, user_id_or_name_exists],
        "message": [ignore_missing, unicode_safe],
    }


@validator_args
def review_request_changes_schema(not_empty, unicode_safe) -> Schema:
    return {"id": [not_empty, unicode_safe], "message": [not_empty, unicode_safe]}


@validator_args
def review_list_schema(
    ignore_missing,
    unicode_safe,
    one_of,
    default,
    int_validator,
    natural_number_validator,
) -> Schema:
    from ckanext.cdm.model.review import STATES

    return {
        "state": [ignore_missing, unicode_safe, one_of([*STATES, "open"])],
        "dataset": [ignore_missing, unicode_safe],
        "organization": [ignore_missing, unicode_safe],
        "rapporteur": [ignore_missing, unicode_safe],
        "submitted_by": [ignore_missing, unicode_safe],
        "limit": [default(20), int_validator, natural_number_validator],
        "offset": [default(0), int_validator, natural_number_validator],
    }


@validator_args
def dataset_reference_schema(not_empty, ignore_missing, unicode_safe) -> Schema:
    """Actions on one dataset: ``id`` (id or name), and an optional note."""
    return {
        "id": [not_empty, unicode_safe],
        "reason": [ignore_missing, unicode_safe],
        "answers": [ignore_missing],
    }
