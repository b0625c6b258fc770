"""The werk domain's own gettext domain (`aandacht_werk`), beside the platform's `messages`."""

from pathlib import Path

from flask_babel import Domain as TranslationDomain

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
translations = TranslationDomain(translation_directories=str(TRANSLATIONS_DIR), domain="aandacht_werk")
lazy_gettext = translations.lazy_gettext
