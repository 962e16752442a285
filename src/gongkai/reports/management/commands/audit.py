"""``gongkai audit``: read published annual reports and find their defects (年度报告审查).

    gongkai audit PATH... [--format text|json|html|xlsx] [--out FILE] [--timeout SECONDS]

PATH may be a file (text, HTML, DOCX, PDF), a folder (its .pdf/.docx/.html/.txt files) or an http(s) address.
Exit 0: every report read and nothing found; 1: findings; 2: some source could not be read as a report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.reports.audit.findings import AuditResult, unreadable
from gongkai.reports.audit.isolation import DEFAULT_TIMEOUT, BoundedAuditor
from gongkai.reports.audit.output import OUTPUT_FORMATS, render
from gongkai.reports.audit.run import add_chains, exit_status
from gongkai.reports.audit.sources import SourceError, expand, fetch_report, is_address, read_file


class Command(BaseCommand):
    help = gettext_lazy("审查已发布的政府信息公开工作年度报告（文本、网页、DOCX、PDF 或网址）。Audit published annual reports.")  # type: ignore[assignment]
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help=gettext("文件、文件夹或 http(s) 网址"))
        parser.add_argument("--format", dest="output_format", choices=OUTPUT_FORMATS, default="text", help=gettext("输出格式"))
        parser.add_argument("--out", help=gettext("输出文件；省略则写到标准输出（xlsx 必须指定）"))
        parser.add_argument(
            "--timeout", type=float, default=DEFAULT_TIMEOUT,
            help=gettext("每份报告的读取时限（秒，默认 %(default)g）"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output_format, out = options["output_format"], options["out"]
        if output_format == "xlsx" and not out:
            raise CommandError(gettext("xlsx 是二进制格式，请用 --out 指定文件"), returncode=2)
        if options["timeout"] <= 0:
            raise CommandError(gettext("--timeout 必须大于 0"), returncode=2)
        sources = list(expand(options["paths"]))
        if not sources:
            raise CommandError(gettext("没有找到可审查的文件"), returncode=2)
        results: list[AuditResult] = []
        with BoundedAuditor(timeout=options["timeout"]) as auditor:
            for source in sources:
                try:
                    data, read_from = fetch_report(source) if is_address(source) else (read_file(source), source)
                except SourceError as exc:
                    results.append(unreadable(source, str(exc)))
                    continue
                # A page that only attaches the report is audited through the attachment, named as such.
                results.append(auditor(data, source if read_from == source else f"{source} → {read_from}"))
        add_chains(results)
        data = render(results, output_format)
        if out:
            Path(out).write_bytes(data)
            self.stderr.write(gettext("已写入 %(path)s（%(count)s 份报告）") % {"path": out, "count": len(results)})
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
        status = exit_status(results)
        if status:
            raise CommandError(
                gettext("有无法审查的报告") if status == 2 else gettext("发现问题"), returncode=status
            )
