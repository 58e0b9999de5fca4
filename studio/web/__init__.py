"""The HTTP edges: the browser prompter (``prompter.py``) and the control API (``api.py``).

Nothing is imported here, so ``studio.web.follow`` and ``studio.web.cue``
(shared with the terminal prompter) load without aiohttp.
"""
