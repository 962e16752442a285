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


def test_logrotate_keeps_every_log_six_months() -> None:
    """网络安全法 article 21: network logs are kept for at least six months."""
    text = (REPO / "deploy" / "logrotate" / "gongkai").read_text(encoding="utf-8")
    blocks = re.findall(r"^(/[^{\n]+)\{(.*?)^\}", text, re.MULTILINE | re.DOTALL)
    assert len(blocks) == 2
    days_per_file = {"daily": 1, "weekly": 7, "monthly": 31}
    for paths, body in blocks:
        period = next(word for word in days_per_file if re.search(rf"^\s*{word}\s*$", body, re.MULTILINE))
        kept = int(re.search(r"^\s*rotate\s+(\d+)", body, re.MULTILINE).group(1))  # type: ignore[union-attr]
        assert kept * days_per_file[period] >= 183, paths
        assert not re.search(r"^\s*maxage\s", body, re.MULTILINE), paths
    guide = (REPO / "docs" / "operator-guide.md").read_text(encoding="utf-8")
    assert "deploy/logrotate/gongkai" in guide and "六个月" in guide
