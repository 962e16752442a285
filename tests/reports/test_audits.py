"""Auditing a batch of published reports in the workspace: who may, what is stored, results, xlsx, dashboard."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from gongkai.orgs.models import Role
from gongkai.reports import selectors, services
from gongkai.reports.models import AuditBatch, AuditedReport
from tests.reports.factories import make_org, member

CORPUS = Path(__file__).parent / "audit" / "corpus"
NAMES = [
    "2023-huaian-hongze-qu-renmin-zhengfu.pdf", "2024-huaian-hongze-qu-renmin-zhengfu.pdf",
    "2024-huaian-shi-renmin-zhengfu.pdf", "2019-yinchuan-kejiju-seed.txt",
]


def _upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else (CORPUS / name).read_bytes())


@pytest.fixture
def tree(db: None, make_user: Any) -> dict[str, Any]:
    province = make_org("js", "江苏省人民政府")
    city = make_org("ha", "淮安市人民政府", parent=province)
    hongze = make_org("hz", "淮安市洪泽区人民政府", parent=city)
    office = make_org("hzb", "淮安市洪泽区人民政府办公室", parent=hongze)
    return {
        "province": province, "city": city, "hongze": hongze, "office": office,
        "admin": member(make_user("ha-admin"), city, Role.ADMIN),
        "editor": member(make_user("ha-editor"), city, Role.EDITOR),
    }


def _batch(tree: dict[str, Any], *files: SimpleUploadedFile, addresses: tuple[str, ...] = ()) -> AuditBatch:
    return services.create_audit_batch(tree["admin"], tree["city"], files=list(files), addresses=list(addresses))


def test_a_supervisor_audits_a_batch_and_each_report_is_judged(
    tree: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        batch = _batch(tree, *(_upload(n) for n in NAMES))
    assert len(callbacks) == 1  # the worker is asked once the batch has committed
    assert batch.status == AuditBatch.Status.PENDING and batch.reports.count() == 4
    services.run_audit_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == AuditBatch.Status.DONE and batch.finished_at is not None
    reports = {r.source: r for r in selectors.audited_reports_of(batch)}
    hz23, hz24, ha, seed = (reports[n] for n in NAMES)
    assert (hz23.organisation_name, hz23.year, hz23.edition, hz23.input_kind) == ("洪泽区人民政府", 2023, "2021", "pdf")
    assert (hz23.errors, hz23.warnings, hz23.uncertain) == (2, 1, 0)
    assert (hz24.errors, hz24.warnings) == (1, 1)
    assert (ha.errors, ha.warnings, ha.findings) == (0, 0, [])
    assert (seed.errors, seed.year, seed.edition) == (3, 2019, "2019")
    # Names as printed are matched to the organisations below the supervisor.
    assert hz23.matched_organisation == tree["hongze"] and hz24.matched_organisation == tree["hongze"]
    assert ha.matched_organisation is None and seed.matched_organisation is None
    assert services.run_audit_batch(batch.pk).status == AuditBatch.Status.DONE  # running again changes nothing


def test_only_an_administrator_of_an_organisation_above_may_audit(tree: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.create_audit_batch(tree["editor"], tree["city"], files=[_upload(NAMES[2])], addresses=[])
    with pytest.raises(PermissionDenied):
        services.create_audit_batch(tree["admin"], tree["province"], files=[_upload(NAMES[2])], addresses=[])
    assert not AuditBatch.objects.exists()


def test_a_batch_with_one_bad_file_stores_nothing(tree: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    bad = [
        _upload("程序.pdf", b"MZ\x90\x00" + b"\x00" * 400),  # an executable named .pdf
        _upload("report.txt", (CORPUS / NAMES[0]).read_bytes()),  # a PDF named .txt
        _upload("empty.pdf", b""),
    ]
    for upload in bad:
        with pytest.raises(ValidationError) as refused:
            _batch(tree, _upload(NAMES[2]), upload)
        assert upload.name in " ".join(refused.value.messages)
    with pytest.raises(ValidationError, match="http"):
        _batch(tree, _upload(NAMES[2]), addresses=("ftp://example.test/report.pdf",))
    with pytest.raises(ValidationError, match="请上传"):
        _batch(tree)
    assert not AuditBatch.objects.exists() and not AuditedReport.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_addresses_are_fetched_by_the_worker_and_private_ones_refused(
    tree: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[tuple[str, bool]] = []

    def fake_fetch(url: str, *, allow_private: bool = True) -> tuple[bytes, str]:
        fetched.append((url, allow_private))
        return (CORPUS / NAMES[2]).read_bytes(), url

    monkeypatch.setattr(services, "fetch_report", fake_fetch)
    batch = _batch(tree, addresses=("https://www.huaian.gov.cn/report-2024.html", "http://127.0.0.1/x.pdf"))
    services.run_audit_batch(batch.pk)
    assert fetched == [("https://www.huaian.gov.cn/report-2024.html", False), ("http://127.0.0.1/x.pdf", False)]
    assert [r.organisation_name for r in selectors.audited_reports_of(batch)] == ["淮安市人民政府"] * 2


def test_pages_download_and_dashboard(tree: dict[str, Any], client: Client, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(tree["admin"])
    page = client.get("/workspace/reports/ha/audits/")
    assert page.status_code == 200 and "审查已发布的年度报告" in page.content.decode()
    response = client.post("/workspace/reports/ha/audits/", {
        "title": "2024年度区县报告", "reports": [_upload(n) for n in NAMES], "addresses": "",
    })
    batch = AuditBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workspace/reports/ha/audits/{batch.pk}/"
    waiting = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "已完成 0 / 4" in waiting
    services.run_audit_batch(batch.pk)
    done = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert "I3（行政复议" in done and "受理政府信息公开申请17件" in done and "未发现问题" in done
    xlsx = client.get(f"/workspace/reports/ha/audits/{batch.pk}/results.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(list(book["报告汇总"].iter_rows(min_row=3))) == 4
    assert len(list(book["审查发现"].iter_rows(min_row=3))) == 2 + 1 + 1 + 1 + 3
    board = selectors.dashboard(tree["city"], 2024)
    hongze = next(r for r in board.rows if r.organisation == tree["hongze"])
    assert hongze.audited is not None and hongze.audited.figures["applications"] == 95
    assert [r.report.organisation_name for r in board.external] == ["淮安市人民政府"]
    dashboard = client.get("/workspace/reports/ha/2024/dashboard/").content.decode()
    assert "已发布报告（审查所得）" in dashboard and "审查所得的其他单位报告" in dashboard


def test_other_users_cannot_see_a_batch(tree: dict[str, Any], client: Client, make_user: Any) -> None:
    batch = _batch(tree, _upload(NAMES[2]))
    client.force_login(tree["editor"])
    assert client.get("/workspace/reports/ha/audits/").status_code == 403
    assert client.get(f"/workspace/reports/ha/audits/{batch.pk}/").status_code == 403
    outsider = member(make_user("hz-admin"), tree["hongze"], Role.ADMIN)
    client.force_login(outsider)
    assert client.get(f"/workspace/reports/ha/audits/{batch.pk}/").status_code == 404
    assert client.get(f"/workspace/reports/hz/audits/{batch.pk}/").status_code == 404
