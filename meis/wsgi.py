"""WSGI entry point (gunicorn meis.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meis.settings")
application = get_wsgi_application()
