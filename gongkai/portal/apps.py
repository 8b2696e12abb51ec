from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"

    def ready(self) -> None:
        from django.urls import reverse

        from gongkai.catalog import links

        links.register(links.RECORD, lambda pk: reverse("portal:record", args=[pk]))
        links.register(links.ORGANISATION, lambda pk: reverse("portal:disclosure_org", args=[pk]))
        links.register(links.GUIDE, lambda pk: reverse("portal:disclosure_guide", args=[pk]))
