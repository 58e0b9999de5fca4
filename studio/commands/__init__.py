"""``studio``'s commands: one function per command (studio/commands/parser.py names them), called by
studio/cli.py's ``main``, which prints every error in one place.

- common.py: what several commands share (the config, the stores, the rundown, who acts, exports);
- show.py: the show process and its readers (run, check, asrun export, prompter, serve);
- devices.py: OBS and YouTube (obs setup/check, youtube);
- desk.py: the verification desk and its edges (import, desk, intake, observers, operators, fact,
  provenance, demo-data, render).

Each function imports what it needs inside itself, so ``studio check`` never loads Textual, OBS or Google.
"""
