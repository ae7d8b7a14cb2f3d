"""Breakout Boards: live sticky-note boards for workshop breakout rooms."""

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
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    from . import db, realtime, views

    db.init_app(app)
    views.init_app(app)
    realtime.init_app(app)
    return app
