"""Shared test set-up: no test ever writes a school-year workspace into the real ~/makker."""

import pytest


@pytest.fixture(autouse=True)
def _private_makker_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("MAKKER_HOME", str(tmp_path_factory.mktemp("makker-home")))
    monkeypatch.delenv("MAKKER_WORKSPACE", raising=False)


@pytest.fixture
def isolated_workspace(tmp_path, monkeypatch):
    """A private home and workspace file under the test's own tmp_path (the school-year tab autosaves)."""
    monkeypatch.setenv("MAKKER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MAKKER_WORKSPACE", str(tmp_path / "workspace.sqlite"))
    return tmp_path
