"""The sw domain: sheltered-employment workers and their job coaches."""

from pathlib import Path

from flask_babel import Domain as TranslationDomain

from aandacht.plugins import Domain

_HERE = Path(__file__).parent
_translations = TranslationDomain(translation_directories=str(_HERE / "translations"), domain="aandacht_sw")


class SwDomain(Domain):
    """Contributions of the sw domain; they grow with each engine of the platform."""

    name = "sw"
    title = _translations.lazy_gettext("Sheltered employment")
    migrations_dir = _HERE / "migrations"
    translations_dir = _HERE / "translations"


domain = SwDomain()
