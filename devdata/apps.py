from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevdataConfig(AppConfig):
    """Data that is not the register: the demo province, synthetic national data, benchmarks and the
    load test. It may use every other app; none of them uses it."""

    name = "devdata"
    verbose_name = _("Dữ liệu mẫu và đo hiệu năng")
