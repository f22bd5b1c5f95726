"""Eligibility facts: what the state registers say a rules scheme needs to know about a person.

Owns no tables. It owns the answer to "which facts does the rule read, and where does each come
from": for every rules-backed scheme one function gathers the scheme's facts (named as the scheme
names them, `meis rules list`) for a person or their household on a date, from the population
register (person, household, members), the insurance account and contributions, disability
decisions, births, household means, and the awards already held. Each fact carries its
provenance (*registry*); the facts no register holds are listed for the citizen to declare.
The application pre-check (`meis.cases.selectors.case_rules_result`) and the single-person
proactive path (`meis.proactive.services.person`) both read facts through here; the set-based
proactive SQL (`meis.proactive.sources`) reads the same registers, and a property test keeps
the two in agreement.

Writes: none — it only reads. Reads: `selectors.py` (`facts_gather`, `application_facts`, one
gatherer per scheme), `sheet.py` (`FactSheet`, and `facts_merge`: registry and declared facts,
a contradiction kept as declared and flagged).
"""
