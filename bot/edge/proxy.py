"""The edge reverse proxy: nginx.conf.template rendered under var/edge, nginx run in the foreground and stopped.

Nothing of the system's nginx is used but the binary: the configuration, pid file, logs and temp folders
all live under the prefix (var/edge by default), the ports are above 1024, and nginx runs as whoever
starts it (as root, its workers drop to nobody). `python -m bot.edge.proxy` runs it until Ctrl-C.

Each upstream may list several instances (a scaled deployment, docs/scaling.md): nginx spreads requests
over them and, when one stops answering, marks it failed for a while and passes the request on to the
next. With a forwarded secret the apps learn each client's address from a `Forwarded` header only the
edge can write (Sanic's FORWARDED_SECRET); without one they see the edge's own address.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from bot.rasa_server import launch as rasa_server
from bot.rasa_server.channels import email_post
from bot.service import app as bot_service_app
from bot.shared.http.guard import KEEP_ALIVE_TIMEOUT_SECONDS, REQUEST_TIMEOUT_SECONDS
from bot.shared.settings import PROJECT_ROOT, Settings

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
DEFAULT_PREFIX = PROJECT_ROOT / "var" / "edge"
# Sanic reads it into FORWARDED_SECRET; the edge writes it into the Forwarded header it sends.
FORWARDED_SECRET_VARIABLE = "SANIC_FORWARDED_SECRET"
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
# The apps' own limits: the edge refuses what they would refuse, and no more.
RASA_MAX_BODY_KIB = int(rasa_server.REQUEST_MAX_SIZE) // 1024
SERVICE_MAX_BODY_KIB = bot_service_app.REQUEST_MAX_SIZE // 1024
# The inbound mail webhook streams its body (attachments are read through and dropped) up to this size.
EMAIL_MAX_BODY_KIB = email_post.TOTAL_BYTES // 1024


@dataclass(frozen=True)
class EdgeLimits:
    """Per client address; a page load with the widget makes about ten requests at once."""

    requests_per_second: int = 20
    burst: int = 40
    connections_per_client: int = 64
    upstream_timeout_seconds: int = 120
    # passive health checks: this many failed connections in the window take an instance out for the window
    max_fails: int = 1
    fail_timeout_seconds: int = 5
    # addresses exempt from the limits above, e.g. loopback, where only this machine's processes are
    unlimited_addresses: Tuple[str, ...] = ()


@dataclass(frozen=True)
class EdgeConfig:
    """Where the edge listens, where the apps answer, and the folder nginx keeps everything in."""

    rasa_port: int
    service_port: int
    rasa_edge_port: int
    service_edge_port: int
    prefix: Path = DEFAULT_PREFIX
    bind_host: str = "127.0.0.1"
    limits: EdgeLimits = EdgeLimits()
    # further instances behind the same public ports, beside rasa_port and service_port
    more_rasa_ports: Tuple[int, ...] = ()
    more_service_ports: Tuple[int, ...] = ()
    # the Forwarded header's secret the apps check (SANIC_FORWARDED_SECRET); empty sends no such header
    forwarded_secret: str = ""

    @property
    def config_path(self) -> Path:
        return self.prefix / "nginx.conf"

    @property
    def rasa_ports(self) -> Tuple[int, ...]:
        return (self.rasa_port, *self.more_rasa_ports)

    @property
    def service_ports(self) -> Tuple[int, ...]:
        return (self.service_port, *self.more_service_ports)


class EdgeUnavailable(RuntimeError):
    """nginx is not installed, or would not start with the rendered configuration."""


def nginx_binary() -> Optional[str]:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def _servers(ports: Sequence[int], limits: EdgeLimits) -> str:
    failover = f"max_fails={limits.max_fails} fail_timeout={limits.fail_timeout_seconds}s"
    return "\n".join(f"        server 127.0.0.1:{port} {failover};" for port in ports).lstrip()


def _forwarded_header(secret: str) -> str:
    if not secret:
        return ""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", secret):
        raise ValueError("the forwarded secret may hold only letters, digits, '-' and '_'")
    return f'proxy_set_header Forwarded "for=\\"$remote_addr\\";secret={secret}";'


def render(config: EdgeConfig, template: str) -> str:
    values: Dict[str, str] = {
        "prefix": str(config.prefix),
        # As root, nginx would run its workers as the compiled-in user, which may not exist; nobody does.
        "user_directive": "user nobody nogroup;" if os.geteuid() == 0 else "",
        "bind_host": config.bind_host,
        "rasa_servers": _servers(config.rasa_ports, config.limits),
        "service_servers": _servers(config.service_ports, config.limits),
        "forwarded_header": _forwarded_header(config.forwarded_secret),
        "rasa_edge_port": str(config.rasa_edge_port),
        "service_edge_port": str(config.service_edge_port),
        "rasa_max_body": f"{RASA_MAX_BODY_KIB}k",
        "service_max_body": f"{SERVICE_MAX_BODY_KIB}k",
        "email_max_body": f"{EMAIL_MAX_BODY_KIB}k",
        "request_timeout": str(REQUEST_TIMEOUT_SECONDS),
        "keep_alive_timeout": str(KEEP_ALIVE_TIMEOUT_SECONDS),
        **{name: str(value) for name, value in asdict(config.limits).items()},
    }
    values["upstream_timeout"] = values.pop("upstream_timeout_seconds")
    values["fail_timeout"] = values.pop("fail_timeout_seconds")
    values["unlimited_addresses"] = " ".join(f"{address} 0;" for address in config.limits.unlimited_addresses)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"the edge template names an unknown setting: {name}")
        return values[name]

    return _PLACEHOLDER.sub(fill, template)


def write_config(config: EdgeConfig) -> Path:
    for folder in ("temp", "temp/body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"):
        (config.prefix / folder).mkdir(parents=True, exist_ok=True)
    # it may hold the forwarded secret: readable by its owner only (nginx's master reads it before dropping root)
    config.config_path.touch(mode=0o600, exist_ok=True)
    config.config_path.chmod(0o600)
    config.config_path.write_text(render(config, TEMPLATE.read_text()))
    return config.config_path


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class EdgeProxy:
    """One nginx master process in the foreground, started and stopped by its owner."""

    def __init__(self, config: EdgeConfig) -> None:
        self.config = config
        self._process: Optional[subprocess.Popen[bytes]] = None

    def check(self, binary: str) -> None:
        checked = subprocess.run(self._command(binary, "-t", "-q"), capture_output=True, text=True, timeout=30)
        if checked.returncode != 0:
            raise EdgeUnavailable(f"nginx refused the edge configuration: {checked.stderr.strip()[-500:]}")

    def _command(self, binary: str, *extra: str) -> List[str]:
        # -e: nginx opens its error log before it reads the configuration; by default that is /var/log/nginx.
        return [
            binary,
            "-e",
            str(self.config.prefix / "error.log"),
            "-p",
            str(self.config.prefix),
            "-c",
            str(self.config.config_path),
            *extra,
        ]

    def start(self, timeout: float = 15.0) -> EdgeProxy:
        binary = nginx_binary()
        if binary is None:
            raise EdgeUnavailable("nginx is not installed (Debian: apt-get install nginx-light)")
        write_config(self.config)
        self.check(binary)
        log = (self.config.prefix / "nginx.out").open("ab")
        self._process = subprocess.Popen(self._command(binary), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        ports = (self.config.rasa_edge_port, self.config.service_edge_port)
        while not all(_answers(self.config.bind_host, port) for port in ports):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise EdgeUnavailable("nginx did not start; see " + str(self.config.prefix / "error.log"))
            time.sleep(0.1)
        return self

    def stop(self, grace: float = 10.0) -> None:
        """SIGQUIT lets nginx finish the requests under way; SIGKILL if it has not stopped in time."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def scaled_config(settings: Settings, forwarded_secret: str) -> EdgeConfig:
    """DEPLOYMENT=scaled: the public ports in front of every instance; files under var/edge-<service port>."""
    rasa_ports, service_ports = settings.rasa_instance_ports, settings.service_instance_ports
    return EdgeConfig(
        rasa_port=rasa_ports[0],
        service_port=service_ports[0],
        rasa_edge_port=settings.rasa_port,
        service_edge_port=settings.service_port,
        prefix=PROJECT_ROOT / "var" / f"edge-{settings.service_port}",
        bind_host=settings.bind_host,
        # the bot services call Rasa through the edge; no customer comes from loopback
        limits=EdgeLimits(unlimited_addresses=("127.0.0.1",)),
        more_rasa_ports=tuple(rasa_ports[1:]),
        more_service_ports=tuple(service_ports[1:]),
        forwarded_secret=forwarded_secret,
    )


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.edge.proxy",
        description="With DEPLOYMENT=scaled the ports come from the settings and the options are ignored.",
    )
    parser.add_argument("--rasa-edge-port", type=int, default=8005, help="public port in front of the Rasa server")
    parser.add_argument("--service-edge-port", type=int, default=8080, help="public port in front of the bot service")
    parser.add_argument("--bind-host", default="127.0.0.1")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if settings.scaled:
        config = scaled_config(settings, os.environ.get(FORWARDED_SECRET_VARIABLE, ""))
    else:
        config = EdgeConfig(
            settings.rasa_port,
            settings.service_port,
            args.rasa_edge_port,
            args.service_edge_port,
            bind_host=args.bind_host,
        )
    proxy = EdgeProxy(config)
    stopping: List[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: stopping.append(signum))
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.append(signum))
    try:
        proxy.start()
    except EdgeUnavailable as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(
        f"Edge proxy: Rasa on {config.bind_host}:{config.rasa_edge_port} ({len(config.rasa_ports)} instance(s)), "
        f"bot service on {config.bind_host}:{config.service_edge_port} ({len(config.service_ports)} instance(s)). "
        "Press Ctrl-C to stop.",
        flush=True,
    )
    try:
        while not stopping:
            time.sleep(0.5)
    finally:
        proxy.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
