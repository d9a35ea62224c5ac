"""The web tier: public pages and the open API over the store (FastAPI, Jinja2, htmx, ECharts)."""

from chiso.web.app import create_app

__all__ = ["create_app"]
