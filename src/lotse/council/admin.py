"""Django admin for council work: for site admins who repair data. The council office works
in its workspace, which numbers papers, checks co-signing and records history with reasons."""

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from lotse.council.models import (
    AgendaItem,
    Consultation,
    CouncilSettings,
    Decision,
    File,
    FollowUp,
    FollowUpNote,
    LegislativeTerm,
    Meeting,
    Membership,
    NumberSequence,
    Organization,
    Paper,
    Person,
    Signoff,
)

# Web addresses typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}}


@admin.register(CouncilSettings)
class CouncilSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["body", "paper_reference_pattern", "decision_number_pattern"]


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["body", "kind", "year", "last"]
    list_filter = ["body", "kind", "year"]


@admin.register(LegislativeTerm)
class LegislativeTermAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "start_date", "end_date"]
    list_filter = ["body"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organization"
    extra = 0
    raw_id_fields = ["person", "on_behalf_of"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "organization_type", "body", "parent", "end_date"]
    list_filter = ["body", "organization_type"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["parent"]
    formfield_overrides = URL_FIELDS
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "title", "body", "user"]
    list_filter = ["body"]
    search_fields = ["family_name", "given_name"]
    raw_id_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organization", "role", "voting_right", "on_behalf_of"]
    list_filter = ["role", "voting_right", "organization__body"]
    search_fields = ["person__family_name", "organization__name"]
    raw_id_fields = ["person", "organization", "on_behalf_of"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "number", "name", "is_public", "consultation", "result"]
    raw_id_fields = ["consultation"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "body", "start", "state", "is_hybrid"]
    list_filter = ["body", "state", "is_hybrid"]
    search_fields = ["name"]
    date_hierarchy = "start"
    filter_horizontal = ["organizations"]
    raw_id_fields = ["legislative_term"]
    readonly_fields = ["uid", "sequence"]
    formfield_overrides = URL_FIELDS
    inlines = [AgendaItemInline]


class SignoffInline(admin.TabularInline):
    model = Signoff
    extra = 0
    fields = ["unit", "required", "state", "comment", "signed_by", "signed_at"]
    raw_id_fields = ["unit", "signed_by"]


class ConsultationInline(admin.TabularInline):
    model = Consultation
    extra = 0
    fields = [
        "order",
        "organization",
        "meeting",
        "planned_date",
        "role",
        "authoritative",
        "is_public",
    ]
    raw_id_fields = ["organization", "meeting"]


@admin.register(Paper)
class PaperAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "name", "paper_type", "state", "is_public", "date", "body"]
    list_filter = ["body", "paper_type", "state", "is_public"]
    search_fields = ["reference", "name"]
    date_hierarchy = "date"
    raw_id_fields = [
        "originator_unit",
        "originator_organization",
        "reporter",
        "impacts",
        "follow_up_unit",
        "supplements",
        "released_by",
        # A large town has 100,000 papers and 2,000 measures: picked by key, not listed.
        "related_papers",
        "measures",
    ]
    readonly_fields = ["released_at"]
    inlines = [SignoffInline, ConsultationInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "is_public", "result"]
    list_filter = ["is_public", "meeting__body"]
    search_fields = ["name", "number"]
    raw_id_fields = ["meeting", "consultation"]


@admin.register(File)
class FileAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "role", "mime_type", "size", "date"]
    list_filter = ["body", "role"]
    search_fields = ["name", "file_name"]
    raw_id_fields = ["paper", "meeting", "agenda_item"]
    readonly_fields = ["sha512", "size", "mime_type"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "outcome", "date", "unanimous", "body"]
    list_filter = ["body", "outcome", "unanimous"]
    search_fields = ["number", "agenda_item__name"]
    date_hierarchy = "date"
    raw_id_fields = ["agenda_item", "referred_to", "created_by"]


class FollowUpNoteInline(admin.TabularInline):
    model = FollowUpNote
    extra = 0
    raw_id_fields = ["author"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["decision", "unit", "due_date", "state", "done_on", "body"]
    list_filter = ["body", "state"]
    raw_id_fields = ["decision", "unit"]
    inlines = [FollowUpNoteInline]
