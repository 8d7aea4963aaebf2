"""Actions on a dataset's self-assessment against the adopted charter."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict
from sqlalchemy.exc import IntegrityError

from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import (
    adopted_charter,
    checked,
    commit,
    package_or_404,
    validate,
)
from ckanext.cdm.model.self_assessment import SelfAssessment, unanswered_principles


@tk.side_effect_free
def cdm_self_assessment_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The steward's working self-assessment of a dataset, against the adopted charter.

    :param id: id or name of the dataset
    :returns: ``answers``, ``missing`` (codes of unanswered principles),
        ``charter``, ``version`` (0 before the first save)
    """
    tk.check_access("cdm_self_assessment_show", context, data_dict)
    data = validate(data_dict, cdm_schema.self_assessment_show_schema(), context)
    package = package_or_404(data["id"])
    charter = adopted_charter()
    saved = SelfAssessment.get(package.id)
    answers = saved.answers_for(charter) if saved else {}
    return {
        "package_id": package.id,
        "charter": {"id": charter.id, "number": charter.number},
        "answers": answers,
        "missing": unanswered_principles(answers, charter),
        "modified": saved.modified.isoformat() if saved else None,
        "version": saved.version if saved else 0,
    }


def cdm_self_assessment_save(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Save (a draft of) the self-assessment of a dataset.

    :param id: id or name of the dataset
    :param answers: ``{question_code: {"status": "yes|partly|no|not_applicable",
        "justification": "…"}}``; answers not given are kept as they were, an
        answer with an empty status and an empty justification is cleared
    :param version: the version the form was drawn from (``version`` of
        ``cdm_self_assessment_show``, 0 before the first save; optional):
        refused if the self-assessment was saved since (docs/api.md, « Edits
        that do not overwrite each other »)
    """
    tk.check_access("cdm_self_assessment_save", context, data_dict)
    data = validate(data_dict, cdm_schema.self_assessment_save_schema(), context)
    package = package_or_404(data["id"])
    charter = adopted_charter()
    saved = SelfAssessment.get(package.id, lock=True)
    if saved is None:
        # version 0: none saved yet, as cdm_self_assessment_show says
        saved = SelfAssessment(package_id=package.id, charter_id=charter.id, answers={}, version=0)
        try:
            with model.Session.begin_nested():
                model.Session.add(saved)
                model.Session.flush()
        except IntegrityError:  # saved at the same moment by someone else
            saved = SelfAssessment.get(package.id, lock=True)
            assert saved is not None
    checked(saved, data.get("version"))
    saved.save(context.get("user"), charter, data.get("answers", {}))
    commit(context)
    return cdm_self_assessment_show({**context, "ignore_auth": True}, {"id": package.id})
