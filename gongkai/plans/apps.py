from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "gongkai.plans"
    label = "plans"

    def ready(self):
        from gongkai.plans import workdays

        workdays.register()  # stored working-day dates (gongkai.core.workday_dates)
