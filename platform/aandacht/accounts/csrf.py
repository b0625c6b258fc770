"""CSRF protection for every form (Flask-WTF); API blueprints authenticate by token and are exempted."""

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
