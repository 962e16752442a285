"""The public portal's addresses.

The names are an interface: catalog models' get_absolute_url and the dead-link pre-check resolve them.
"""

from __future__ import annotations

from django.urls import path

from . import feeds, sitemaps, views, views_conventions, views_reports

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.orgs, name="orgs"),
    path("catalog/", views.catalog, name="catalog"),
    path("search/", views.search, name="search"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/preview/", views.item_preview, name="item_preview"),
    path("items/preview/", views.item_preview, name="new_item_preview"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("display-mode/", views_conventions.display_mode, name="display_mode"),
    path("site.css", views_conventions.site_css, name="site_css"),
    path("data/", views_reports.open_data, name="data"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("org/<str:code>/", views.org, name="org"),
    # Fixed words before the <slug> catch-all, so a column can never shadow the guide or the duty lists.
    path("org/<str:code>/guide/", views.guide, name="guide"),
    path("org/<str:code>/duties/", views.duty_lists, name="duty_lists"),
    path("org/<str:code>/duties/<str:kind>/", views.duty_list, name="duty_list"),
    path("org/<str:code>/duties/<str:kind>/<int:pk>/", views.duty_list_version, name="duty_list_version"),
    path("org/<str:code>/<slug:slug>/", views.column, name="column"),
    path("org/<str:code>/<slug:slug>/rss.xml", feeds.ColumnRssFeed(), name="column_rss"),
    path("org/<str:code>/<slug:slug>/atom.xml", feeds.ColumnAtomFeed(), name="column_atom"),
]
