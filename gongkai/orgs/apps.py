from typing import Any

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gongkai.orgs"
    label = "orgs"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from gongkai.orgs.models import Organisation
        from gongkai.orgs.sites import clear_site_cache

        def _changed(**kwargs: Any) -> None:
            clear_site_cache()  # now, and again once committed (a rebuild in between read
            transaction.on_commit(clear_site_cache)  # the rows before the change)

        # weak=False: _changed is a local function, which a weak reference would lose as soon
        # as ready() returns (the site map was then never cleared on a change, only expired).
        post_save.connect(
            _changed, sender=Organisation, dispatch_uid="orgs-site-cache-save", weak=False
        )
        post_delete.connect(
            _changed, sender=Organisation, dispatch_uid="orgs-site-cache-del", weak=False
        )

        # The page cache (core) learns which government a request and an organisation belong to.
        from gongkai.core import pagecache
        from gongkai.orgs.sites import resolve_site

        def government_of(organisation_id: int) -> int | None:
            return (
                Organisation.objects.filter(pk=organisation_id)
                .values_list("government_id", flat=True)
                .first()
            )

        pagecache.register(site_resolver=resolve_site, government_of=government_of)
