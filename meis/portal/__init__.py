"""The portal's own pages: the home page, the accessibility and privacy statements.

Owns no tables. Writes: none. Reads: none of its own (`views.py` renders the catalogue's
subsystems; `context_processors.py` fills the layout). The citizen's other pages live with the
app that owns their data (accounts, cases, awards, certificates, notifications).
"""
