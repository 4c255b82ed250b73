"""Load the OZG catalogue Lotse ships (data/ozg-katalog.json.gz), so that ``lotse migrate``
alone leaves it in place. Later versions come through ``lotse ozg_catalogue_import``."""

from django.db import migrations


def load(apps, schema_editor):
    from lotse.ozg import catalogue

    service = apps.get_model("ozg", "Service")
    leika = apps.get_model("ozg", "LeikaService")
    if not service.objects.exists():
        catalogue.apply(catalogue.shipped(), service, leika)


class Migration(migrations.Migration):
    dependencies = [("ozg", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
