"""HTTP hardening: security headers on every answer, and cross-site form posts refused.

Cross-site request protection uses the browser's Sec-Fetch-Site header (with Origin as the
fallback), as Go's CrossOriginProtection does: no tokens to thread through every form, and
JSON clients such as curl, which send neither header, are unaffected.
"""

from urllib.parse import urlsplit

from flask import abort, request

from .i18n import N_

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CROSS_SITE = N_("This form was sent from another website, so it was refused.")


def init_app(app):
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.before_request(refuse_cross_site_posts)
    app.after_request(add_headers)


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def refuse_cross_site_posts():
    """Refuse a state-changing request that a browser says comes from another site."""
    if request.method in SAFE_METHODS:
        return None
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        if site in ("same-origin", "none"):
            return None
        abort(403, CROSS_SITE)
    origin = request.headers.get("Origin")
    if origin is None:
        return None  # not a browser form post: curl, scripts, the test client
    if origin == "null" or urlsplit(origin).netloc != request.host:
        abort(403, CROSS_SITE)
    return None
