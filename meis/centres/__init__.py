"""The DOST service centres (DOST mərkəzləri): where citizens are received and staff work.

Owns `ServiceCentre` (code, names in three languages, address). Writes: the seed migration
(`migrations/`) and the admin. Reads: `selectors.py` (the list a person chooses from to go in
person), `models.py` (cases, accounts and certificates refer to a centre).
"""
