"""``gongkai report``: check and render annual reports (年度报告).

    gongkai report check FILE.json [--previous LAST.json] # exit 0 clean, 1 failures, 2 malformed
    gongkai report render FILE.json --format pdf --out report.pdf
    gongkai report --org CODE --year YYYY [--format json|html|md|docx|pdf|xlsx] [--out FILE] [--edition 2019|2021]

The build form prints (or writes) the organisation's published report on that year if there is one, else a
report computed fresh from the platform's data; its warnings go to standard error. Unknown organisation,
bad year or edition: exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.reports.check import Failure, check_report
from gongkai.reports.document import ReportDocument, ReportValidationError, load_report
from gongkai.reports.render import OUTPUT_FORMATS, render
from gongkai.reports.spec import DISCLOSURE, available_editions

EXIT_FAILURES = 1
EXIT_MALFORMED = 2
BINARY_FORMATS = frozenset({"docx", "pdf", "xlsx"})


def _describe(failure: Failure) -> str:
    where = " ".join(
        f"{name}={value}"
        for name, value in (
            ("identity", failure.identity),
            ("section", failure.section),
            ("table", failure.table),
            ("row", failure.row),
            ("column", failure.column),
            ("expected", failure.expected),
            ("found", failure.found),
        )
        if value is not None
    )
    return f"[{failure.kind}] {where}\n    {failure.message}"


class Command(BaseCommand):
    help = gettext_lazy("检查或输出政府信息公开工作年度报告。Check or render an annual report from its JSON form.")  # type: ignore[assignment]
    # Works on files alone: no database or URL configuration is needed, so none is checked.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["check", "render"],
            help=gettext("check: 校验勾稽关系等; render: 输出为其他格式"),
        )
        parser.add_argument("file", nargs="?", help=gettext("年度报告 JSON 文件 (the report's JSON form)"))
        parser.add_argument(
            "--format", dest="output_format", choices=OUTPUT_FORMATS, default="json", help=gettext("输出格式 (render)")
        )
        parser.add_argument("--out", help=gettext("输出文件；省略则写到标准输出 (binary formats need --out)"))
        parser.add_argument("--org", help=gettext("机构代码 (build form, from the platform's data)"))
        parser.add_argument("--year", type=int, help=gettext("报告年度 (build form)"))
        parser.add_argument("--edition", choices=available_editions(), help=gettext("报告格式版本 (build form)"))
        parser.add_argument(
            "--previous", help=gettext("上一年度报告的 JSON 文件 (check: 跨年度衔接，如上年结转下年度 = 本年上年结转)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action is None:
            if options["org"] is None and options["year"] is None:
                raise CommandError(
                    gettext("请指定操作：report check FILE.json、report render FILE.json --format … --out …，"
                            "或 report --org 机构代码 --year 年度"),
                    returncode=EXIT_MALFORMED,
                )
            self._build(options)
            return
        if options["org"] is not None or options["year"] is not None:
            raise CommandError(gettext("report %(action)s 不接受 --org/--year") % {"action": action},
                               returncode=EXIT_MALFORMED)
        if not options["file"]:
            raise CommandError(gettext("report %(action)s 需要一个 JSON 文件") % {"action": action},
                               returncode=EXIT_MALFORMED)
        report = self._load(options["file"])
        if action == "check":
            previous = self._load(options["previous"]) if options["previous"] else None
            self._check(report, previous)
        else:
            self._render(report, options["output_format"], options["out"])

    def _build(self, options: dict[str, Any], family: str = DISCLOSURE) -> None:
        from gongkai.orgs.selectors import organisation_by_code
        from gongkai.reports.compute import ComputeError
        from gongkai.reports.selectors import report_or_computed

        code, year = options["org"], options["year"]
        if not code:
            raise CommandError(gettext("--org: 请指定机构代码"), returncode=EXIT_MALFORMED)
        if year is None:
            raise CommandError(gettext("--year: 请指定报告年度"), returncode=EXIT_MALFORMED)
        org = organisation_by_code(code)
        if org is None:
            raise CommandError(gettext("--org: 没有代码为 %(code)r 的机构") % {"code": code}, returncode=EXIT_MALFORMED)
        try:
            report, notes = report_or_computed(org, year, options.get("edition"), family=family)
        except ComputeError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}", returncode=EXIT_MALFORMED) from exc
        for note in notes:
            self.stderr.write(gettext("注意：%(note)s") % {"note": note})
        self._render(report, options["output_format"], options["out"])

    def _load(self, path: str) -> ReportDocument:
        try:
            return load_report(path)
        except ReportValidationError as exc:
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                gettext("%(path)s 不是有效的年度报告 JSON：\n%(errors)s") % {"path": path, "errors": lines},
                returncode=EXIT_MALFORMED,
            ) from exc

    def _check(self, report: ReportDocument, previous: ReportDocument | None) -> None:
        failures = check_report(report)
        for failure in failures:
            self.stdout.write(_describe(failure))
        chain_findings = []
        if previous is not None:
            from gongkai.reports.audit.checks import check_chains

            if previous.year != report.year - 1:
                raise CommandError(
                    gettext("--previous 是 %(year)s 年度的报告，应为 %(expected)s 年度") % {
                        "year": previous.year, "expected": report.year - 1}, returncode=EXIT_MALFORMED,
                )
            chain_findings = check_chains(previous, report)
            for finding in chain_findings:
                where = " ".join(f"{k}={v}" for k, v in finding.place.as_dict().items() if k in ("table", "row", "column"))
                self.stdout.write(
                    f"[cross_year] identity={finding.rule} {where} expected={finding.expected} found={finding.found}\n"
                    f"    {finding.message}"
                )
        if failures or chain_findings:
            count = len(failures) + len(chain_findings)
            raise CommandError(gettext("%(title)s：%(count)s 项检查未通过") % {"title": report.title, "count": count},
                               returncode=EXIT_FAILURES)
        self.stdout.write(gettext("%(title)s：全部检查通过") % {"title": report.title})

    def _render(self, report: ReportDocument, output_format: str, out: str | None) -> None:
        data = render(report, output_format)
        if out:
            Path(out).write_bytes(data)
            self.stderr.write(gettext("已写入 %(path)s（%(size)s 字节）") % {"path": out, "size": len(data)})
        elif output_format in BINARY_FORMATS:
            raise CommandError(
                gettext("%(format)s 是二进制格式，请用 --out 指定文件") % {"format": output_format},
                returncode=EXIT_MALFORMED,
            )
        else:
            self.stdout.flush()
            sys.stdout.write(data.decode("utf-8"))
