"""The HTTP edges: the browser prompter (``prompter.py``), the control API (``api.py``) and the
observers' intake (``intake.py``). What they share: one error body and middleware (``http.py``),
the contract's pydantic models (``models.py``) and the documents generated from them (``openapi.py``).

Nothing is imported here, so ``studio.web.follow`` and ``studio.web.cue``
(shared with the terminal prompter) load without aiohttp.
"""
