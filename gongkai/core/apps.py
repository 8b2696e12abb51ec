from django.apps import AppConfig


def import_app_modules(submodule: str) -> None:
    """Import gongkai.<app>.<submodule> for every installed gongkai app that has one (how apps
    register periodic jobs, document kinds …)."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("gongkai."):
            try:
                importlib.import_module(f"{config.name}.{submodule}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.{submodule}":
                    raise


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from gongkai.core import checks  # noqa: F401  (registers the system checks)
        from gongkai.core.production import refuse_unsafe

        refuse_unsafe()  # production never starts with an unsafe switch
