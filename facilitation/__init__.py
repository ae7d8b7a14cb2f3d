"""Breakout Boards: live sticky-note boards for workshop breakout rooms."""

import json
import os

from flask import Flask


def create_app(test_config=None):
    """Create and configure the Flask app (Socket.IO attached, database ready)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_mapping(
        FACILITATION_DB=os.environ.get("FACILITATION_DB")
        or os.path.join(app.instance_path, "facilitation.sqlite"),
        FACILITATION_ADMIN_KEY=os.environ.get("FACILITATION_ADMIN_KEY") or None,
        # None lets Flask-SocketIO pick what is installed; app.py sets eventlet, tests threading.
        SOCKETIO_ASYNC_MODE=os.environ.get("FACILITATION_ASYNC_MODE") or None,
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=1024 * 1024,
        # Extra origins (besides the server's own) whose pages may open a socket.
        # How many reverse proxies in front set X-Forwarded-For/-Proto/-Host/-Prefix (0: none).
        FACILITATION_PROXIES=int(os.environ.get("FACILITATION_PROXIES") or 0),
        # redis://host:port/db: relay broadcasts between several server processes.
        FACILITATION_MESSAGE_QUEUE=os.environ.get("FACILITATION_MESSAGE_QUEUE") or None,
        # Rate limits, e.g. '{"ops_per_second": 20, "joins_per_minute": 60}' (see limits.py).
        FACILITATION_LIMITS=json.loads(os.environ.get("FACILITATION_LIMITS") or "{}"),
        # The accessibility statement (/accessibility): who runs this server, how people report a
        # problem (an e-mail address, a web address or plain text), and the enforcement body.
        FACILITATION_ACCESSIBILITY_OPERATOR=os.environ.get("FACILITATION_ACCESSIBILITY_OPERATOR")
        or None,
        FACILITATION_ACCESSIBILITY_CONTACT=os.environ.get("FACILITATION_ACCESSIBILITY_CONTACT")
        or None,
        FACILITATION_ACCESSIBILITY_ENFORCEMENT=os.environ.get(
            "FACILITATION_ACCESSIBILITY_ENFORCEMENT") or None,
        FACILITATION_ALLOWED_ORIGINS=[
            o.strip() for o in os.environ.get("FACILITATION_ALLOWED_ORIGINS", "").split(",")
            if o.strip()
        ],
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    from . import (cli, db, export_views, i18n, map_views, pairing_views, photo_views, plan_views,
                   realtime, security, views)

    i18n.init_app(app)
    security.init_app(app)
    db.init_app(app)
    views.init_app(app)
    export_views.init_app(app)
    map_views.init_app(app)
    photo_views.init_app(app)
    plan_views.init_app(app)
    pairing_views.init_app(app)
    cli.init_app(app)
    realtime.init_app(app)
    # Around the Socket.IO middleware, which answers /socket.io/ before Flask.
    app.wsgi_app = security.headers_on_everything(app.wsgi_app)
    if app.config["FACILITATION_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["FACILITATION_PROXIES"]
        # Outermost, so pages, links, sockets and rate limits all see the client's address,
        # scheme, host and sub-path (e.g. /workshops) as the proxy received them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_prefix=hops)
    return app
