"""Messages of CKAN core's templates and views that CKAN 2.12's French
catalogue leaves untranslated (an empty ``msgstr``), leaves in English
("Licenses", "Go") or misspells (« Filtrer les resultats »).

Flask-Babel merges the catalogues of every translation domain into one, CKAN's
first and the extensions' after it (``ckan/config/middleware/flask_app.py``
hands it their directories in that order; ``Translations.merge`` lets the later
catalogue win): a msgid of CKAN's written in ``ckanext-cdm``'s catalogue
translates CKAN's own templates. Listing them here keeps them in the
catalogue when ``scripts/i18n.sh extract`` rebuilds it from the sources.
The msgids must stay exactly CKAN's (``tests/test_i18n.py`` checks them
against CKAN's catalogue).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for extraction, untranslated."""
    return message


CORE_MESSAGES = (
    # page.html, header.html: on every page
    N_("Skip to main content"),
    N_("Breadcrumb"),
    N_("Toggle navigation"),
    N_("Navigate to Home - {site_title}"),
    N_("Account"),
    N_("Profile settings"),
    N_("Search Datasets..."),
    N_("Submit"),
    # the language selector, the search forms, the facets
    N_("Go"),
    N_("Filter Results"),
    N_("Licenses"),
    N_("close"),
    N_("Filter by: {title}"),
    N_("Navigate to dataset: {title}"),
    N_("Search datasets with the tag: {tag}"),
    N_("Search datasets with the tag: {name}"),
    N_("Open details page for {name}"),
    N_("There are currently no groups for this site."),
    # logging in, error pages
    N_("Username or Email"),
    N_("You might need to login to access this page."),
    N_("Click here to login"),
    # the dataset form (its markdown help is templates/macros/form/markdown.html)
    N_("Unpublish"),
    # found by the walk of issue 18: a missing dataset, a user's page, a
    # dataset's groups (the upload buttons' words come from CKAN's JavaScript
    # catalogue, which this one does not reach)
    N_("Dataset not found or you have no permission to view it"),
    N_("API Tokens"),
    N_("This information is visible to you and admins"),
    N_("There are no groups associated with this dataset."),
    # the API's refusal of a value out of a list (CKAN's one_of validator)
    N_("Value must be one of %s"),
)
