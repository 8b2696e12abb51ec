"""gunicorn settings of an app node (deploy/systemd/gongkai-web.service).

2 processes × 8 threads per core: the views wait on PostgreSQL and Redis most of the time.
"""

import multiprocessing
import os

# GONGKAI_BIND: the node's address(es) on the private network, comma-separated. Not both
# 0.0.0.0:8000 and [::]:8000: on Linux an [::] socket takes IPv4 too (net.ipv6.bindv6only=0),
# so the second bind fails with "Address already in use" and the node never starts. For IPv6
# between balancer and nodes bind "[::]:8000" alone, or the node's own addresses of each family.
bind = [a.strip() for a in os.environ.get("GONGKAI_BIND", "0.0.0.0:8000").split(",") if a.strip()]
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 8))
worker_class = "gthread"
# A gthread worker accepts up to worker_connections connections and queues those its threads
# are not serving; if the worker dies, they are dropped. Keep that queue short (a few requests
# per thread) so waiting connections stay in the kernel's listen queue (backlog), which every
# worker of the node shares and which survives a worker's death; HAProxy's per-server maxconn
# keeps the rest queued at the balancer.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", threads * 2))
backlog = int(os.environ.get("GUNICORN_BACKLOG", 2048))  # also raise net.core.somaxconn
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers: bounds any slow leak
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GONGKAI_LB_ADDRESSES", "127.0.0.1,::1")
