"""core.urls.reverse_number: the address reverse() gives, without walking the URL patterns each time."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from gongkai.core.urls import reverse_number


@pytest.mark.parametrize("number", [1, 42, 10**12, 2**63 - 1])
def test_same_as_reverse(number: int) -> None:
    assert reverse_number("portal:item", "pk", number) == reverse("portal:item", kwargs={"pk": number})
    assert reverse_number("portal:attachment", "pk", number) == reverse("portal:attachment", kwargs={"pk": number})


def test_under_a_script_prefix() -> None:
    try:
        set_script_prefix("/gongkai/")
        assert reverse_number("portal:item", "pk", 7) == "/gongkai/items/7/" == reverse("portal:item", kwargs={"pk": 7})
    finally:
        set_script_prefix("/")
    assert reverse_number("portal:item", "pk", 7) == "/items/7/"


def test_an_unsaved_object_has_no_address() -> None:
    with pytest.raises(NoReverseMatch):
        reverse_number("portal:item", "pk", None)
