"""The portal's search page over the index: snippets, facets, filters, pages, hostile input."""

from __future__ import annotations

from urllib.parse import quote

from django.test import Client


def test_page_shows_highlighted_hits_and_facets(world):
    world.publish(world.kjj, "科技项目申报通知", "<p>关于科技项目的申报要求。</p>", topic="11")
    world.publish(world.czj, "财政项目资金通知", "", topic="04")
    client = Client()
    html = client.get("/search/?q=" + quote("项目")).content.decode()
    assert "<mark>项目</mark>" in html and "找到 2 条相关信息" in html
    assert "科技、教育" in html and "财政、金融、审计" in html  # topic facet labels
    html = client.get("/search/?q=" + quote("项目") + "&topic=04").content.decode()
    assert "财政" in html and "科技项目申报通知" not in html.replace("<mark>", "").replace("</mark>", "")
    html = client.get("/search/?q=" + quote("项目") + "&organisation=yckjj").content.decode()
    assert "找到 1 条相关信息" in html


def test_bad_pages_are_404_and_hostile_queries_are_answered(world, hostile_queries):
    world.publish(world.kjj, "政府信息公开工作年度报告", "")
    client = Client()
    assert client.get("/search/?q=x&page=0").status_code == 404
    assert client.get("/search/?q=x&page=abc").status_code == 404
    for raw in hostile_queries:
        response = client.get("/search/", {"q": raw})
        assert response.status_code == 200, raw
