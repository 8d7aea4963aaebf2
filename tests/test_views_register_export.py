"""The register's exports are streamed in one statement (docs/performance.md,
« The register and the report at scale »): the same SQL statements for 3
opinions as for 250, never re-counted nor re-sorted page after page; the
rows still as the register lists them (withheld, corrections, dataset links)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import sqlalchemy as sa
from ckan import model

from ckanext.cdm.model.opinion import Opinion
from tests.helpers import sql_statements
from tests.logic.opinions import published

PRIVATE = ["member-of-an-organization"]


def _chain(first: Opinion, count: int, start: int) -> None:
    """``count`` corrections of corrections after ``first`` (numbered from
    ``start``), inserted in one statement; every third on a dataset the public
    may not see."""
    columns = {c.key: getattr(first, c.key) for c in sa.inspect(Opinion).column_attrs}
    last = model.Session.execute(
        sa.select(Opinion.id).order_by(Opinion.sequence.desc()).limit(1)
    ).scalar_one()
    rows = []
    for n in range(start, start + count):
        rows.append(
            {
                **columns,
                "id": f"bulk-{n}",
                "number": f"{first.year}-{n:03d}",
                "sequence": n,
                "published_at": first.published_at + dt.timedelta(seconds=n),
                "supersedes_id": last,
                "correction_reason": "Erratum.",
                "permission_labels": PRIVATE if n % 3 == 0 else ["public"],
            }
        )
        last = f"bulk-{n}"
    model.Session.execute(sa.insert(Opinion), rows)
    model.Session.commit()


def _export(app, path: str) -> tuple[int, str]:
    with sql_statements() as statements:
        body = app.get(path).body
    return len(statements), body


def _three_then_250(app, personas, charter, path: str) -> tuple[dict, int, str, int, str]:
    """The export of 3 opinions, then of 250: (the first opinion, statements
    and body with 3, statements and body with 250)."""
    _, _, opinion = published(personas, charter)
    first = Opinion.get(opinion["id"])
    _chain(first, 2, start=2)
    few, small = _export(app, path)
    _chain(first, 247, start=4)
    many, large = _export(app, path)
    return opinion, few, small, many, large


def test_the_csv_sends_the_same_statements_for_3_and_250_opinions(app, personas, charter):
    opinion, few, small, many, large = _three_then_250(app, personas, charter, "/cdm/opinions.csv")

    assert len(list(csv.DictReader(io.StringIO(small[1:])))) == 3
    rows = list(csv.DictReader(io.StringIO(large[1:])))
    assert len(rows) == 250
    assert few == many
    assert many <= 5

    newest, withheld = rows[0], rows[1]  # …-250, then …-249 (a multiple of 3)
    assert newest["number"].endswith("-250")
    assert newest["supersedes"].endswith("-249")
    assert newest["superseded_by"] == ""
    assert newest["dataset_url"].endswith(opinion["package_id"])
    assert newest["withheld"] == "False"
    assert withheld["number"].endswith("-249")
    assert withheld["withheld"] == "True"
    assert withheld["dataset_title"] == withheld["verdict"] == withheld["supersedes"] == ""
    assert rows[-1]["number"] == opinion["number"]
    assert rows[-1]["superseded_by"].endswith("-002")


def test_the_json_sends_the_same_statements_for_3_and_250_opinions(app, personas, charter):
    _, few, small, many, large = _three_then_250(app, personas, charter, "/cdm/opinions.json")

    assert json.loads(small)["count"] == 3
    data = json.loads(large)
    assert data["count"] == len(data["results"]) == 250
    assert few == many
    assert sum(r["withheld"] for r in data["results"]) == 83


def test_the_exports_are_streamed_not_built_in_memory(app, personas, charter):
    published(personas, charter)
    for path in ("/cdm/opinions.csv", "/cdm/opinions-excel.csv", "/cdm/opinions.json"):
        response = app.get(path)
        # a body built before it is sent has its length; a stream does not
        assert "Content-Length" not in response.headers, path
        assert response.body
