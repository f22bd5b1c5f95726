"""E-Arayış: electronic certificates anyone can verify.

Owns `Certificate` (frozen facts, the signed PDF, hashed verification code, status).
Writes: `services.py` (issue through the case engine's instant decision, check, revoke),
`extracts.py` (the signed extract of a commission's disability decision), `signing.py` and
`pades.py` (PAdES signatures with pyHanko). Reads: `selectors.py`, `facts.py`
(what each certificate states, from the registers) and `examinations.py` (the disability
examination statements and the decision extract). Rendering: `rendering.py`, `qr.py`.
Pages: my certificates, the public check (page, PDF upload, /V/<code>, JSON), the staff desk.
"""
