"""WSGI entry point (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# A web process: the short statement timeout of config/settings/engines.py applies.
os.environ.setdefault("BAREME_PROCESS", "web")
application = get_wsgi_application()
