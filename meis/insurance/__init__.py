"""Social insurance: the individual account (fərdi hesab) of each insured person.

Owns `InsuranceAccount` and its contributions: the record and the pension capital the pension rules
need. Writes: `services.py`. Reads: `models.py` (certificates and proactive sources read them).
"""
