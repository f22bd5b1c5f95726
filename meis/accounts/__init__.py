"""Who is acting: citizen and staff sign-in, roles, and the person half of the access funnel.

Owns citizen accounts and sign-in challenges (document + FİN + one-time code), staff profiles
(password + TOTP, centre, subsystems), centre registrations and call sessions of the 142 centre.
Writes: `services.py` (sign-in, sign-out everywhere, calls, staff role groups). Reads:
`access.py` (`person_get_for_actor`: who may see whom, audited), `selectors.py`; `decorators.py`
decides who may open a page at all. Pages: sign-in, my record, who looked, staff home, calls.
"""
