from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "gongkai.plans"
    label = "plans"
