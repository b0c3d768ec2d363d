"""pyproject.toml and environment.yml must list the same packages."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    proj = data["project"]
    return {_name(d): d for d in proj["dependencies"] + proj["optional-dependencies"]["test"]}


def _conda():
    out = {}
    text = (ROOT / "environment.yml").read_text()
    deps = text.split("dependencies:", 1)[1]
    for line in deps.splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+.*)$", line)
        if m and not m.group(1).startswith(("python", "pip")):
            out[_name(m.group(1))] = m.group(1)
    return out


def test_environment_yml_lists_the_same_packages():
    assert set(_pyproject()) == set(_conda())


def test_versions_agree():
    py, conda = _pyproject(), _conda()
    for name, spec in py.items():
        norm = lambda s: re.sub(r"\s", "", s[len(_name(s)):])  # noqa: E731
        assert norm(spec) == norm(conda[name]), name


def test_pins_required_by_design():
    deps = _pyproject()
    assert deps["pulp"].replace(" ", "") == "pulp>=3.3.2,<5"
    assert deps["voila"].replace(" ", "") == "voila>=0.5.6,<0.6"
    assert deps["jupyter-server"].replace(" ", "") == "jupyter_server>=2.18"
    assert "ipykernel" in deps


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make dashboard" in readme
