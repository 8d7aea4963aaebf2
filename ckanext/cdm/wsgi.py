"""The portal as a WSGI application, for a production WSGI server.

The ``ckan`` package installed by pip ships no WSGI entry point, so this one
is CKAN's own recipe: ``make_app(load_config(path))``. The configuration file
is the ``CKAN_INI`` environment variable (or the ``path`` argument);
``load_config`` also applies the file's ``[loggers]`` sections.

gunicorn (what ``make demo`` runs, see ``scripts/serve.sh``) calls the factory
once in each worker process::

    CKAN_INI=/etc/ckan/default/ckan.ini \\
        gunicorn --workers 2 --threads 4 'ckanext.cdm.wsgi:make_application()'

Servers that look for a module attribute (uWSGI's ``--module
ckanext.cdm.wsgi``) find ``application``, built on first access rather than
at import, so importing this module never builds an app by itself.
"""

from __future__ import annotations

import logging
import os
from typing import Any

__all__ = ["make_application"]


def make_application(path: str | None = None) -> Any:
    """A new CKAN WSGI app for the configuration file ``path`` (default:
    ``$CKAN_INI``)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    path = path or os.environ.get("CKAN_INI")
    if not path:
        raise RuntimeError("Set CKAN_INI to the CKAN configuration file to serve.")
    # load_config applies the ini's logging sections with logging.fileConfig,
    # which disables every logger the file does not name: the server's own
    # (gunicorn's access and error logs) would fall silent.
    servers = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.disabled
    ]
    config = load_config(path)
    for logger in servers:
        logger.disabled = False
    return make_app(config)


_application: Any = None


def __getattr__(name: str) -> Any:
    """``application``: one app per process, built the first time it is asked for."""
    global _application
    if name != "application":
        raise AttributeError(name)
    if _application is None:
        _application = make_application()
    return _application
