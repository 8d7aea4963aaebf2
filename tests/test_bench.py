"""The benchmark's own machinery (bench/, docs/performance.md): its catalogue
written in bulk is what ``package_create`` writes, its table of endpoints
covers the pages a visitor uses, its ratios are computed per round."""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import endpoints
import rows
import timing

# the rows that identify a dataset rather than describe it
IDENTITY = {"id", "name", "metadata_created", "metadata_modified", "package_id", "created"}


def _stored(package_id: str) -> dict:
    """What the database holds for a dataset, without ids and times."""
    session = model.Session

    def plain(row) -> dict:
        return {k: v for k, v in row._mapping.items() if k not in IDENTITY}

    package = session.execute(
        sa.select(model.package_table).where(model.package_table.c.id == package_id)
    ).one()
    resources = session.execute(
        sa.select(model.resource_table)
        .where(model.resource_table.c.package_id == package_id)
        .order_by(model.resource_table.c.position)
    ).all()
    tags = session.execute(
        sa.select(model.tag_table.c.name, model.package_tag_table.c.state)
        .join(model.package_tag_table, model.package_tag_table.c.tag_id == model.tag_table.c.id)
        .where(model.package_tag_table.c.package_id == package_id)
        .order_by(model.tag_table.c.name)
    ).all()
    members = session.execute(
        sa.select(
            model.member_table.c.group_id,
            model.member_table.c.table_name,
            model.member_table.c.capacity,
            model.member_table.c.state,
        ).where(model.member_table.c.table_id == package_id)
    ).all()
    return {
        "package": plain(package),
        "resources": [plain(r) for r in resources],
        "tags": [tuple(t) for t in tags],
        "members": [tuple(m) for m in members],
    }


def test_the_bulk_catalogue_writes_the_rows_package_create_writes(personas):
    # dataset 14: personal data (a legal basis), an algorithm, three resources
    n = 14
    values = rows.dataset_values(n)
    organization = personas.organization["id"]
    sysadmin = model.User.get(personas.sysadmin)
    writer = rows.Writer([organization], sysadmin.id, total=1)
    writer.tags()
    [bulk] = writer.write(range(n, n + 1))
    model.Session.execute(
        sa.update(model.package_table)
        .where(model.package_table.c.id == bulk)
        .values(name="bench-bulk-copy")
    )
    fields = {k: v for k, v in values["extras"].items() if k != "sensitive_categories"}
    created = helpers.call_action(
        "package_create",
        context={"user": sysadmin.name},
        name=values["name"],
        title=values["title"],
        notes=values["notes"],
        owner_org=organization,
        license_id="odc-odbl",
        tags=[{"name": name} for name in values["tags"]],
        resources=values["resources"],
        **fields,
    )
    assert _stored(bulk) == _stored(created["id"])


def test_the_endpoints_are_the_pages_a_visitor_uses():
    paths = {e.path for e in endpoints.ENDPOINTS}
    assert {
        "/dataset/",
        "/dataset/?q=transport&page=3",
        f"/dataset/{endpoints.WITH_OPINION}",
        f"/dataset/{endpoints.NEVER_REVIEWED}",
        "/organization/bench-org-1",
        "/api/3/action/package_search?rows=100",
        f"/api/3/action/package_show?id={endpoints.WITH_OPINION}",
    } <= paths
    # the catalogue examines every fourth dataset, and opens reviews on n % 50 == 1
    never = int(endpoints.NEVER_REVIEWED.removeprefix("bench-"))
    assert never % 4 != 0
    assert never % 50 != 1
    assert int(endpoints.WITH_OPINION.removeprefix("bench-")) % 4 == 0


def test_a_ratio_is_of_the_medians_and_each_round_has_its_own():
    timed = timing.Timed("page")
    timed.rounds = [
        ([10.0, 10.0, 10.0], [11.0, 11.0, 11.0]),
        ([20.0, 20.0, 20.0], [19.0, 19.0, 19.0]),
    ]
    assert timed.round_ratios() == [1.1, 0.95]
    assert timed.ratio() == (11.0 + 19.0) / (10.0 + 20.0)
    assert timing.MAX_RATIO == 1.05 or "CDM_BENCH_MAX_RATIO" in timing.os.environ
