"""The benchmark's datasets written in bulk, as ``package_create`` stores them.

``package_create`` with the extension's schema (ckanext-scheming) writes, for
one dataset: a ``package`` row whose scheming fields that are not CKAN
columns (the ethics fields) are in its ``extras`` JSON column (CKAN 2.12),
with ``sensitive_categories`` stored as the JSON text ``"[]"``; one
``resource`` row per resource (``hash`` empty, ``position`` from 0); a
``package_tag`` row per tag (the ``tag`` rows are shared); and a ``member``
row putting the dataset in its organization (``table_name`` ``package``,
``capacity`` ``organization``). The columns it leaves empty are NULL. These
rows are written here with multi-row INSERTs, a batch at a time; activities
are not written (nothing the benchmark measures reads them).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

TAGS = ["transport", "santé", "environnement", "budget", "éducation", "culture", "voirie", "eau"]
FORMATS = ["CSV", "JSON", "GeoJSON", "XLSX"]
PERSONAL = ["none", "anonymised", "pseudonymised", "personal"]


def new_id() -> str:
    return str(uuid.uuid4())


def dataset_values(n: int) -> dict[str, Any]:
    """The fields of the n-th dataset (as bench/catalogue.py has always made them)."""
    personal = PERSONAL[n % len(PERSONAL)]
    algorithmic = n % 7 == 0
    extras: dict[str, Any] = {
        "purpose": f"Finalité du jeu {n} : éclairer les politiques publiques.",
        "personal_data": personal,
        "algorithmic_use": "yes" if algorithmic else "no",
        "data_controller": "Métropole, direction de la donnée",
        "retention_period": "13 mois",
        "sensitive_categories": "[]",
    }
    if personal in ("pseudonymised", "personal"):
        extras["legal_basis"] = "public_task"
    if algorithmic:
        extras["algorithm_description"] = "Un modèle de prévision de fréquentation."
    return {
        "name": f"bench-{n:05d}",
        "title": f"Jeu de données {n} : {TAGS[n % len(TAGS)]} de la Métropole",
        "notes": f"Données de démonstration n° {n} pour le banc d’essai de ckanext-cdm. " * 3,
        "extras": extras,
        "tags": [TAGS[(n + k) % len(TAGS)] for k in range(3)],
        "resources": [
            {"name": f"Fichier {k}", "url": f"http://example.org/{n}/{k}", "format": f}
            for k, f in enumerate(FORMATS[: 1 + n % 3])
        ],
    }


class Writer:
    """Inserts the rows of datasets ``n`` in batches, in the caller's session."""

    def __init__(self, org_ids: list[str], user_id: str, total: int) -> None:
        self.org_ids, self.user_id, self.total = org_ids, user_id, total
        self.tag_ids: dict[str, str] = {}
        # the n-th dataset was created n seconds after the first, the last one now
        self.start = dt.datetime.utcnow() - dt.timedelta(seconds=total)

    def tags(self) -> None:
        from ckan import model

        rows = [{"id": new_id(), "name": name, "vocabulary_id": None} for name in TAGS]
        model.Session.execute(model.tag_table.insert(), rows)
        self.tag_ids = {row["name"]: row["id"] for row in rows}

    def write(self, numbers: range) -> list[str]:
        """Insert datasets ``numbers``; their ids, in order."""
        from ckan import model

        packages, resources, tags, members = [], [], [], []
        for n in numbers:
            values = dataset_values(n)
            package_id, org = new_id(), self.org_ids[n % len(self.org_ids)]
            created = self.start + dt.timedelta(seconds=n)
            packages.append(
                {
                    "id": package_id,
                    "name": values["name"],
                    "title": values["title"],
                    "notes": values["notes"],
                    "license_id": "odc-odbl",
                    "type": "dataset",
                    "owner_org": org,
                    "creator_user_id": self.user_id,
                    "metadata_created": created,
                    "metadata_modified": created,
                    "private": False,
                    "state": "active",
                    "extras": values["extras"],
                }
            )
            for position, resource in enumerate(values["resources"]):
                resources.append(
                    {
                        "id": new_id(),
                        "package_id": package_id,
                        "position": position,
                        "hash": "",
                        "state": "active",
                        "created": created,
                        "metadata_modified": created,
                        **resource,
                    }
                )
            tags.extend(
                {"id": new_id(), "package_id": package_id, "tag_id": self.tag_ids[name]}
                | {"state": "active"}
                for name in values["tags"]
            )
            members.append(
                {
                    "id": new_id(),
                    "group_id": org,
                    "table_id": package_id,
                    "table_name": "package",
                    "capacity": "organization",
                    "state": "active",
                }
            )
        session = model.Session
        session.execute(model.package_table.insert(), packages)
        session.execute(model.resource_table.insert(), resources)
        session.execute(model.package_tag_table.insert(), tags)
        session.execute(model.member_table.insert(), members)
        return [p["id"] for p in packages]
