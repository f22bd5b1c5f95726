"""The state registries MEİS reads: persons, identity documents, households and employers.

Owns `Person`, `IdentityDocument`, `Household`, `HouseholdMembership`, `Employer`. In production
these tables mirror the national registers; here the synthetic country fills them.
Writes: `synthetic/` (a whole synthetic country, vectorised and deterministic). Reads:
`selectors.py` (look-ups by normalised identifiers, valid documents, age cohorts).
"""
