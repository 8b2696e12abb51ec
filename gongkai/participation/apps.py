from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "gongkai.participation"
    label = "participation"

    def ready(self):
        from gongkai.participation import workdays

        workdays.register()  # stored working-day dates (gongkai.core.workday_dates)
