from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifeConfig(AppConfig):
    name = "life"
    verbose_name = _("Sinh hoạt CLB")
