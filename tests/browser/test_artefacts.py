"""What a failing walk leaves under ``.run/log/browser/``, so that a red run
can be read: the pages it had open (screenshot and HTML) and the tail of the
portal's log. The saving itself is checked here on real pages; the hook that
tells the ``visit`` fixture its test failed, on this test's own reports."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser import conftest


def test_a_node_id_becomes_a_file_name():
    assert (
        conftest.artefact_stem(
            "tests/browser/test_accessibility.py::test_page[anonymous:/cdm/report?scope=x]"
        )
        == "tests_browser_test_accessibility.py_test_page_anonymous_cdm_report_scope_x"
    )
    long = conftest.artefact_stem("tests/x.py::test[" + "a" * 300 + "]")
    assert len(long) <= 150
    assert long != conftest.artefact_stem("tests/x.py::test[" + "a" * 299 + "b]")


def test_the_pages_and_the_server_log_are_saved(visit, portal, tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "ARTEFACTS", tmp_path)
    first = visit("anonymous")
    first.goto("/cdm/charter")
    expect(first.get_by_role("heading", level=1)).to_be_visible()
    second = visit("anonymous")
    second.set_content("<!doctype html><html lang='fr'><title>Une page</title><p>Bonjour</p>")

    saved = conftest.save_artefacts("tests/browser/x.py::test_y[a/b]", [first, second], portal.log)

    names = sorted(path.name for path in saved)
    assert names == [
        "tests_browser_x.py_test_y_a_b-1.html",
        "tests_browser_x.py_test_y_a_b-1.png",
        "tests_browser_x.py_test_y_a_b-2.html",
        "tests_browser_x.py_test_y_a_b-2.png",
        "tests_browser_x.py_test_y_a_b-server.log",
    ]
    assert all(path.parent == tmp_path for path in saved)
    folder = tmp_path
    assert (folder / "tests_browser_x.py_test_y_a_b-1.png").read_bytes().startswith(b"\x89PNG")
    html = (folder / "tests_browser_x.py_test_y_a_b-1.html").read_text()
    assert html.startswith(f"<!-- {portal.url}/cdm/charter -->\n")
    assert "Charte" in html
    assert "Bonjour" in (folder / "tests_browser_x.py_test_y_a_b-2.html").read_text()
    # the portal's log: the request of the first page is in its tail
    assert "/cdm/charter" in (folder / "tests_browser_x.py_test_y_a_b-server.log").read_text()


def test_a_closed_page_does_not_hide_the_failure(visit, tmp_path):
    page = visit("anonymous")
    page.set_content("<p>Bientôt fermée</p>")
    page.close()
    assert conftest.save_page(page, tmp_path / "closed") == []


def test_the_reports_of_a_test_are_kept_on_its_item(request):
    reports = request.node.stash[conftest.REPORTS]
    assert reports["setup"].passed
    assert "call" not in reports  # not made yet: this is the call
    assert not conftest.failed(request.node)
