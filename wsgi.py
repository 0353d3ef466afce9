"""The WSGI entry point: ``gunicorn wsgi:app``."""

from carenet import create_app

app = create_app()
