"""core.urls: the address reverse() gives (or the error it raises), without walking the URL patterns each time;
and the `{% url %}` tag built on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.urls import reverse_cached


@pytest.mark.parametrize("number", [1, 42, 10**12, 2**63 - 1])
def test_same_as_reverse(number: int) -> None:
    assert reverse_cached("portal:item", kwargs={"pk": number}) == reverse("portal:item", kwargs={"pk": number})
    assert reverse_cached("portal:attachment", kwargs={"pk": number}) == reverse("portal:attachment", kwargs={"pk": number})


def test_under_a_script_prefix() -> None:
    try:
        set_script_prefix("/gongkai/")
        assert reverse_cached("portal:item", kwargs={"pk": 7}) == "/gongkai/items/7/" == reverse("portal:item", kwargs={"pk": 7})
        assert reverse_cached("portal:catalog") == "/gongkai/catalog/"
    finally:
        set_script_prefix("/")
    assert reverse_cached("portal:item", kwargs={"pk": 7}) == "/items/7/"
    assert reverse_cached("portal:catalog") == "/catalog/"


def test_an_unsaved_object_has_no_address() -> None:
    with pytest.raises(NoReverseMatch):
        reverse_cached("portal:item", kwargs={"pk": None})


def _outcome(call: Any) -> tuple[str, str]:
    try:
        return "address", call()
    except NoReverseMatch:
        return "error", ""


# Slug-like text takes the shortcut; anything else (Chinese, spaces, slashes, quotes, empty) goes through reverse().
values = st.one_of(
    st.integers(min_value=-5, max_value=2**63),
    st.text(alphabet="abcXYZ019-_", max_size=12),
    st.text(max_size=8),
    st.booleans(),
)


@given(name=st.sampled_from(["portal:column", "portal:duty_list", "portal:org", "portal:item", "portal:guide",
                             "portal:catalog", "interact:letter"]),
       first=values, second=values, positional=st.booleans())
def test_any_arguments_give_what_reverse_gives(name: str, first: Any, second: Any, positional: bool) -> None:
    keywords = {"portal:column": ("code", "slug"), "portal:duty_list": ("code", "kind"), "portal:org": ("code",),
                "portal:item": ("pk",), "portal:guide": ("code",), "portal:catalog": (),
                "interact:letter": ("pk",)}[name]
    given_values = [first, second][: len(keywords)]
    if positional:
        args: list[Any] = given_values
        kwargs: dict[str, Any] = {}
    else:
        args, kwargs = [], dict(zip(keywords, given_values, strict=True))
    assert _outcome(lambda: reverse_cached(name, args, kwargs)) == _outcome(
        lambda: reverse(name, args=args, kwargs=kwargs))


def test_the_url_tag_writes_what_djangos_writes() -> None:
    assert type(Template("{% url 'portal:catalog' %}").nodelist[0]).__name__ == "KeptShapeURLNode"  # installed
    request = RequestFactory().get("/")
    template = Template(
        "{% url 'portal:column' code slug %}|{% url 'portal:org' code=code %}|{% url 'portal:catalog' as there %}"
        "[{{ there }}]|{% url 'portal:item' 'no' as missing %}[{{ missing }}]|{% url 'portal:org' odd %}")
    rendered = template.render(Context({"code": "A-1", "slug": "news", "odd": "a b&c", "request": request}))
    assert rendered == "|".join([
        reverse("portal:column", args=["A-1", "news"]), reverse("portal:org", kwargs={"code": "A-1"}),
        f"[{reverse('portal:catalog')}]", "[]", reverse("portal:org", args=["a b&c"]).replace("&", "&amp;"),
    ])
    with pytest.raises(NoReverseMatch):
        Template("{% url 'portal:item' 'no' %}").render(Context({}))
