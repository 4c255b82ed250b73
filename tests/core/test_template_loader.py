"""Templates are compiled once per process: Django wraps the loaders in the cached loader
when TEMPLATES names none (since Django 4.1, with DEBUG too). Lotse's settings name none;
this keeps it so."""

from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader


def test_templates_come_through_the_cached_loader():
    engine = engines["django"].engine
    loaders = engine.template_loaders
    assert len(loaders) == 1 and isinstance(loaders[0], CachedLoader)
    # Compiled once: the second look-up is the very same template.
    assert engine.get_template("base.html") is engine.get_template("base.html")


def test_the_settings_name_no_loaders():
    from lotse import settings

    options = settings.TEMPLATES[0]["OPTIONS"]
    assert "loaders" not in options and settings.TEMPLATES[0]["APP_DIRS"] is True
