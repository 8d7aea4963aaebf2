"""People are listed in the alphabetical order a French reader expects."""

from ckanext.cdm.labels import name_key


def test_accents_and_case_do_not_send_a_name_to_the_end():
    names = ["Hugo Ferrandon", "Éloïse Fontaine", "hélène Castagné", "Aminata Diallo"]
    assert sorted(names, key=name_key) == [
        "Aminata Diallo",
        "Éloïse Fontaine",
        "hélène Castagné",
        "Hugo Ferrandon",
    ]


def test_a_missing_name_sorts_first_without_error():
    assert sorted(["Zoé", None], key=name_key) == [None, "Zoé"]
