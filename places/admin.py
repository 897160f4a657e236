from django.contrib import admin

from places.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["name", "codename"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "area_class", "ethnic_minority_area"]
    list_editable = ["area_class", "ethnic_minority_area"]
    list_filter = ["province", "area_class", "ethnic_minority_area", "division_type"]
    search_fields = ["name", "codename", "=code"]
    list_select_related = ["province"]
    readonly_fields = ["code", "name", "division_type", "codename", "province"]


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "current_province"]
    search_fields = ["name"]


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]


@admin.register(LegacyCommune)
class LegacyCommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "was_split"]
    list_filter = ["was_split", "district__province"]
    search_fields = ["name", "district__name"]
    filter_horizontal = ["current_communes"]
    list_select_related = ["district"]
