"""Child processes kept running: started, watched until they answer, restarted with a capped backoff, stopped.

A service is up when its port accepts connections while its child lives. The
port is checked free before each start, so a port another program holds is a
refusal said once (``stopped``), never an answer mistaken for the child's. A
child that exits with code 2 (studio's exit for every expected failure: a
missing token, a broken config, a refused sign-in) waits for a person: stopped,
not restarted. Any other exit (a crash, a kill, an exit nobody asked for) is
restarted after 1 s, 2 s, 4 s... at most ``BACKOFF_CAP``; a service that stayed
up for ``STABLE`` seconds starts its backoff afresh.

Children run in their own process group: Ctrl+C in the terminal reaches only
the supervisor, which sends each child SIGTERM (aiohttp's clean shutdown; a
child still importing dies quietly) and waits; a second Ctrl+C kills them.
What children write is relayed line by line, with every secret the supervisor
knows replaced, and the last line is the error a status line shows.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from studio.i18n import Msg

BACKOFF_FIRST = 1.0
BACKOFF_CAP = 30.0
STABLE = 60.0
"""Seconds up after which a failure counts as a first one again."""
PROBE = 0.1
"""Seconds between two knocks on a starting service's port."""
PERSON_MUST_FIX = 2
"""The exit code of every expected failure of a studio command (studio/errors.py)."""
LONGEST_ERROR = 300
SCRUBBED = "•••"


class State(StrEnum):
    STARTING = "starting"
    UP = "up"
    RESTARTING = "restarting"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Service:
    """One child: its command line, where it listens, and what it still lacks."""

    name: str
    argv: tuple[str, ...]
    host: str
    port: int
    section: str  # the config table that names its host and port
    missing: Msg | None = None  # a prerequisite a person must set first; None: it can start
    environment: Mapping[str, str] = field(default_factory=dict)  # added to the supervisor's own

    @property
    def address(self) -> str:
        return f"http://{self.host}:{self.port}/"


@dataclass(frozen=True)
class Status:
    service: Service
    state: State
    attempt: int = 1  # the start this is (starting, up), or the next one (restarting)
    delay: float = 0.0  # restarting: seconds until the next start
    pid: int | None = None
    error: str = ""  # one line (a Msg when studio says it), secrets replaced


def backoff(attempt: int) -> float:
    """Seconds before start number ``attempt`` (2, 3, ...): 1, 2, 4... at most ``BACKOFF_CAP``."""
    return min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** max(0, attempt - 2))


def port_taken(host: str, port: int) -> str | None:
    """Why nothing new can listen on ``host:port`` (the system's words), or None when it is free."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
            probe.bind(address)
    except OSError as error:  # socket.gaierror is one
        return error.strerror or str(error)
    return None


async def answers(host: str, port: int) -> bool:
    """Whether something accepts a connection on ``host:port`` (a wildcard address: on loopback)."""
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(target, port), 1.0)
    except (OSError, TimeoutError):
        return False
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass
    return True


def exit_said(code: int) -> Msg:
    """How a child ended, when it said nothing itself."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return Msg("up.exit.signal", signal=name)
    return Msg("up.exit.code", code=code)


