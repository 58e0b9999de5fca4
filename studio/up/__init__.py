"""``studio up``: the day's headless services in one supervised process.

Each service (studio/up/services.py: the intake, the control API, the browser
prompter) runs as a child process that is the very ``studio`` command a person
would type (``studio intake``, ``studio serve``, ``studio prompter --web``), on
the config and the store the parent resolved once. studio/up/supervisor.py starts
them, says a status line per service, restarts a crashed one with a capped
backoff and stops them all on Ctrl+C.

Why children and not tasks in one event loop: a child can be killed and
started afresh whatever state it is in (a stuck thread, a leaked connection),
its crash takes nothing else down, each keeps its own store connection as every
studio process does, and each is exactly the command that is tested on its own.
"""
