"""The Windows and macOS installers are built by a CI workflow that cannot run on this machine; what
can be checked here is: the workflow parses, each platform's job installs silently, runs the same
smoke commands as the Debian package's test and removes the program, signing runs only when the
named secrets exist (nothing secret is in the repository), and the MSI's WiX source is per machine
and upgrades in place. ``tools/build-bundle`` itself runs its Linux path in tests/test_deb_package.py."""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "installers.yml"
WXS = ROOT / "packaging" / "windows" / "lgf-desktop.wxs"
SMOKE = ("--version", " demo", "export report --round", "export brief --audit", "LGF_STARTUP_PROBE=1",
         "QT_QPA_PLATFORM=offscreen")


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def scripts(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_the_workflow_parses_and_builds_on_windows_macos_and_debian() -> None:
    jobs = workflow()["jobs"]
    assert set(jobs) == {"windows", "macos", "debian"}
    assert jobs["windows"]["runs-on"].startswith("windows")
    assert {entry["runner"][:5] for entry in jobs["macos"]["strategy"]["matrix"]["include"]} == {"macos"}
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    python = workflow()["env"]["PYTHON_VERSION"]
    assert requires == f">={python}"
    for name in ("windows", "macos"):
        assert "tools/build-bundle" in scripts(jobs[name])


def test_each_installer_is_installed_silently_smoke_tested_and_removed() -> None:
    jobs = workflow()["jobs"]
    windows, macos = scripts(jobs["windows"]), scripts(jobs["macos"])
    assert re.search(r'"/i", \$msi, "/qn"', windows) and re.search(r'"/x", \$msi, "/qn"', windows)
    assert "wix build packaging/windows/lgf-desktop.wxs" in windows
    assert "hdiutil create" in macos and "hdiutil attach" in macos and 'rm -rf "/Applications/LGF Desktop.app"' in macos
    for script in (windows, macos):
        for command in SMOKE:
            assert command in script, command
    assert "LGF_INSTALLER_TESTS=1" in scripts(jobs["debian"]) and "tests/test_deb_package.py" in scripts(jobs["debian"])
    # The smoke commands are the ones lgf has.
    from lgf_desktop.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["export", "report", "--round", "R", "--out", "r.docx"]).handler
    assert parser.parse_args(["export", "brief", "--audit", "1", "--out", "b.pdf"]).handler


def test_signing_runs_only_with_the_named_secrets_and_nothing_secret_is_committed() -> None:
    jobs = workflow()["jobs"]
    for name, secret in (("windows", "WINDOWS_CERTIFICATE_PFX_BASE64"), ("macos", "MACOS_CERTIFICATE_P12_BASE64")):
        job = jobs[name]
        assert job["env"]["HAVE_CERTIFICATE"] == f"${{{{ secrets.{secret} != '' }}}}"
        signing = [step for step in job["steps"] if any(word in step.get("name", "") for word in ("Sign", "Notarise"))]
        assert signing and all(step["if"] == "env.HAVE_CERTIFICATE == 'true'" for step in signing)
        for step in signing:  # secrets reach the steps through the environment only
            assert "secrets." not in step["run"]
    text = WORKFLOW.read_text()
    assert "BEGIN CERTIFICATE" not in text and "PRIVATE KEY" not in text
    documented = (ROOT / "docs" / "installing.md").read_text()
    for secret in set(re.findall(r"secrets\.([A-Z_]+)", text)):
        assert secret in documented, secret


def test_the_msi_is_per_machine_and_upgrades_in_place() -> None:
    ns = {"w": "http://wixtoolset.org/schemas/v4/wxs"}
    package = ET.parse(WXS).getroot().find("w:Package", ns)
    assert package.get("Scope") == "perMachine" and package.get("Version") == "$(Version)"
    assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", package.get("UpgradeCode"))
    assert package.find("w:MajorUpgrade", ns) is not None
    assert package.find("w:StandardDirectory[@Id='ProgramFiles64Folder']", ns) is not None
    assert package.find(".//w:Files", ns).get("Include") == r"!(bindpath.bundle)\**"
