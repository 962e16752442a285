"""Organisation administrators configure their own organisations in the Django admin and read those below."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.catalog.models import Column
from gongkai.core.models import AuditEvent
from gongkai.orgs.models import Membership, Organisation, Role


@pytest.fixture
def setup(db):
    city = Organisation.objects.create(name="明川市人民政府", code="mcs", index_code="A1", kind="government")
    bureau = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="A2", parent=city)
    county = Organisation.objects.create(name="西岭县科学技术局", code="xlxkjj", index_code="A3", parent=bureau)
    sibling = Organisation.objects.create(name="明川市教育局", code="mcjyj", index_code="A4", parent=city)
    for org in (bureau, county, sibling):
        Column.objects.create(organisation=org, name=f"{org.code}动态", slug="gzdt")
    admin = get_user_model().objects.create_user("admin", is_staff=True)
    Membership.objects.create(user=admin, organisation=bureau, role=Role.ADMIN)
    editor = get_user_model().objects.create_user("editor", is_staff=True)
    Membership.objects.create(user=editor, organisation=bureau, role=Role.EDITOR)
    return city, bureau, county, sibling, admin, editor


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_administrator_sees_own_and_lower_organisations_only(setup):
    city, bureau, county, sibling, admin, editor = setup
    c = client_for(admin)
    page = c.get("/admin/catalog/column/").content.decode()
    assert "mckjj动态" in page and "xlxkjj动态" in page and "mcjyj动态" not in page
    other = Column.objects.get(organisation=sibling)
    assert c.get(f"/admin/catalog/column/{other.pk}/change/").status_code in (302, 403, 404)
    index = c.get("/admin/").content.decode()
    assert "栏目" in index and "审计记录" not in index


def test_forged_form_for_another_organisation_is_refused(setup):
    city, bureau, county, sibling, admin, editor = setup
    c = client_for(admin)
    resp = c.post("/admin/catalog/column/add/", {
        "organisation": sibling.pk, "name": "伪造栏目", "slug": "wz", "update_class": "other", "sort_order": 0,
        "is_active": "on",
    })
    assert resp.status_code == 200  # the organisation is not a valid choice
    assert not Column.objects.filter(name="伪造栏目").exists()
    resp = c.post("/admin/catalog/column/add/", {
        "organisation": bureau.pk, "name": "本局新栏目", "slug": "xlm", "update_class": "other", "sort_order": 0,
        "is_active": "on",
    })
    assert resp.status_code == 302
    assert AuditEvent.objects.filter(action="admin.added", organisation_id=bureau.pk).exists()


def test_organisations_below_are_read_only(setup):
    city, bureau, county, sibling, admin, editor = setup
    c = client_for(admin)
    lower = Column.objects.get(organisation=county)
    page = c.get(f"/admin/catalog/column/{lower.pk}/change/")
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()  # the read-only view
    resp = c.post(f"/admin/catalog/column/{lower.pk}/change/", {
        "organisation": county.pk, "name": "改名", "slug": "gzdt", "update_class": "other", "sort_order": 0,
    })
    assert resp.status_code == 403
    resp = c.post("/admin/catalog/column/add/", {
        "organisation": county.pk, "name": "县局新栏目", "slug": "xlm", "update_class": "other", "sort_order": 0,
        "is_active": "on",
    })
    assert resp.status_code == 200 and not Column.objects.filter(name="县局新栏目").exists()
    own = Column.objects.get(organisation=bureau)
    resp = c.post("/admin/catalog/column/", {"action": "delete_selected", "_selected_action": [own.pk, lower.pk],
                                             "post": "yes"})
    assert resp.status_code == 403
    assert Column.objects.filter(pk__in=[own.pk, lower.pk]).count() == 2
    assert c.get(f"/admin/catalog/column/{lower.pk}/delete/").status_code == 403
    assert Column.objects.get(pk=lower.pk).name == "xlxkjj动态"


def test_roles_are_granted_in_own_organisation_only(setup):
    city, bureau, county, sibling, admin, editor = setup
    c = client_for(admin)
    resp = c.post("/admin/orgs/membership/add/", {"user": editor.pk, "organisation": county.pk, "role": "editor"})
    assert resp.status_code == 200  # below: read only
    resp = c.post("/admin/orgs/membership/add/", {"user": editor.pk, "organisation": sibling.pk, "role": "editor"})
    assert resp.status_code == 200
    resp = c.post("/admin/orgs/membership/add/", {"user": editor.pk, "organisation": bureau.pk, "role": "admin"})
    assert resp.status_code == 302
    assert set(Membership.objects.filter(user=editor).values_list("organisation__code", "role")) == {
        ("mckjj", "editor"), ("mckjj", "admin"),
    }


def test_staff_without_the_admin_role_configure_nothing(setup):
    *_, editor = setup
    c = client_for(editor)
    assert c.get("/admin/catalog/column/").status_code == 403
    assert "栏目" not in c.get("/admin/").content.decode()


def test_administrator_edits_own_organisation_details(setup):
    city, bureau, county, sibling, admin, editor = setup
    c = client_for(admin)
    page = c.get(f"/admin/orgs/organisation/{bureau.pk}/change/")
    assert page.status_code == 200
    assert c.get(f"/admin/orgs/organisation/{city.pk}/change/").status_code in (302, 403, 404)


def test_administrator_keeps_the_offices_published_numbers(setup):
    from gongkai.orgs.selectors import published_contact_numbers

    city, bureau, county, sibling, admin, editor = setup
    page = client_for(admin).get(f"/admin/orgs/organisation/{bureau.pk}/change/").content.decode()
    assert "对外公开的电话号码" in page and 'name="published_numbers"' in page
    bureau.phone, bureau.fax = "0951-1234567", ""
    bureau.published_numbers = "科技创新券咨询 0951-7654321，值班 13912345678\n\n12345"
    assert published_contact_numbers(bureau) == ["0951-1234567", "0951-7654321", "13912345678", "12345"]
