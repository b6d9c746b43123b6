"""nginx in front of several server nodes: the API balanced over them (streams and long polls unbuffered), and the
content store's files sent by nginx itself when a node answers with X-Accel-Redirect (`--media-redirect`).

`config()` writes a whole nginx.conf; the tests and benchmarks/chat.py run nginx with it as an unprivileged
foreground process, and docs/scale.md shows it for a deployment.
"""

from __future__ import annotations

from pathlib import Path

MEDIA_PREFIX = "/_content/"  # the nodes' --media-redirect: internal to nginx, never a public URL


def config(nodes: list[str], listen: str, content_dir: Path, run_dir: Path, *, workers: int | str = "auto",
           connections: int = 16384, user: str | None = None) -> str:
    """nginx.conf balancing `nodes` ("host:port") behind `listen` ("host:port"), serving the files under
    `content_dir`; its pid, logs and temporary files in `run_dir`; its workers run as `user` when started by root
    (who must be able to read the content folder; nginx's default is nobody)."""
    servers = "\n".join(f"        server {node} max_fails=3 fail_timeout=5s;" for node in nodes)
    temp = "\n".join(f"    {kind}_temp_path {run_dir}/tmp/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user_line = f"user {user};\n" if user else ""
    return f"""# expo_hall: {len(nodes)} server nodes behind nginx
{user_line}worker_processes {workers};
worker_rlimit_nofile {2 * connections};  # each proxied connection holds two sockets
daemon off;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;
events {{
    worker_connections {connections};
}}
http {{
    access_log off;
    default_type application/octet-stream;
{temp}
    sendfile on;
    tcp_nopush on;

    upstream expo_nodes {{
        least_conn;  # streams stay open for minutes: send each new one where fewest are
{servers}
        keepalive 64;
    }}

    server {{
        listen {listen} reuseport backlog=4096;
        client_max_body_size 64k;
        keepalive_requests 100000;  # a client long polling or sending reuses its connection all day

        location /api/ {{
            proxy_pass http://expo_nodes;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_buffering off;  # chat streams and long polls go through as they are written
            proxy_read_timeout 60s;  # a stream sends a keepalive every 15 s, a long poll answers within 25 s
            proxy_next_upstream error timeout http_502 http_503;  # never a POST once sent (nginx's default)
        }}

        location {MEDIA_PREFIX} {{
            internal;  # reached only through a node's X-Accel-Redirect, after its checks and counting
            alias {content_dir}/;
            etag off;
            add_header ETag $upstream_http_etag;  # the content's SHA-256, as the nodes give it
            add_header Cache-Control $upstream_http_cache_control;
        }}
    }}
}}
"""
