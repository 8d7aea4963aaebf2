"""The documentation names what the code holds.

- every module of ``ckanext/cdm`` (each ``.py`` but the ``__init__.py``
  files, migration versions included) has its line in the « Package
  layout » table of ``docs/architecture.md``: a row whose first cell names
  the module's path, or one of its folders with the module's file name
  somewhere in the row;
- every ``cdm_`` table (the model's metadata and the migrations) is named
  in ``docs/architecture.md``;
- every registered action is named in ``docs/api.md`` (a heading or in backticks).
"""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ckanext" / "cdm"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
API = ROOT / "docs" / "api.md"


def modules() -> list[str]:
    """The modules, as paths relative to ``ckanext/cdm`` (``logic/action/review.py``)."""
    return sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py"
    )


def layout_rows(text: str) -> list[tuple[set[str], set[str]]]:
    """The rows of the « Package layout » table: (the names in backticks of
    the first cell, the names in backticks of the whole row)."""
    section = text.split("## Package layout", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| ---"):
            continue
        first = line.split("|")[1]
        rows.append((set(re.findall(r"`([^`]+)`", first)), set(re.findall(r"`([^`]+)`", line))))
    return rows


def undocumented(module_paths: list[str], text: str) -> list[str]:
    """The modules no row of the layout names."""
    rows = layout_rows(text)

    def named(path: str) -> bool:
        parts = path.split("/")
        folders = {"/".join(parts[:i]) + "/" for i in range(1, len(parts))}
        for first, row in rows:
            if path in first:
                return True
            for folder in folders & first:
                if parts[-1] in row or path[len(folder) :] in row:
                    return True
        return False

    return [path for path in module_paths if not named(path)]


def test_the_check_finds_a_module_left_out():
    text = (
        "## Package layout\n\n| path | what |\n| --- | --- |\n"
        "| `plugin.py` | the plugin |\n| `model/` | `review.py` (`Review`) |\n\n## Data\n"
    )
    assert undocumented(["plugin.py", "model/review.py"], text) == []
    assert undocumented(["helpers.py", "model/session.py"], text) == [
        "helpers.py",
        "model/session.py",
    ]


def test_every_module_is_in_the_architecture():
    assert undocumented(modules(), ARCHITECTURE.read_text(encoding="utf-8")) == []


def tables() -> set[str]:
    """The ``cdm_`` tables of the model's metadata and of the migrations."""
    from ckan.plugins import toolkit as tk

    import ckanext.cdm.model  # noqa: F401  (fills the metadata)

    names = {name for name in tk.BaseModel.metadata.tables if name.startswith("cdm_")}
    for path in (PACKAGE / "migration" / "cdm" / "versions").glob("*.py"):
        names.update(re.findall(r"create_table\(\s*\"(cdm_\w+)\"", path.read_text()))
    return names


def test_every_table_is_in_the_architecture():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    found = tables()
    assert {"cdm_review", "cdm_opinion", "cdm_annual_report"} <= found
    assert sorted(name for name in found if f"`{name}`" not in text) == []


def test_every_action_is_in_the_api_reference():
    from ckanext.cdm.logic import action

    text = API.read_text(encoding="utf-8")
    names = action.registered()
    assert len(names) > 40
    missing = [
        name
        for name in names
        if f"`{name}`" not in text and not re.search(rf"^#+ {name}\s*$", text, re.MULTILINE)
    ]
    assert sorted(missing) == []
