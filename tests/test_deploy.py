"""What operators install: the systemd units in deploy/systemd/ (checked by systemd's own tools)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import load_command_class

REPO = Path(__file__).resolve().parents[1]
UNITS = REPO / "deploy" / "systemd"
INSTALLED_GONGKAI = "/opt/gongkai/.venv/bin/gongkai"
GONGKAI = Path(sys.executable).with_name("gongkai")
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def _directives(unit: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in unit.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.mark.parametrize(("unit", "command"), [("gongkai.service", "serve"), ("gongkai-worker.service", "worker")])
def test_unit_runs_our_command_with_options_it_accepts(unit: str, command: str, database_tasks: None) -> None:
    directives = _directives(UNITS / unit)
    argv = shlex.split(directives["ExecStart"][0])
    assert argv[:2] == [INSTALLED_GONGKAI, command]
    parser = load_command_class("gongkai.core", command).create_parser("gongkai", command)
    parser.parse_args(argv[2:])  # exits (SystemExit) on an option the command does not have
    for key, value in [("User", "gongkai"), ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                       ("ProtectHome", "yes"), ("PrivateTmp", "yes"), ("CapabilityBoundingSet", "")]:
        assert directives.get(key) == [value], f"{unit}: {key}"
    assert directives["EnvironmentFile"] == ["/etc/gongkai.env"]
    assert directives["ReadWritePaths"] == ["/var/lib/gongkai"]


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is missing (Debian package systemd)")
def test_units_pass_systemd_analyze(tmp_path: Path) -> None:
    assert SYSTEMD_ANALYZE is not None
    copies = []
    for unit in sorted(UNITS.glob("*.service")):
        # verify insists that ExecStart exists: point it at this checkout's console script.
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text(encoding="utf-8").replace(INSTALLED_GONGKAI, str(GONGKAI)), encoding="utf-8")
        copies.append(copy)
    assert [c.name for c in copies] == ["gongkai-worker.service", "gongkai.service"]
    verify = subprocess.run([SYSTEMD_ANALYZE, "verify", *map(str, copies)], capture_output=True, text=True)
    # An unknown or misspelt directive is only a warning to systemd (exit 0): any output is a failure here.
    assert verify.returncode == 0 and verify.stdout + verify.stderr == "", verify.stdout + verify.stderr
    for copy in copies:
        security = subprocess.run(
            [SYSTEMD_ANALYZE, "security", "--offline=yes", "--no-pager", str(copy)], capture_output=True, text=True
        )
        exposure = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout + security.stderr)
        assert exposure, security.stdout + security.stderr
        assert float(exposure.group(1)) <= 2.0, f"{copy.name} exposure {exposure.group(1)}"


def test_operator_guide_points_to_the_shipped_units() -> None:
    guide = (REPO / "docs" / "operator-guide.md").read_text(encoding="utf-8")
    assert "deploy/systemd/gongkai.service" in guide and "deploy/systemd/gongkai-worker.service" in guide
    assert "[Service]\nUser=" not in guide, "the guide quotes a unit again: point to deploy/systemd/ instead"
