"""A register of opinions to search: a favourable opinion since corrected,
an unfavourable one that found the privacy principle not compliant, and a
favourable one on a private dataset."""

from __future__ import annotations

from dataclasses import dataclass

from tests.logic.opinions import assessments, call, draft, held_session, in_review, publish

SECRET_TITLE = "Registre confidentiel des signalements"


@dataclass
class Register:
    darcy: dict  # favourable, superseded by ``correction``
    correction: dict
    cameras: dict  # unfavourable, privacy non compliant
    secret: dict  # on a private dataset
    cameras_dataset: dict


def _published(personas, charter, verdict: str, summary: str, privacy: str, **dataset):
    pkg, review = in_review(personas, charter, **dataset)
    statuses = assessments(charter)
    statuses["privacy"] = {"status": privacy, "comment": "Vu."}
    fields = {"verdict": verdict, "summary": summary, "assessments": statuses}
    if verdict == "favorable_with_reservations":
        fields["reservations"] = "Des réserves."
    opinion = draft(personas, charter, review, **fields)
    session_id = held_session([review["id"]], [personas.president, personas.member])
    return pkg, review, publish(personas, opinion, session_id)


def register(personas, charter) -> Register:
    _, review, darcy = _published(
        personas,
        charter,
        "favorable",
        "Capteurs conformes à 100 % de la Charte.",
        "compliant",
        title="Capteurs de la place Darcy",
    )
    correction = call(
        "cdm_opinion_correct",
        personas.president,
        id=darcy["number"],
        reason="Erreur matérielle.",
        summary="Synthèse corrigée : capteurs conformes.",
    )
    session_id = held_session([review["id"]], [personas.president, personas.member])
    correction = publish(personas, correction, session_id)
    cameras_pkg, _, cameras = _published(
        personas,
        charter,
        "unfavorable",
        "Les images ne sont pas floutées.",
        "non_compliant",
        title="Vidéoprotection du centre-ville",
    )
    _, _, secret = _published(
        personas,
        charter,
        "favorable",
        "Synthèse d’un avis sur un jeu privé.",
        "partially_compliant",
        title=SECRET_TITLE,
        private=True,
    )
    darcy = call("cdm_opinion_show", personas.sysadmin, id=darcy["id"])
    return Register(darcy, correction, cameras, secret, cameras_pkg)
