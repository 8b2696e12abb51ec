from django.contrib.sitemaps.views import sitemap
from django.urls import path

from gongkai.portal.catalog import views
from gongkai.portal.catalog.feeds import LatestRecordsAtom, LatestRecordsFeed
from gongkai.portal.catalog.sitemaps import sitemaps_for


def site_sitemap(request, **kwargs):
    return sitemap(request, sitemaps=sitemaps_for(request.government), **kwargs)


urlpatterns = [
    path("disclosure/", views.disclosure, name="disclosure"),
    path("disclosure/org/<int:org_id>/", views.disclosure_org, name="disclosure_org"),
    path("disclosure/org/<int:org_id>/guide/", views.guide, name="disclosure_guide"),
    path("disclosure/org/<int:org_id>/directory/", views.directory, name="disclosure_directory"),
    path("disclosure/records/", views.records, name="records"),
    path("disclosure/records/<int:pk>/", views.record, name="record"),
    path(
        "disclosure/records/<int:pk>/files/<int:att_id>/",
        views.attachment,
        name="record_attachment",
    ),
    path("disclosure/feed/rss/", LatestRecordsFeed(), name="records_rss"),
    path("disclosure/feed/atom/", LatestRecordsAtom(), name="records_atom"),
    path("policies/", views.policies, name="policies"),
    path("interpretations/", views.interpretations, name="interpretations"),
    path("interpretations/<int:pk>/", views.interpretation, name="interpretation"),
    path("search/", views.search, name="search"),
    path("search/suggest.json", views.search_suggest, name="search_suggest"),
    path("sitemap.xml", site_sitemap, name="sitemap"),
]
