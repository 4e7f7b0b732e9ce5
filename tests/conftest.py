"""Shared test setup: no test writes into the real user's data directory.

Every `contact-auditor audit` a test runs (in this process or as a subprocess, which
inherits the environment) saves its results to the default store under
`$XDG_DATA_HOME/contact-auditor/`; this points that at a temporary folder for the session,
and drops a `CONTACT_AUDITOR_DB` from the caller's shell.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_data_home(tmp_path_factory):
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "CONTACT_AUDITOR_DB")}
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    os.environ.pop("CONTACT_AUDITOR_DB", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
