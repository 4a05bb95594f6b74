"""``steward serve``: the production server (gunicorn, static files by whitenoise)."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.glogging import Logger

from steward.core.logging import is_reporter_path


# Requests to the routes where people raise concerns and read replies are never
# written to the access log, so no line records when someone did so (ADR 005).
class StewardLogger(Logger):
    """Gunicorn's logger, less the access log lines of the reporter routes."""

    def access(self, resp, req, environ, request_time):
        if is_reporter_path(environ.get("PATH_INFO", "")):
            return
        super().access(resp, req, environ, request_time)


class Command(BaseCommand):
    help = "Serve Steward with gunicorn on 127.0.0.1 (put a TLS proxy in front in production)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default 127.0.0.1: loopback only).",
        )
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, port, host, workers, no_collectstatic, **options):
        from gunicorn.app.base import BaseApplication

        from steward.wsgi import application

        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)

        class StewardServer(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("threads", 4)
                self.cfg.set("timeout", 60)
                self.cfg.set("graceful_timeout", 20)
                self.cfg.set("accesslog", "-")
                # No client address, query string or user agent: they can identify
                # people, and query strings can carry what they searched for.
                self.cfg.set("access_log_format", '"%(m)s %(U)s" %(s)s %(B)s %(M)sms')
                # ...and nothing at all for the routes where concerns are raised.
                self.cfg.set("logger_class", StewardLogger)
                self.cfg.set("forwarded_allow_ips", "127.0.0.1")

            def load(self):
                return application

        self.stdout.write(f"Steward is serving on http://{host}:{port}/ with {workers} workers")
        StewardServer().run()
