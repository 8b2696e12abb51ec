"""Configuration only: columns and the standard catalogue tree. Records change only through
catalog.actions (the staff pages), never here."""

from django.contrib import admin

from gongkai.catalog.models import Column, StandardCatalogue


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["organisation"]
    list_select_related = ["organisation"]


@admin.register(StandardCatalogue)
class StandardCatalogueAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "domain", "parent", "order"]
    list_filter = ["domain"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["organisation", "parent"]
    list_select_related = ["organisation", "parent"]
