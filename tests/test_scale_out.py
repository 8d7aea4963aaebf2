"""`make bench-scale-out` (bench/scale_out.sh, docs/scaling.md) runs CKAN's
Solr configset in SolrCloud: the schema of the installed CKAN and the
project's solrconfig.xml, with the two changes SolrCloud needs and nothing
else. The run itself is not part of the suite (a SolrCloud, two gunicorn
nodes, minutes); this catches, in CI, a CKAN upgrade or an edit of
solr/solrconfig.xml that the script's rewriting would no longer fit."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

import ckan

ROOT = Path(__file__).resolve().parent.parent
CKAN_SCHEMA = Path(ckan.__file__).parent / "config" / "solr" / "schema.xml"
VERSION_FIELD = (
    '    <field name="_version_" type="plong" indexed="false" stored="false" docValues="true"/>'
)
UPDATE_LOG = '    <updateLog><str name="dir">${solr.ulog.dir:}</str></updateLog>'


def changes(before: str, after: str) -> list[str]:
    """The lines taken out ("-…") and put in ("+…") from ``before`` to ``after``."""
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_the_solrcloud_configset_is_ckans_with_an_update_log_and_a_long_version(tmp_path):
    subprocess.run(
        ["bash", str(ROOT / "bench" / "scale_out.sh"), "configset", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    ckan_schema = CKAN_SCHEMA.read_text(encoding="utf-8")
    schema = (tmp_path / "schema.xml").read_text(encoding="utf-8")
    [old, new] = changes(ckan_schema, schema)
    assert old.startswith('-    <field name="_version_" type="string"')
    assert new == "+" + VERSION_FIELD

    solrconfig = (tmp_path / "solrconfig.xml").read_text(encoding="utf-8")
    ours = (ROOT / "solr" / "solrconfig.xml").read_text(encoding="utf-8")
    assert changes(ours, solrconfig) == ["+" + UPDATE_LOG]
    assert f'<updateHandler class="solr.DirectUpdateHandler2">\n{UPDATE_LOG}\n' in solrconfig
    assert {p.name for p in tmp_path.iterdir()} == {
        "schema.xml",
        "solrconfig.xml",
        "synonyms.txt",
        "protwords.txt",
    }
