"""WSGI entry point for a web server (gunicorn, mod_wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluestone.settings.production")

application = get_wsgi_application()
