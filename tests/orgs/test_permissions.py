import pytest
from django.contrib.auth import get_user_model

from gongkai.core.models import AuditEvent
from gongkai.core.services import next_counter_value, record_event
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.orgs.selectors import can_edit, can_view_unpublished, subtree


@pytest.fixture
def tree(db):
    city = Organisation.objects.create(name="明川市人民政府", code="mcs", index_code="A1", kind="government")
    bureau = Organisation.objects.create(name="明川市科学技术局", code="mckjj", index_code="A2", parent=city)
    county = Organisation.objects.create(name="西岭县科学技术局", code="xlkjj", index_code="A3", parent=bureau)
    sibling = Organisation.objects.create(name="明川市教育局", code="mcjyj", index_code="A4", parent=city)
    return city, bureau, county, sibling


def user_with(org, role):
    u = get_user_model().objects.create_user(f"{org.code}-{role}")
    Membership.objects.create(user=u, organisation=org, role=role)
    return u


def test_paths_and_subtree(tree):
    city, bureau, county, sibling = tree
    assert county.path == f"/{city.pk}/{bureau.pk}/{county.pk}/"
    assert set(subtree(bureau)) == {bureau, county}


def test_parent_admin_sees_children_but_does_not_edit_them(tree):
    city, bureau, county, sibling = tree
    admin = user_with(bureau, Role.ADMIN)
    assert can_view_unpublished(admin, county)
    assert not can_view_unpublished(admin, sibling)
    assert not can_edit(admin, county)
    assert can_edit(admin, bureau)


def test_child_staff_do_not_see_parent_or_siblings(tree):
    city, bureau, county, sibling = tree
    editor = user_with(county, Role.EDITOR)
    assert can_view_unpublished(editor, county)
    assert not can_view_unpublished(editor, bureau)
    assert not can_view_unpublished(editor, sibling)


def test_moving_an_organisation_moves_its_subtree(tree):
    city, bureau, county, sibling = tree
    bureau.parent = sibling
    bureau.save()
    county.refresh_from_db()
    assert county.path.startswith(sibling.path)


def test_audit_trail_is_append_only(db):
    event = record_event(actor=None, action="test.happened", object_type="x", object_id=1)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="y")


def test_counter_needs_a_transaction_and_counts_without_gaps(db):
    from django.db import transaction

    with transaction.atomic():
        assert next_counter_value("s") == 1
        assert next_counter_value("s") == 2
    try:
        with transaction.atomic():
            next_counter_value("s")
            raise RuntimeError
    except RuntimeError:
        pass
    with transaction.atomic():
        assert next_counter_value("s") == 3


def test_orgs_command_lists_code_first(tree, capsys):
    from django.core.management import call_command

    call_command("orgs")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split("\t")[0] == "mcs"
    assert len(lines) == 4
    _ = Role


def test_overview_lists_everything_in_a_city_and_two_levels_in_a_province(tree, monkeypatch):
    from gongkai.orgs import selectors

    city, bureau, county, sibling = tree
    everything, shortened = selectors.organisations_overview()
    assert not shortened and set(everything) == {city, bureau, county, sibling}
    monkeypatch.setattr(selectors, "OVERVIEW_LIMIT", 3)
    top, shortened = selectors.organisations_overview()
    assert shortened and top == [city, bureau, sibling]
    picked, _ = selectors.organisations_overview(include=county)
    assert county in picked