class Supervisor:
    """Keeps ``services`` running until ``interrupt()`` (SIGINT, SIGTERM) stops them.

    ``report(status)`` is called on every change of a service's state; ``relay(name,
    line)`` with every line a child writes; ``notice(msg)`` with what the supervisor
    itself says (stopping, forcing). ``secrets`` never reach any of them.
    """

    def __init__(
        self,
        services: Iterable[Service],
        *,
        report: Callable[[Status], None],
        relay: Callable[[str, str], None],
        notice: Callable[[Msg], None],
        secrets: Iterable[str] = (),
    ) -> None:
        self.services = tuple(services)
        self.report, self.relay, self.notice = report, relay, notice
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)
        self.children: dict[str, asyncio.subprocess.Process] = {}
        self.stopping = False
        self.forced = False
        self._wake: asyncio.Event | None = None

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, SCRUBBED)
        return text

    async def run(self) -> int:
        """Until every service is stopped: 0 when asked to stop, ``PERSON_MUST_FIX`` when none could stay up."""
        loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, self.interrupt)
        try:
            await asyncio.gather(*(self._keep(service) for service in self.services))
        finally:
            for number in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(number)
        return 0 if self.stopping else PERSON_MUST_FIX

    def interrupt(self) -> None:
        """The first call stops every child cleanly; the next one kills them."""
        if self.stopping:
            self.forced = True
            self.notice(Msg("up.forcing"))
            for child in self.children.values():
                _signal(child, signal.SIGKILL)
            return
        self.stopping = True
        self.notice(Msg("up.stopping"))
        assert self._wake is not None
        self._wake.set()
        for child in self.children.values():
            _signal(child, signal.SIGTERM)

    async def _keep(self, service: Service) -> None:
        if service.missing is not None:
            self.report(Status(service, State.STOPPED, error=service.missing))
            return
        attempt = 1
        while not self.stopping:
            reason = port_taken(service.host, service.port)
            if reason is not None:
                taken = Msg("up.error.port_taken", host=service.host, port=service.port, reason=reason,
                            section=service.section)
                self.report(Status(service, State.STOPPED, attempt, error=taken))
                return
            self.report(Status(service, State.STARTING, attempt))
            code, said, up_for = await self._run_child(service, attempt)
            if self.stopping:
                break
            error = said if code > 0 and said else exit_said(code)
            if code == PERSON_MUST_FIX:
                self.report(Status(service, State.STOPPED, attempt, error=error))
                return
            attempt = 2 if up_for >= STABLE else attempt + 1
            delay = backoff(attempt)
            self.report(Status(service, State.RESTARTING, attempt, delay, error=error))
            await self._pause(delay)
        self.report(Status(service, State.STOPPED, attempt))

    async def _run_child(self, service: Service, attempt: int) -> tuple[int, str, float]:
        """Run one child to its end: (exit code, the last line it wrote, seconds it was up)."""
        child = await asyncio.create_subprocess_exec(
            *service.argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=os.environ | dict(service.environment) | {"PYTHONUNBUFFERED": "1"},
            process_group=0,  # Ctrl+C in the terminal is the supervisor's to pass on
        )
        self.children[service.name] = child
        if self.stopping:  # asked to stop while it was being started
            _signal(child, signal.SIGTERM)
        last = ""

        async def read() -> None:
            nonlocal last
            assert child.stdout is not None
            async for raw in child.stdout:
                line = self.scrub(raw.decode("utf-8", "replace").rstrip())
                if line.strip():
                    last = line.strip()[:LONGEST_ERROR]
                    self.relay(service.name, line)

        async def probe() -> float:
            while not await answers(service.host, service.port):
                await asyncio.sleep(PROBE)
            self.report(Status(service, State.UP, attempt, pid=child.pid))
            return time.monotonic()

        reading = asyncio.create_task(read())
        probing = asyncio.create_task(probe())
        code = await child.wait()
        probing.cancel()
        await reading
        del self.children[service.name]
        try:
            up_for = time.monotonic() - await probing
        except asyncio.CancelledError:
            up_for = 0.0
        return code, last, up_for

    async def _pause(self, seconds: float) -> None:
        """Wait before a restart; a stop ends the wait at once."""
        assert self._wake is not None
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass


def _signal(child: asyncio.subprocess.Process, number: int) -> None:
    try:
        child.send_signal(number)
    except ProcessLookupError:  # it has just ended
        pass


def status_line(status: Status, language: str, at: str) -> str:
    """``09:58:02  api       http://127.0.0.1:8765/  up (pid 4711)``: one service's state, said at ``at``."""
    state = {
        State.STARTING: Msg("up.state.starting", attempt=status.attempt),
        State.UP: Msg("up.state.up", pid=status.pid),
        State.RESTARTING: Msg("up.state.restarting", attempt=status.attempt, seconds=f"{status.delay:g}"),
        State.STOPPED: Msg("up.state.stopped"),
    }[status.state].render(language)
    service = status.service
    line = f"{at}  {service.name:<9} {service.address:<26} {state}"
    if status.error:
        line += " — " + Msg("up.last_error", error=status.error).render(language)
    return line
