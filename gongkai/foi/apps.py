from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "gongkai.foi"
    label = "foi"
    verbose_name = "依申请公开"

    def ready(self):
        from gongkai.core.calendar import calendar_year_loaded

        calendar_year_loaded.connect(_recompute_on_load, dispatch_uid="foi_recompute_due")


def _recompute_on_load(sender, year, **kwargs):
    """A holiday notice was loaded: provisional (暂定) due dates are recomputed."""
    from gongkai.foi.actions import recompute_open

    recompute_open(year=year)
