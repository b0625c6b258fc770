"""The werk domain: job seekers on welfare and their work coaches."""

from pathlib import Path

from flask_babel import Domain as TranslationDomain

from aandacht.plugins import Domain

_HERE = Path(__file__).parent
_translations = TranslationDomain(translation_directories=str(_HERE / "translations"), domain="aandacht_werk")


class WerkDomain(Domain):
    """Contributions of the werk domain; they grow with each engine of the platform."""

    name = "werk"
    title = _translations.lazy_gettext("Work")
    migrations_dir = _HERE / "migrations"
    translations_dir = _HERE / "translations"


domain = WerkDomain()
