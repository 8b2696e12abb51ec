from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "gongkai.participation"
    label = "participation"
