"""``gongkai audit`` and ``gongkai report check --previous``: sources, output formats, exit status."""

from __future__ import annotations

import http.server
import io
import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from gongkai.reports.audit.run import audit_bytes
from gongkai.reports.document import dumps_report, parse_report
from tests.reports.audit.derive import CORPUS, SEED

HUAIAN = str(CORPUS / "2024-huaian-shi-renmin-zhengfu.pdf")


def _run(command: str, *args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=StringIO())
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_a_clean_report_exits_zero() -> None:
    code, out = _run("audit", HUAIAN)
    assert code == 0
    assert "淮安市人民政府 · 2024 年度 · 2021 年格式 · PDF：未发现问题" in out


def test_the_corpus_folder_in_json_has_the_issue_s_shape(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    shutil.copytree(CORPUS, folder)  # README.md beside the reports is not taken for one
    code, out = _run("audit", str(folder), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [Path(r["source"]).name for r in data] == [
        "2019-yinchuan-kejiju-seed.txt", "2023-huaian-hongze-qu-renmin-zhengfu.pdf",
        "2024-huaian-hongze-qu-renmin-zhengfu.pdf", "2024-huaian-shi-renmin-zhengfu.pdf",
    ]
    for report in data:
        assert set(report) == {"source", "format", "year", "organisation", "findings"}
        for finding in report["findings"]:
            assert set(finding) == {"kind", "severity", "place", "expected", "found", "message"}
            assert finding["severity"] in ("error", "warning", "uncertain")
    assert [(r["format"], r["year"]) for r in data] == [("2019", 2019), ("2021", 2023), ("2021", 2024), ("2021", 2024)]
    assert data[3]["findings"] == []


def test_a_folder_gives_one_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "审查结果.xlsx"
    code, _ = _run("audit", str(CORPUS), "--format", "xlsx", "--out", str(out))
    assert code == 1
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["报告汇总", "审查发现"]
    summary = list(workbook["报告汇总"].iter_rows(min_row=3, values_only=True))
    assert len(summary) == 4 and summary[3][-1] == "未发现问题"
    findings = list(workbook["审查发现"].iter_rows(min_row=3, values_only=True))
    assert len(findings) == sum(len(audit_bytes(p.read_bytes(), p.name).findings) for p in sorted(CORPUS.iterdir())
                                if p.suffix in (".pdf", ".txt"))
    assert workbook["审查发现"].freeze_panes == "A3"


def test_unreadable_input_exits_two_and_html_is_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "<bad>.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    code, out = _run("audit", str(bad), HUAIAN, "--format", "html")
    assert code == 2
    assert "&lt;bad&gt;.pdf" in out and "<bad>" not in out
    code, _ = _run("audit", str(tmp_path / "missing.pdf"))
    assert code == 2


def test_xlsx_needs_an_output_file() -> None:
    assert _run("audit", HUAIAN, "--format", "xlsx")[0] == 2


@pytest.fixture
def server() -> Iterator[str]:
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(CORPUS))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_addresses_are_fetched(server: str) -> None:
    code, out = _run("audit", f"{server}/2024-huaian-shi-renmin-zhengfu.pdf", f"{server}/nothing.pdf")
    assert code == 2
    assert "淮安市人民政府 · 2024 年度" in out and "网址返回错误 404" in out


def test_a_page_that_attaches_the_report_is_audited_through_the_attachment(server: str, tmp_path: Path) -> None:
    from gongkai.reports.audit.sources import attachment_of

    page = (
        '<html><body><h1>淮安市人民政府2024年政府信息公开工作年度报告</h1><p>发布日期：2025-03-20</p>'
        '<p>附件：<a href="files/2024-huaian-shi-renmin-zhengfu.pdf">淮安市人民政府2024年政府信息公开工作年度报告.pdf</a>'
        '</p><p><a href="/guide.docx">政府信息公开指南</a></p></body></html>'
    ).encode()
    assert attachment_of(page, f"{server}/notice/1.html") == f"{server}/notice/files/2024-huaian-shi-renmin-zhengfu.pdf"
    report_page = (CORPUS / SEED).read_bytes().replace(b"\n", b"<br>")
    assert attachment_of(b"<html><body>" + report_page + b'<a href="x.pdf">x</a></body></html>', server) is None


def test_the_workspace_refuses_addresses_of_this_machine(server: str) -> None:
    from gongkai.reports.audit.sources import SourceError, fetch

    with pytest.raises(SourceError, match="内部网络"):
        fetch(f"{server}/2024-huaian-shi-renmin-zhengfu.pdf", allow_private=False)


def _json_of(name: str, tmp_path: Path, replace: tuple[str, str] | None = None) -> Path:
    result = audit_bytes((CORPUS / name).read_bytes(), name)
    assert result.document is not None
    document = parse_report(result.document)
    path = tmp_path / f"{name}.json"
    text = dumps_report(document)
    if replace:
        text = text.replace(*replace)
    path.write_text(text, encoding="utf-8")
    return path


def test_report_check_takes_last_year_for_the_chains(tmp_path: Path) -> None:
    earlier = _json_of("2023-huaian-hongze-qu-renmin-zhengfu.pdf", tmp_path)
    later = _json_of("2024-huaian-hongze-qu-renmin-zhengfu.pdf", tmp_path)
    code, out = _run("report", "check", str(later), "--previous", str(earlier))
    assert "[cross_year]" not in out  # 0 carried either way; 5 + 3 − 0 = 8 normative documents in force
    data = json.loads(earlier.read_text(encoding="utf-8"))
    data["tables"]["t2"]["normative_documents"]["in_force"] = 4
    earlier.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out = _run("report", "check", str(later), "--previous", str(earlier))
    assert code == 1
    assert "[cross_year] identity=C2 table=t2 row=normative_documents expected=4 found=5" in out
    assert _run("report", "check", str(later), "--previous", str(later))[0] == 2  # not last year's


def test_a_rebuilt_report_with_placeholders_is_valid_json_for_report_check(tmp_path: Path) -> None:
    text = (CORPUS / SEED).read_text(encoding="utf-8").replace("其他对外管理服务事项\t1\t0\t1940", "其他对外管理服务事项\t1\t/\t1940")
    result = audit_bytes(text.encode(), "seed.txt")
    assert result.document is not None and result.document["unstated"] == {"t2": {"other_services": {"change": "/"}}}
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(result.document, ensure_ascii=False), encoding="utf-8")
    code, out = _run("report", "check", str(path))
    assert code == 1 and "[unstated]" in out and "other_services" in out


def test_json_output_is_valid_utf8_with_chinese() -> None:
    code, out = _run("audit", str(CORPUS / SEED), "--format", "json")
    assert code == 1 and "银川市科学技术局" in out
    assert json.load(io.StringIO(out))[0]["organisation"] == "银川市科学技术局"
