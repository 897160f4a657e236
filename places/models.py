"""The official administrative units: the 34 provinces and 3,321 communes since 1 July 2025, and the
legacy provinces, districts and communes before it with the mapping from each legacy commune to the
current one(s). Loaded from the `vietnam-provinces` package (`manage.py load_places`).

These models were first written in the clubs app; their tables kept the names they had there
(`db_table`), so the move (migrations places 0001 and clubs 0006) changed no data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------------------
# Current administrative units (from 1 July 2025): 34 provinces, 3,321 communes.
# ---------------------------------------------------------------------------


class Province(models.Model):
    code = models.PositiveSmallIntegerField(
        _("mã tỉnh"), unique=True, help_text=_("Mã đơn vị hành chính chính thức")
    )
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.SlugField(max_length=100)

    scope_lookups = ("id", None)

    class Meta:
        db_table = "clubs_province"
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """'Tỉnh Lai Châu' → 'Lai Châu', as reports write it."""
        for prefix in ("Thành phố ", "Tỉnh "):
            if self.name.startswith(prefix):
                return self.name.removeprefix(prefix)
        return self.name


class AreaClass(models.TextChoices):
    PLAINS = "plains", _("Đồng bằng")
    MOUNTAIN = "mountain", _("Miền núi")
    BORDER = "border", _("Biên giới")
    ISLAND = "island", _("Hải đảo")


# National targets group mountain, border and island communes together.
REMOTE_AREA_CLASSES = (AreaClass.MOUNTAIN, AreaClass.BORDER, AreaClass.ISLAND)


class Commune(models.Model):
    """A current commune-level unit: xã, phường or đặc khu."""

    code = models.PositiveIntegerField(_("mã xã"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.SlugField(max_length=100)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh")
    )
    area_class = models.CharField(
        _("phân loại vùng"), max_length=10, choices=AreaClass.choices, default=AreaClass.PLAINS
    )
    ethnic_minority_area = models.BooleanField(_("vùng đồng bào dân tộc thiểu số"), default=False)

    scope_lookups = ("province_id", "id")

    class Meta:
        db_table = "clubs_commune"
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")
        ordering = ["province__code", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_remote(self) -> bool:
        return self.area_class in REMOTE_AREA_CLASSES


# ---------------------------------------------------------------------------
# Legacy units (before July 2025). Their codes collide with current codes, so they
# live in their own tables. Old papers and spreadsheets name these.
# ---------------------------------------------------------------------------


class LegacyProvince(models.Model):
    code = models.PositiveSmallIntegerField(_("mã tỉnh cũ"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.SlugField(max_length=100)
    current_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        related_name="legacy_sources",
        verbose_name=_("tỉnh hiện nay"),
    )

    class Meta:
        db_table = "clubs_legacyprovince"
        verbose_name = _("tỉnh cũ (trước 7/2025)")
        verbose_name_plural = _("tỉnh cũ (trước 7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    code = models.PositiveIntegerField(_("mã huyện cũ"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.SlugField(max_length=100)
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        db_table = "clubs_legacydistrict"
        verbose_name = _("huyện cũ (trước 7/2025)")
        verbose_name_plural = _("huyện cũ (trước 7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyCommune(models.Model):
    code = models.PositiveIntegerField(_("mã xã cũ"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    codename = models.SlugField(max_length=100)
    district = models.ForeignKey(LegacyDistrict, on_delete=models.PROTECT, related_name="communes")
    # The current communes this legacy one went into; more than one when it was split.
    current_communes = models.ManyToManyField(Commune, related_name="legacy_sources", blank=True)
    was_split = models.BooleanField(_("bị chia tách"), default=False)

    class Meta:
        db_table = "clubs_legacycommune"
        verbose_name = _("xã cũ (trước 7/2025)")
        verbose_name_plural = _("xã cũ (trước 7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
