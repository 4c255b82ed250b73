"""Writes of the open-data settings; each checks ``opendata.manage`` first."""

from django.db import transaction

from lotse.core.models import Body
from lotse.core.services import require
from lotse.opendata.catalog import bump_version
from lotse.opendata.models import CatalogSettings, DatasetSetting


@transaction.atomic
def save_catalog_settings(user, body: Body, form) -> CatalogSettings:
    require(user, "opendata.manage", body)
    settings = form.save(commit=False)
    settings.body = body
    settings.save()
    bump_version(body)  # harmless if the transaction rolls back: the cache is rebuilt
    return settings


@transaction.atomic
def save_dataset_setting(user, body: Body, key: str, form) -> DatasetSetting:
    require(user, "opendata.manage", body)
    setting = form.save(commit=False)
    setting.body = body
    setting.dataset = key
    setting.save()
    bump_version(body)  # harmless if the transaction rolls back: the cache is rebuilt
    return setting
