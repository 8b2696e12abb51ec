from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"

    def ready(self):
        from gongkai.catalog import workdays

        workdays.register()  # stored working-day dates (gongkai.core.workday_dates)
