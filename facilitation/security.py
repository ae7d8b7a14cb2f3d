"""HTTP hardening: security headers on every answer, and cross-site form posts refused.

Cross-site request protection uses the browser's Sec-Fetch-Site header (with Origin as the
fallback), as Go's CrossOriginProtection does: no tokens to thread through every form, and
JSON clients such as curl, which send neither header, are unaffected.
"""

from urllib.parse import urlsplit

from flask import abort, request
from flask.json.provider import DefaultJSONProvider

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


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body nested too deeply is bad JSON (a 400), not a crash (a 500)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def read_chunked_bodies(wsgi_app):
    """Let Flask read a chunked request body instead of seeing it empty.

    Werkzeug reads a body without Content-Length only when the server says it ends the stream
    itself (`wsgi.input_terminated`); eventlet's server decodes chunks and ends the stream but
    does not say so. MAX_CONTENT_LENGTH still applies to what is read.
    """

    def app(environ, start_response):
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            environ["wsgi.input_terminated"] = True
        return wsgi_app(environ, start_response)

    return app


def headers_on_everything(wsgi_app):
    """The same headers on answers Flask never sees: Engine.IO's polling answers and errors."""
    missing = [(name.lower(), name, value) for name, value in HEADERS.items()]

    def app(environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = list(headers) + [(name, value) for lower, name, value in missing
                                       if lower not in present]
            return start_response(status, headers, exc_info)

        return wsgi_app(environ, start)

    return app


def init_app(app):
    app.json = SafeJSONProvider(app)
    app.wsgi_app = read_chunked_bodies(app.wsgi_app)
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
