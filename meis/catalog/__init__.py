"""The e-service catalogue: every subsystem's services as versioned data.

Owns `Service` and its frozen versions (forms, documents, deadlines, handler, audience, how
to apply: online, a certificate or in person), and the seven subsystems (`subsystems.py`).
Writes: `services.py` (save as a new version, import, export). Reads: `selectors.py`;
`handlers.py` evaluates an application's pre-check with the rules; `audience.py` says who may
apply and how (the case engine enforces it). Pages: the public catalogue.
"""
