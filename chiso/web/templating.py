"""Jinja2 templates: Vietnamese number and date filters, static URLs, the navigation.

Every page extends ``base.html``; the navigation is a list on the app
(:func:`add_nav_item`), so a router added later (data entry, administration, the
survey) puts its own entry there instead of editing the template.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from chiso.assessment import Status
from chiso.io.export import VIETNAM_TIME
from chiso.text import format_number

SITE_TITLE = "Theo dõi thực hiện Nghị quyết"
WEB = resources.files("chiso.web")
STATIC_DIR = Path(str(WEB / "static"))
TEMPLATE_DIR = Path(str(WEB / "templates"))

# A symbol beside every status label, so status never rests on colour alone.
STATUS_SYMBOLS = {
    Status.ACHIEVED: "✓",
    Status.ON_TRACK: "↗",
    Status.NEEDS_ACCELERATION: "!",
    Status.OFF_TRACK: "✗",
    Status.REGRESSING: "↘",
    Status.NO_DATA: "–",
}


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation; ``section`` marks it current on its pages.

    ``roles``: ``None`` shows the link to everyone; a tuple shows it only to logged-in
    accounts, of these roles when it is not empty.
    """

    label: str
    path: str
    section: str
    roles: tuple[str, ...] | None = None

    def shown_to(self, user: Any) -> bool:
        """True when the link is for this visitor (``user`` is ``None`` when nobody is logged in)."""
        if self.roles is None:
            return True
        return user is not None and (not self.roles or str(user.role) in self.roles)


def add_nav_item(app: FastAPI, item: NavItem) -> None:
    """Add a link to the main navigation of ``app``."""
    app.state.nav.append(item)


@functools.cache
def _static_hash(path: str) -> str:
    file = STATIC_DIR / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10] if file.is_file() else "0"


def static_url(path: str) -> str:
    """The URL of a static asset, versioned by its content so browsers may cache it for long."""
    return f"/static/{path}?v={_static_hash(path)}"


def number(value: float | None, decimals: int = 2) -> str:
    """The Vietnamese number format, "1.462,5"."""
    return format_number(value, decimals)


def date_vi(value: dt.date | dt.datetime | None) -> str:
    """A date as Vietnamese write it, "29/11/2026" (a time is first shown in Vietnam's time zone)."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(VIETNAM_TIME)
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def datetime_vi(value: dt.datetime | None) -> str:
    """A time as "29/11/2026 14:05" in Vietnam's time zone."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(VIETNAM_TIME)
    return f"{date_vi(local)} {local.hour:02d}:{local.minute:02d}"


def safe_url(url: str | None) -> str:
    """The URL if it is a web address (http, https), else "": data may hold anything, links may not."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return ""


def json_script(value: Any) -> Markup:
    """JSON safe to embed in ``<script type="application/json">`` (no ``</script>`` breakout)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def make_templates() -> Jinja2Templates:
    """The template environment with chiso's filters and globals."""
    templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
    env = templates.env
    env.filters["num"] = number
    env.filters["date_vi"] = date_vi
    env.filters["datetime_vi"] = datetime_vi
    env.filters["json_script"] = json_script
    env.filters["safe_url"] = safe_url
    env.globals["static"] = static_url
    env.globals["status_symbols"] = STATUS_SYMBOLS
    env.trim_blocks = True
    env.lstrip_blocks = True
    return templates


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    section: str = "",
) -> Response:
    """Render a page with what ``base.html`` needs (navigation, account, CSRF token, update time).

    ``csrf_token()`` in a template gives the token of the page's forms; the cookie it
    pairs with is sent with the response when it is new.
    """
    from chiso.web.deps import csrf_token, current_user, set_csrf_cookie

    app = request.app
    templates: Jinja2Templates = app.state.templates
    user = current_user(request)
    base = {
        "nav": [item for item in app.state.nav if item.shown_to(user)],
        "section": section,
        "site_title": SITE_TITLE,
        "snapshot": None,
        "user": user,
        "csrf_token": lambda: csrf_token(request),
    }
    base.update(context)
    response = templates.TemplateResponse(request, name, base, status_code=status_code)
    set_csrf_cookie(request, response)
    if user is not None:
        # Pages of a logged-in account show unpublished figures: never kept by a shared cache.
        response.headers["Cache-Control"] = "private, no-store"
    return response
