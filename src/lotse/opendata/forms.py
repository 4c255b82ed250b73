from django import forms

from lotse.opendata.models import CatalogSettings, DatasetSetting


class CatalogSettingsForm(forms.ModelForm):
    class Meta:
        model = CatalogSettings
        fields = ["contributor_id", "contact_name", "contact_email"]


class DatasetSettingForm(forms.ModelForm):
    class Meta:
        model = DatasetSetting
        fields = ["is_published", "licence", "contributor_id", "contact_email"]
