"""Entitlements (təyinat): what a person is granted, and the decision record behind it.

Owns `Award`, `DecisionBasis` (rules version and parameters a decision used) and reviewed
`Recalculation` batches. Writes: `services/` (`grant`: single grants and their traces;
`recalculation`: prepare, approve, reject). Reads: `selectors/` (a citizen's own awards and
letters; `recorded_facts`, the facts decisions recorded, read set-based). Pages: my awards.
"""
