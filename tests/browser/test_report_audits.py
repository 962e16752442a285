"""A supervisor uploads a folder of published reports, waits for the audit, reads the findings, downloads
them as xlsx and sees the audited reports on the dashboard."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.reports.models import AuditBatch
from gongkai.reports.services import run_audit_batch
from tests.accounts.factories import enrol
from tests.browser.login import log_in

PASSWORD = "browser-test-password-1"
CORPUS = Path(__file__).resolve().parents[1] / "reports" / "audit" / "corpus"


@pytest.fixture
def city(transactional_db: Any) -> Organisation:
    city = Organisation.objects.create(name="淮安市人民政府", code="ha", index_code="HA")
    Organisation.objects.create(name="淮安市洪泽区人民政府", code="hz", index_code="HZ", parent=city)
    user = get_user_model().objects.create_user(username="supervisor", password=PASSWORD)
    Membership.objects.create(user=user, organisation=city, role=Role.ADMIN)
    enrol(user)  # administrators log in with a second factor
    return city


def test_supervisor_audits_a_batch_end_to_end(page: Any, city: Organisation, screenshot: Any) -> None:
    log_in(page, "supervisor", PASSWORD)
    page.wait_for_url(re.compile(r"/workspace/$"))
    page.goto("/workspace/reports/")
    page.get_by_role("link", name="审查已发布的年度报告").click()
    page.get_by_label("批次名称").fill("2024年度区县报告")
    page.get_by_label("报告文件").set_input_files(sorted(str(p) for p in CORPUS.iterdir() if p.suffix != ".md"))
    page.get_by_role("button", name="提交审查").click()
    page.get_by_text("报告已提交，正在后台逐份审查。").wait_for()
    screenshot("submitted")

    # Tests run the worker's task as the batch commits; a real worker does it moments later.
    assert run_audit_batch(AuditBatch.objects.get().pk).status == AuditBatch.Status.DONE
    page.reload()
    page.get_by_role("link", name="下载审查结果（Excel）").wait_for()
    body = page.content()
    assert "I3（行政复议" in body and "受理政府信息公开申请17件" in body and "324" in body
    screenshot("results")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载审查结果（Excel）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx") and "年度报告审查结果" in download.suggested_filename
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(list(book["报告汇总"].iter_rows(min_row=3))) == 4

    page.goto("/workspace/reports/ha/2024/dashboard/")
    page.get_by_text("已发布报告（审查所得）").wait_for()
    assert "审查所得的其他单位报告" in page.content()
    screenshot("dashboard")
