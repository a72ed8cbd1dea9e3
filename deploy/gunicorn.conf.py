"""gunicorn's settings for Bluestone (docs/deployment.md). Each value can be changed from the environment.

    gunicorn -c deploy/gunicorn.conf.py bluestone.wsgi

Bind to loopback or a private address only: the reverse proxy in front terminates HTTPS.
"""

import os

bind = os.environ.get("BLUESTONE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BLUESTONE_WORKERS", "3"))
threads = int(os.environ.get("BLUESTONE_THREADS", "2"))
# Long enough for the heaviest page (a large export); the proxy's own timeout should be a little longer.
timeout = int(os.environ.get("BLUESTONE_REQUEST_TIMEOUT", "60"))
graceful_timeout = 30
# How long an idle connection is kept open for the next request. Longer than the idle timeout of the
# proxy in front when it reuses connections (nginx's upstream keepalive_timeout and most load
# balancers': 60 s), so that the proxy closes an idle connection, never gunicorn: a request the proxy
# sends just as gunicorn closes the connection is reset (docs/deployment.md, "Serving").
keepalive = int(os.environ.get("BLUESTONE_KEEPALIVE_SECONDS", "75"))
# Start afresh now and then, so that memory growth in a long-running worker cannot build up.
max_requests = 2000
max_requests_jitter = 200
# Believe X-Forwarded-* (for HTTPS) only from the proxy's addresses; the client's address itself is
# settled by Bluestone (BLUESTONE_TRUSTED_PROXIES), not by gunicorn.
forwarded_allow_ips = os.environ.get("BLUESTONE_TRUSTED_PROXIES", "127.0.0.1")
accesslog = "-"
# No query strings in the access log: a portal address may carry a reference.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
