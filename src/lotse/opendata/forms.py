from django import forms
from django.db import models

from lotse.opendata.models import CatalogSettings, DatasetSetting


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "http"  # the DCAT-AP.de ids are http:// URIs
    return field.formfield(**kwargs)


class CatalogSettingsForm(forms.ModelForm):
    formfield_callback = _formfield

    class Meta:
        model = CatalogSettings
        fields = ["contributor_id", "contact_name", "contact_email"]


class DatasetSettingForm(forms.ModelForm):
    formfield_callback = _formfield

    class Meta:
        model = DatasetSetting
        fields = ["is_published", "licence", "contributor_id", "contact_email"]
