"""One conflict error and one version-checked save."""

from __future__ import annotations

import pytest
from django.db import transaction

from gongkai.core.concurrency import ConflictError, lock_version_of, save_version
from gongkai.orgs.models import Organisation
from gongkai.reports.models import StaffFigures


@pytest.fixture
def figures(db: None) -> StaffFigures:
    org = Organisation.objects.create(name="测试局", code="csj", index_code="000000000")
    return StaffFigures.objects.create(organisation=org, year=2025)


def test_a_stale_version_is_refused_and_nothing_is_saved(figures: StaffFigures) -> None:
    with transaction.atomic():
        lock_version_of(figures, 0)
        figures.licensing_decisions = 3
        save_version(figures, "licensing_decisions")
    assert figures.lock_version == 1
    stale = StaffFigures.objects.get(pk=figures.pk)
    stale.lock_version = 0  # what a second editor's page still says
    with pytest.raises(ConflictError) as refused, transaction.atomic():
        lock_version_of(stale, 0, message="已被他人修改")
    assert refused.value.code == "conflict" and refused.value.message == "已被他人修改"
    assert StaffFigures.objects.get(pk=figures.pk).licensing_decisions == 3


def test_locking_reloads_the_row_in_place(figures: StaffFigures) -> None:
    StaffFigures.objects.filter(pk=figures.pk).update(licensing_decisions=9)
    with transaction.atomic():
        assert lock_version_of(figures, None) is figures
    assert figures.licensing_decisions == 9


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_lock_outside_a_transaction() -> None:
    org = Organisation.objects.create(name="测试局", code="csj", index_code="000000000")
    with pytest.raises(RuntimeError):
        lock_version_of(StaffFigures.objects.create(organisation=org, year=2025), 0)
