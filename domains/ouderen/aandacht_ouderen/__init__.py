"""The ouderen domain: elderly people who feel lonely and their welfare coaches."""

from pathlib import Path

from flask_babel import Domain as TranslationDomain

from aandacht.plugins import Domain

_HERE = Path(__file__).parent
_translations = TranslationDomain(
    translation_directories=str(_HERE / "translations"), domain="aandacht_ouderen"
)


class OuderenDomain(Domain):
    """Contributions of the ouderen domain; they grow with each engine of the platform."""

    name = "ouderen"
    title = _translations.lazy_gettext("Companionship")
    migrations_dir = _HERE / "migrations"
    translations_dir = _HERE / "translations"


domain = OuderenDomain()
