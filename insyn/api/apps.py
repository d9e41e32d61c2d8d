from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "insyn.api"
    label = "insyn_api"
    verbose_name = "Insyn API"
