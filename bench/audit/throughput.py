"""Reports per second audited, by input kind (``gongkai audit``'s work without the printing).

    .venv/bin/python bench/audit/throughput.py [--rounds 5] [--bounded]

The inputs are the real reports in tests/reports/audit/corpus (three PDFs, the seed as text) and the same
reports made into text, HTML (with and without table markup) and DOCX the way the tests make them. Each
round audits every input of a kind once; the figure is reports per second over the round, median of the
rounds (min and max beside it). ``--bounded`` goes through the per-file time bound (a forked worker reused
across files), as the command and the workspace do.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def inputs() -> dict[str, list[tuple[str, bytes]]]:
    from tests.reports.audit.derive import CORPUS, KINDS, REAL_PDFS, SEED, real_layout

    kinds: dict[str, list[tuple[str, bytes]]] = {"pdf": [(n, (CORPUS / n).read_bytes()) for n in REAL_PDFS]}
    layouts = {name: real_layout(name) for name in [*REAL_PDFS, SEED]}
    for kind in ("text", "html-table", "html-plain", "docx"):
        kinds[kind] = [(f"{name}.{kind}", KINDS[kind](layout)) for name, layout in layouts.items()]
    return kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--bounded", action="store_true", help="through the per-file time bound (forked worker)")
    args = parser.parse_args()

    import django

    django.setup()
    from gongkai.reports.audit.isolation import BoundedAuditor
    from gongkai.reports.audit.run import audit_bytes

    auditor = BoundedAuditor() if args.bounded else None
    judge = auditor or audit_bytes
    print(f"| input | reports | reports/s (median of {args.rounds}) | min | max |")
    print("|---|---|---|---|---|")
    for kind, items in inputs().items():
        for source, data in items:  # warm: imports, format specs, the worker
            judge(data, source)
        rates = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            for source, data in items:
                judge(data, source)
            rates.append(len(items) / (time.perf_counter() - started))
        print(f"| {kind} | {len(items)} | {statistics.median(rates):.1f} | {min(rates):.1f} | {max(rates):.1f} |")
    if auditor is not None:
        auditor.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
