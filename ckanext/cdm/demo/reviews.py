"""The demo's ethics reviews (demo/reviews.yaml), played through the action API."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml
from ckan.plugins import toolkit as tk

# A plausible justification per principle, completed with the dataset's purpose.
JUSTIFICATIONS = {
    "purpose": "La finalité est décrite dans la fiche : {purpose}",
    "privacy": "Analyse réalisée avec le délégué à la protection des données ; {personal}.",
    "transparency": "{algorithm}",
    "sovereignty": "Données hébergées par la Métropole dans l’Union européenne ; "
    "clause de réversibilité dans le marché.",
    "security": "Accès restreint aux agents habilités, journalisation des accès.",
    "sobriety": "Mise à jour proportionnée à l’usage ; archives purgées selon la durée "
    "de conservation ({retention}).",
    "fairness": "Couverture vérifiée sur l’ensemble des quartiers ; biais connus "
    "documentés dans la fiche.",
    "openness": "Publication sous licence ouverte avec documentation des champs.",
    "participation": "Présenté en conseil de quartier ; contact indiqué pour toute contestation.",
}
PERSONAL = {
    "none": "aucune donnée personnelle",
    "anonymised": "données agrégées et anonymisées, risque de réidentification évalué",
    "pseudonymised": "données pseudonymisées, table de correspondance conservée à part",
    "personal": "données personnelles traitées sur la base légale indiquée",
}


def read_scenarios() -> dict[str, Any]:
    text = resources.files("ckanext.cdm.demo").joinpath("reviews.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def answers_for(dataset: dict[str, Any], charter: dict[str, Any], principles=None) -> dict:
    """A self-assessment of ``dataset`` (catalogue entry) against ``charter``."""
    ethics = dataset.get("ethics", {})
    algorithmic = bool(ethics.get("algorithmic_use"))
    personal = ethics.get("personal_data", "none")
    context = {
        "purpose": ethics.get("purpose", ""),
        "personal": PERSONAL.get(personal, personal),
        "algorithm": ethics.get("algorithm_description")
        or "Aucun algorithme n’utilise ces données.",
        "retention": ethics.get("retention", "non précisée"),
    }
    answers = {}
    for principle in charter["principles"]:
        if principles is not None and principle["code"] not in principles:
            continue
        status = "yes"
        if principle["code"] == "transparency" and not algorithmic:
            status = "not_applicable"
        elif principle["code"] == "privacy" and personal in ("pseudonymised", "personal"):
            status = "partly"
        text = JUSTIFICATIONS.get(principle["code"], "Voir la fiche.").format(**context)
        for question in principle["questions"]:
            answers[question["code"]] = {"status": status, "justification": text}
    return answers


def play(catalogue: dict[str, Any], president: str) -> int:
    """Play every scenario whose dataset has no review yet; return how many were played."""
    scenarios = read_scenarios()
    datasets = {d["name"]: d for d in catalogue["datasets"]}
    charter = tk.get_action("cdm_charter_show")({"user": president}, {})
    for conflict in scenarios.get("conflicts", []):
        tk.get_action("cdm_conflict_declare")(
            {"user": conflict["member"]},
            {"id": conflict["dataset"], "reason": conflict["reason"]},
        )
    played = 0
    for scenario in scenarios["reviews"]:
        name, steward = scenario["dataset"], {"user": scenario["steward"]}
        listing = tk.get_action("cdm_review_list")({"user": president}, {"dataset": name})
        draft = tk.get_action("cdm_self_assessment_show")(steward, {"id": name})
        if listing["count"] or draft["answers"]:
            continue
        review_id = None
        for step in scenario["steps"]:
            ((operation, value),) = step.items()
            if operation == "draft":
                answers = answers_for(datasets[name], charter, principles=value)
                tk.get_action("cdm_self_assessment_save")(steward, {"id": name, "answers": answers})
            elif operation in ("submit", "resubmit"):
                if operation == "submit":
                    answers = answers_for(datasets[name], charter)
                    tk.get_action("cdm_self_assessment_save")(
                        steward, {"id": name, "answers": answers}
                    )
                review = tk.get_action("cdm_review_submit")(
                    steward, {"id": name, "message": value or None}
                )
                review_id = review["id"]
            elif operation == "assign":
                tk.get_action("cdm_review_assign")(
                    {"user": president}, {"id": review_id, "rapporteur": value}
                )
            elif operation == "request_changes":
                tk.get_action("cdm_review_request_changes")(
                    {"user": president}, {"id": review_id, "message": value}
                )
            elif operation == "withdraw":
                tk.get_action("cdm_review_withdraw")(steward, {"id": review_id, "message": value})
        played += 1
    return played
