"""Computing reports from the platform: catalog counts, staff figures, application figures, drafted prose."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gongkai.catalog.models import Item
from gongkai.catalog.selectors import interpretation_counts, normative_counts, published_counts_by_column
from gongkai.reports import sources
from gongkai.reports.check import check_enumerations, check_identities, check_prose_facts, check_report
from gongkai.reports.compute import ComputeError, compute_report
from gongkai.reports.document import dumps_report, loads_report
from gongkai.reports.models import StaffFigures
from tests.reports.factories import add_channel, at, golden, make_column, make_item, make_org

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def bureau(db: None) -> dict[str, Any]:
    city = make_org("city", "明川市人民政府", kind="government")
    org = make_org("kjj", "明川市科学技术局", parent=city, office_name="办公室", address="北辰路166号", phone="0000-1")
    child = make_org("xkjj", "西岭县科学技术局", parent=org)
    news = make_column(org, "gzdt", "工作动态", sort_order=1)
    policies = make_column(org, "zcwj", "政策文件", sort_order=2)
    interp = make_column(org, "zcjd", "政策解读", sort_order=3)
    child_col = make_column(child, "dt", "动态")
    norm: dict[str, Any] = {"is_normative": True, "is_policy": True, "validity": Item.Validity.VALID}
    made_2024 = make_item(policies, "2024年制发", at(2024, 3), written_on=dt.date(2024, 2, 20), **norm)
    make_item(policies, "2023年成文、2024年发布", at(2024, 1, 10), written_on=dt.date(2023, 12, 28), **norm)
    old = make_item(policies, "2022年发布、2024年废止", at(2022, 5), written_on=dt.date(2022, 5, 1),
                    is_normative=True, validity=Item.Validity.ABOLISHED, abolished_on=dt.date(2024, 9, 1))
    make_item(policies, "2021年发布、仍有效", at(2021, 5), **norm)
    make_item(policies, "已失效但无日期", at(2021, 6), is_normative=True, validity=Item.Validity.EXPIRED)
    make_item(policies, "2024年到期", at(2020, 6), expires_on=dt.date(2024, 12, 31), **norm)
    make_item(policies, "撤稿的规范性文件", at(2024, 4), live=False, **norm)
    make_item(child_col, "下级机关的规范性文件", at(2024, 4), **norm)
    make_item(policies, "2025年制发", at(2025, 2), **norm)
    for i in range(3):
        make_item(news, f"动态{i}", at(2024, 4, i + 1))
    make_item(interp, "文字解读", at(2024, 3, 2), interprets=made_2024, interpretation_form="text")
    make_item(interp, "一图读懂", at(2024, 3, 3), interprets=made_2024, interpretation_form="graphic")
    make_item(interp, "未标形式的解读", at(2024, 3, 4), interprets=made_2024)
    add_channel(made_2024, "wechat", dt.date(2024, 3, 1))
    add_channel(made_2024, "city_portal", dt.date(2024, 3, 1))
    return {"city": city, "org": org, "child": child, "old": old}


def test_normative_counts_follow_publication_abolition_and_expiry(bureau: dict[str, Any]) -> None:
    counts = normative_counts(bureau["org"], 2024)
    assert counts.issued == 2  # published in 2024; the withdrawn one and the child's do not count
    assert counts.made == 1  # written in 2024
    assert counts.repealed == 1
    # in force at 2024-12-31: 2024×2 + 2021 still valid; not the abolished, the dateless expired, the expired
    assert counts.in_force == 3
    before = normative_counts(bureau["org"], 2023)
    assert (before.issued, before.repealed, before.in_force) == (0, 0, 3)  # 2022 one, 2021 one, 2020 one


def test_items_by_column_and_interpretations_by_form(bureau: dict[str, Any]) -> None:
    assert published_counts_by_column(bureau["org"], 2024) == [("工作动态", 3), ("政策文件", 2), ("政策解读", 3)]
    assert interpretation_counts(bureau["org"], 2024) == {"text": 2, "graphic": 1}


def test_computed_2021_report_reads_catalog_and_staff_figures(bureau: dict[str, Any]) -> None:
    StaffFigures.objects.create(
        organisation=bureau["org"], year=2024, rules_issued=1, rules_in_force=4, licensing_decisions=120,
        penalty_decisions=7, enforcement_decisions=2, fees_amount_wan=Decimal("12.3456"),
    )
    result = compute_report(bureau["org"], 2024, today=TODAY)
    doc = result.document
    assert doc.format.edition == "2021" and doc.organisation.code == "kjj"
    assert doc.tables["t2"]["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 3}
    assert doc.tables["t2"]["rules"] == {"issued": 1, "repealed": 0, "in_force": 4}
    assert doc.value("t2", "licensing", "decisions") == 120
    assert doc.value("t2", "fees", "amount_wan") == Decimal("12.3456")
    text = doc.text("一")
    assert "全年共主动公开政府信息8条，其中工作动态3条、政策文件2条、政策解读3条" in text
    assert "政府门户网站发布1条、政务微信发布1条" in text
    assert "制发行政规范性文件2件，废止1件，截至2024年底现行有效3件" in text
    assert "共发布政策解读3件，其中文字解读2件、图文解读1件" in text
    assert "办公室" in doc.preamble and "明川市科学技术局办公室" in doc.preamble
    failures = check_report(doc)
    assert [(f.kind, f.section) for f in failures] == [("missing_section", "五")]
    assert any("第五部分" in w for w in result.warnings)
    # The JSON form round-trips through validation.
    assert loads_report(dumps_report(doc)).tables == doc.tables


def test_2019_edition_on_demand_uses_stock_figures(bureau: dict[str, Any]) -> None:
    StaffFigures.objects.create(
        organisation=bureau["org"], year=2024, rules_issued=1, rules_in_force=4, licensing_prior_items=30,
        licensing_change=-2, procurement_projects=3, procurement_amount_wan=Decimal("52.15"),
    )
    result = compute_report(bureau["org"], 2024, "2019", today=TODAY)
    doc = result.document
    assert doc.format.edition == "2019"
    assert doc.tables["t2"]["normative_documents"] == {"made": 1, "published": 2, "total_public": 3}
    assert doc.tables["t2"]["rules"] == {"made": 1, "published": 1, "total_public": 4}
    assert doc.tables["t2"]["licensing"]["change"] == -2
    assert doc.value("t2", "procurement", "amount") == Decimal("52.15")
    assert any("2019 版格式" in w for w in result.warnings)
    assert loads_report(dumps_report(doc)).format.edition == "2019"


def _figures() -> sources.ApplicationFigures:
    t3: dict[str, dict[str, int]] = {
        "new": {"natural_person": 20, "commercial": 3, "legal_services": 2},
        "carried_over": {"natural_person": 2},
        "disclosed": {"natural_person": 9, "commercial": 2},
        "partly_disclosed": {"natural_person": 3},
        "withheld_third_party": {"natural_person": 1},
        "unavailable_not_held": {"natural_person": 4, "legal_services": 1},
        "not_processed_repeat": {"natural_person": 1},
        "other_no_correction": {"natural_person": 1},
        "other_fee_unpaid": {"commercial": 1},
        "other_misc": {"legal_services": 1},
        "carried_forward": {"natural_person": 3},
    }
    t3 = {row: {c: cells.get(c, 0) for c in sources.APPLICANT_COLUMNS} for row, cells in t3.items()}
    t4 = {f"{k}_{o}": 0 for k in sources.APPEAL_KINDS for o in sources.APPEAL_OUTCOMES}
    t4.update(review_upheld=2, review_pending=1, direct_corrected=1, after_review_other=1)
    return sources.ApplicationFigures(t3=t3, t4=t4, fees_yuan=Decimal("150"))


@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_application_figures_fill_tables_three_and_four(
    bureau: dict[str, Any], monkeypatch: pytest.MonkeyPatch, edition: str
) -> None:
    monkeypatch.setattr(sources, "application_figures", lambda org, year: _figures())
    doc = compute_report(bureau["org"], 2024, edition, today=TODAY).document
    t3, counts = doc.tables["t3"], doc.tables["t4"]["counts"]
    assert t3["new"]["total"] == 25 and t3["carried_over"]["total"] == 2
    assert t3["results_total"]["total"] == 24 and t3["results_total"]["natural_person"] == 19
    if edition == "2019":
        assert t3["other_processing"] == {**{c: 0 for c in sources.APPLICANT_COLUMNS},
                                          "natural_person": 1, "commercial": 1, "legal_services": 1, "total": 3}
    else:
        assert t3["other_fee_unpaid"]["total"] == 1
    assert counts["review_total"] == 3 and counts["direct_total"] == 1 and counts["after_review_total"] == 1
    assert check_identities(doc) == []
    # The drafted prose states the table's figures, and its lists add up.
    assert check_prose_facts(doc) == [] and check_enumerations(doc) == []
    text = doc.text("一")
    assert "本年新收政府信息公开申请25件，其中自然人20件、商业企业3件、法律服务机构2件" in text
    assert "本年度办结24件，其中予以公开11件、部分公开3件、不予公开1件、无法提供5件、不予处理1件、其他处理3件" in text
    assert "被申请行政复议3件，其中结果维持2件" in text and "被提起行政诉讼2件" in text
    assert "150元" in doc.text("六")


def test_inconsistent_application_figures_fail_identity_e1(
    bureau: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = _figures()
    figures.t3["carried_forward"]["natural_person"] = 5  # two more than were left open
    monkeypatch.setattr(sources, "application_figures", lambda org, year: figures)
    doc = compute_report(bureau["org"], 2024, today=TODAY).document
    failing = {(f.identity, f.column) for f in check_identities(doc)}
    assert failing == {("E1", "natural_person"), ("E1", "total")}


def test_a_year_without_data_is_an_all_zero_report_with_a_warning(bureau: dict[str, Any]) -> None:
    result = compute_report(bureau["child"], 2019, today=TODAY)
    doc = result.document
    assert all(v == 0 for t in doc.tables.values() for cells in t.values() for v in cells.values())
    assert any("的任何数据" in w for w in result.warnings), result.warnings
    assert check_identities(doc) == []
    assert "本年未收到政府信息公开申请" in doc.text("一")
    assert check_prose_facts(doc) == []


def test_own_organisation_only(bureau: dict[str, Any]) -> None:
    doc = compute_report(bureau["city"], 2024, today=TODAY).document
    assert doc.tables["t2"]["normative_documents"]["issued"] == 0
    assert "未通过政府信息公开平台主动公开政府信息" in doc.text("一")


@pytest.mark.parametrize(
    ("year", "edition", "field"),
    [(2027, None, "year"), (2007, None, "year"), (2019, "2021", "edition"), (2024, "1999", "edition")],
)
def test_bad_year_or_edition_is_an_error_naming_the_field(
    bureau: dict[str, Any], year: int, edition: str | None, field: str
) -> None:
    with pytest.raises(ComputeError) as exc:
        compute_report(bureau["org"], year, edition, today=TODAY)
    assert exc.value.field == field


def test_the_current_year_is_computed_with_a_warning(bureau: dict[str, Any]) -> None:
    result = compute_report(bureau["org"], 2026, today=TODAY)
    assert any("尚未结束" in w for w in result.warnings)


# --- golden outputs: the statutory formats' computed reports, byte for byte -------------------------------------

@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_computed_reports_equal_their_golden_copies(
    bureau: dict[str, Any], monkeypatch: pytest.MonkeyPatch, edition: str
) -> None:
    StaffFigures.objects.create(
        organisation=bureau["org"], year=2024, rules_issued=1, rules_repealed=1, rules_in_force=4,
        licensing_decisions=120, penalty_decisions=7, enforcement_decisions=2, fees_amount_wan=Decimal("12.3456"),
        licensing_prior_items=30, licensing_change=-2, other_services_prior_items=5, other_services_change=1,
        other_services_decisions=40, penalty_prior_items=60, penalty_change=3, enforcement_prior_items=4,
        enforcement_change=-1, fee_items_prior=2, fee_items_change=0, procurement_projects=3,
        procurement_amount_wan=Decimal("52.15"),
    )
    monkeypatch.setattr(sources, "application_figures", lambda org, year: _figures())
    result = compute_report(bureau["org"], 2024, edition, today=TODAY)
    golden(f"bureau_2024_f{edition}.json", dumps_report(result.document))
    golden(f"bureau_2024_f{edition}.warnings.txt", "\n".join(result.warnings) + "\n")
    empty = compute_report(bureau["child"], 2020 if edition == "2019" else 2021, today=TODAY)
    golden(f"empty_f{edition}.json", dumps_report(empty.document))
    golden(f"empty_f{edition}.warnings.txt", "\n".join(empty.warnings) + "\n")


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_every_row_the_applications_app_counts_has_a_place_in_the_format(edition: str) -> None:
    from gongkai.applications.selectors import count_t3
    from gongkai.reports.spec import load_format

    fmt = load_format(edition)
    named = set()
    for source in fmt.sources["t3"].values():
        for name in source if isinstance(source, tuple) else (source,):
            assert isinstance(name, str)
            named.add(name.removeprefix("applications.t3."))
    assert set(count_t3([], 2024)) - {"results_total"} <= named
