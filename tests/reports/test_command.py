from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed_2019.json"
HUAIAN = FIXTURES / "huaian_2024.json"


def _run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("report", *args, stdout=out, stderr=StringIO())
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def _broken(tmp_path: Path) -> Path:
    """淮安 2024 with one broken identity: 行政复议 总计 350 ≠ 72+64+178+37 (the prose says 350 too)."""
    data = json.loads(HUAIAN.read_text("utf-8"))
    data = copy.deepcopy(data)
    data["tables"]["t4"]["counts"]["review_total"] = 350
    data["sections"]["一"]["text"] = data["sections"]["一"]["text"].replace(
        "行政复议 351件", "行政复议 350件"
    )
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_clean_report_exits_zero() -> None:
    code, out = _run("check", str(HUAIAN))
    assert code == 0 and "全部检查通过" in out


def test_seed_fails_with_its_defects() -> None:
    code, out = _run("check", str(SEED))
    assert code == 1
    assert "[missing_section] section=四 table=t4" in out
    assert "row=withheld_enforcement_files" in out and "row=carried_forward" in out
    assert "expected=324 found=314" in out


def test_broken_identity_is_named(tmp_path: Path) -> None:
    code, out = _run("check", str(_broken(tmp_path)))
    assert code == 1
    assert "identity=I3 section=四 table=t4 row=counts column=review_total expected=351 found=350" in out
    # The prose, adjusted to say 350, now lists parts adding to 351: that is caught too.
    assert "[enumeration]" in out and "2 项检查未通过" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), ('{"format": "2021", "year": 2024}', "organisation")],
)
def test_malformed_file_exits_two(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out = _run("check", str(path))
    assert code == 2 and message in out


def test_missing_file_and_missing_action_exit_two(tmp_path: Path) -> None:
    assert _run("check", str(tmp_path / "none.json"))[0] == 2
    assert _run()[0] == 2
    assert _run("check")[0] == 2


def test_render_writes_files(tmp_path: Path) -> None:
    for fmt in ("html", "md", "json", "docx"):
        out = tmp_path / f"r.{fmt}"
        assert _run("render", str(SEED), "--format", fmt, "--out", str(out))[0] == 0
        assert out.stat().st_size > 1000
    assert _run("render", str(SEED), "--format", "docx")[0] == 2  # binary needs --out
    code, out = _run("render", str(SEED), "--format", "md")
    assert code == 0


def test_console_script_exit_status(tmp_path: Path) -> None:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path)}
    script = [sys.executable, "-m", "gongkai", "report", "check"]
    assert subprocess.run([*script, str(HUAIAN)], env=env, capture_output=True).returncode == 0
    broken = subprocess.run([*script, str(_broken(tmp_path))], env=env, capture_output=True, text=True)
    assert broken.returncode == 1 and "identity=I3" in broken.stdout
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert subprocess.run([*script, str(bad)], env=env, capture_output=True).returncode == 2
