"""Levels below a supervisor (层级): read from depth and kind, named by the top government's tier."""

from __future__ import annotations

import pytest

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import descendants_by_level, level_of, supervising_organisations, top_of
from tests.portal.factories import make_org
from tests.reports.factories import member

GOV, DEPT = Organisation.Kind.GOVERNMENT, Organisation.Kind.DEPARTMENT


@pytest.fixture
def tree(db: None) -> dict[str, Organisation]:
    city = make_org("city", "明川市人民政府", kind=GOV)
    kjj = make_org("kjj", "明川市科学技术局", city, kind=DEPT)
    county = make_org("xlx", "西岭县人民政府", city, kind=GOV)
    return {
        "city": city, "kjj": kjj, "county": county,
        "bureau": make_org("xlxkjj", "西岭县科学技术局", kjj, kind=DEPT),  # a county bureau under the city's bureau
        "county_dept": make_org("xljyj", "西岭县教育局", county, kind=DEPT),
        "town": make_org("xlz", "岭南镇人民政府", county, kind=GOV),
    }


def test_levels_are_read_from_depth_and_kind(tree: dict[str, Organisation]) -> None:
    groups = descendants_by_level(tree["city"])
    assert [(level.label, [o.code for o in orgs]) for level, orgs in groups] == [
        ("市级部门", ["kjj"]),
        ("区县", ["xlx"]),
        ("区县部门", sorted(["xlxkjj", "xljyj"], key=lambda c: Organisation.objects.get(code=c).path)),
        ("乡镇（街道）", ["xlz"]),
    ]
    # The same names seen from below: levels belong to the tree, not to whoever looks.
    assert [level.label for level, _orgs in descendants_by_level(tree["county"])] == ["区县部门", "乡镇（街道）"]
    assert descendants_by_level(tree["bureau"]) == []
    assert top_of(tree["town"]) == tree["city"]


def test_a_province_names_its_tiers_from_the_province_down(db: None) -> None:
    province = make_org("sc", "西川省人民政府", kind=GOV)
    city = make_org("c1", "锦城市人民政府", province, kind=GOV)
    names = ("省级", "市级", "区县", "乡镇（街道）")
    assert level_of(province, names).label == "省级人民政府"
    assert level_of(make_org("d1", "西川省教育厅", province, kind=DEPT), names).label == "省级部门"
    assert level_of(city, names).label == "市级"
    assert [level.label for level, _o in descendants_by_level(province)] == ["省级部门", "市级"]


def test_only_visible_organisations_are_listed(tree: dict[str, Organisation]) -> None:
    visible = {tree["kjj"].pk, tree["bureau"].pk}
    groups = descendants_by_level(tree["city"], visible=visible)
    assert [[o.code for o in orgs] for _level, orgs in groups] == [["kjj"], ["xlxkjj"]]


def test_who_supervises_from_where(tree: dict[str, Organisation], make_user) -> None:  # type: ignore[no-untyped-def]
    both = member(make_user("both"), tree["city"], "admin")
    member(both, tree["kjj"], "admin")
    assert supervising_organisations(both) == [tree["city"]]  # the outermost only
    assert supervising_organisations(member(make_user("leaf"), tree["bureau"], "admin")) == []  # nobody below
    assert supervising_organisations(member(make_user("ed"), tree["city"], "editor")) == []  # not an administrator
    assert supervising_organisations(make_user("root", is_superuser=True)) == [tree["city"]]
