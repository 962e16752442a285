"""Every portal page renders for the public, and shows what a real disclosure site shows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.portal.factories import make_item

pytestmark = pytest.mark.django_db


def get_ok(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_every_page_renders_with_landmarks_and_one_h1(client: Client, site: dict[str, Any]) -> None:
    bureau = site["bureau"]
    urls = [
        reverse("portal:home"),
        reverse("portal:orgs"),
        reverse("portal:catalog"),
        reverse("portal:search") + "?q=科技",
        reverse("portal:search"),
        bureau.get_absolute_url(),
        site["news"].get_absolute_url(),
        site["notice"].get_absolute_url(),
        reverse("portal:guide", kwargs={"code": bureau.code}),
        reverse("portal:duty_lists", kwargs={"code": bureau.code}),
        site["power"].get_absolute_url(),
        site["city"].get_absolute_url(),
    ]
    for url in urls:
        html = get_ok(client, url)
        assert '<html lang="zh-CN">' in html, url
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        for landmark in ("<header", "<nav", "<main", "<footer"):
            assert landmark in html, (url, landmark)
        assert "跳到主要内容" in html
        assert 'id="site-search"' in html and 'for="site-search"' in html


def test_home_shows_sections_tree_and_marks_interpreted_policies(client: Client, site: dict[str, Any]) -> None:
    html = get_ok(client, "/")
    assert "银川市人民政府" in html
    for label in ("政府信息公开指南", "政府信息公开目录", "政策文件", "权责清单", "机构列表", "工作动态", "公告通知"):
        assert label in html
    assert site["live_news"][0].title in html
    assert site["notice"].title in html
    assert site["policy"].title in html
    assert f'{site["policy"].get_absolute_url()}#interpretations' in html
    assert site["county"].get_absolute_url() in html
    assert site["draft"].title not in html and site["scheduled"].title not in html
    assert site["withdrawn"].title not in html


def test_org_page_lists_columns_contact_and_links(client: Client, site: dict[str, Any]) -> None:
    html = get_ok(client, site["bureau"].get_absolute_url())
    for text in ("工作动态", "公告通知", "政策文件", "0951-6888732", "北京中路 166 号", "银川市科学技术局权力清单"):
        assert text in html
    assert reverse("portal:guide", kwargs={"code": "yckjj"}) in html
    assert site["county"].get_absolute_url() in html


def test_column_page_has_breadcrumbs_and_feeds(client: Client, site: dict[str, Any]) -> None:
    html = get_ok(client, site["interp_col"].get_absolute_url())
    assert "当前位置：" in html
    assert re.search(r"首页</a>\s*&gt; <a[^>]*>银川市科学技术局</a>\s*&gt; <a[^>]*>政策文件</a>", html)
    assert "rss.xml" in html and "atom.xml" in html
    assert site["interpretation"].title in html


def test_item_page_metadata_body_attachments_and_interpretations(client: Client, site: dict[str, Any]) -> None:
    notice = site["notice"]
    html = get_ok(client, notice.get_absolute_url())
    for label in ("索引号", "发布机构", "主题分类", "体裁", "文号", "成文日期", "发布日期", "有效性", "关键词"):
        assert f">{label}</th>" in html, label
    assert notice.index_number in html and "银科发〔2024〕3号" in html and "科技、教育" in html
    assert "2024-03-01" in html
    assert "<script>alert(1)</script>" not in html  # the body is sanitised again on the way out
    assert "2024年度科技项目申报指南.pdf" in html
    assert "未审核的新附件.pdf" not in html  # only the live revision's attachments are public
    assert "?fs=large" in html and "print=1" in html

    policy_html = get_ok(client, site["policy"].get_absolute_url())
    assert "相关解读" in policy_html and "图文解读（一图读懂）" in policy_html
    assert site["interpretation"].get_absolute_url() in policy_html
    assert "有效" in policy_html and "2019-06-01" in policy_html

    interp_html = get_ok(client, site["interpretation"].get_absolute_url())
    assert "解读的文件" in interp_html and site["policy"].get_absolute_url() in interp_html


def test_item_font_size_and_print_work_without_javascript(client: Client, site: dict[str, Any]) -> None:
    url = site["notice"].get_absolute_url()
    assert 'class="fs-large' in get_ok(client, url + "?fs=large")
    assert 'class="fs-medium' in get_ok(client, url + "?fs=<script>")
    assert "print-mode" in get_ok(client, url + "?print=1")


def test_guide_follows_article_12_and_the_usual_structure(client: Client, site: dict[str, Any]) -> None:
    html = get_ok(client, reverse("portal:guide", kwargs={"code": "yckjj"}))
    for text in (
        "一、主动公开", "二、依申请公开", "三、监督和救济", "20个工作日", "银川市科学技术局办公室",
        "北京中路 166 号", "工作日 8:30-12:00", "0951-6888732", "0951-6888727", "kjj@yinchuan.example",
        "工作动态", "政策解读", "行政复议", "行政诉讼",
    ):
        assert text in html, text


def test_duty_list_shows_live_version_and_earlier_published_ones(client: Client, site: dict[str, Any]) -> None:
    power = site["power"]
    html = get_ok(client, power.get_absolute_url())
    assert "银川市科学技术局权力清单（2023.06.01）" in html
    assert "银川市科学技术局权力清单（2019.11.10）" in html
    assert "2025 草案" not in html
    assert "2023.06.01事项1" in html
    old = power.versions.get(label="2019.11.10")
    old_html = get_ok(client, old.get_absolute_url())
    assert "2019.11.10事项1" in old_html and "历史版本" in old_html and "查看现行版本" in old_html
    draft = power.versions.get(label="2025 草案")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_orgs_page_is_a_tree(client: Client, site: dict[str, Any]) -> None:
    html = get_ok(client, reverse("portal:orgs"))
    city, bureau, county = (html.index(n) for n in ("银川市人民政府", "银川市科学技术局", "兴庆区科学技术局"))
    assert city < bureau < county
    assert html.count('<ul class="org-tree">') >= 3  # nested lists, one per level


def test_footer_shows_contact_and_leaves_the_conventions_block(client: Client, site: dict[str, Any]) -> None:
    html = get_ok(client, site["bureau"].get_absolute_url())
    footer = html[html.index("<footer"):]
    assert "0951-6888732" in footer and "北京中路 166 号" in footer


def test_robots_txt_points_at_the_sitemap(client: Client, site: dict[str, Any]) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text.splitlines()[-1] or "/sitemap.xml" in text
    assert "Disallow: /workspace/" in text


def test_lists_cost_no_query_per_item(client: Client, site: dict[str, Any], settings: Any) -> None:
    """The home page's, a column's and the catalog's rows carry only what their lists show (catalog.selectors
    LIST_FIELDS, TABLE_FIELDS): a longer list must not read each item's other fields."""
    settings.PAGE_CACHE_SECONDS = 0
    urls = [reverse("portal:home"), site["news"].get_absolute_url(), reverse("portal:catalog")]
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert "新增动态第5条" not in get_ok(client, url)
        before[url] = len(queries)
    for i in range(6):
        make_item(site["news"], f"新增动态第{i}条", published_at=timezone.now() - dt.timedelta(minutes=i), genre="news")
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert "新增动态第5条" in get_ok(client, url)
        assert len(queries) == before[url], url
