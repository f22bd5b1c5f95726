"""Statistics pages (issue 19): the analysts' dashboard, the public statistics page, open data
and `meis stats report`.

Owns no tables: it reads the usage rollups (`usage`) and labels their codes in the page's
language (services from the catalogue, centres, regions, call topics).

Writes: — (the rollups are `usage`'s; `meis stats refresh|rebuild` calls its services).
Reads: `report.py` (the seed's kinds of figures for a period), `opendata.py` (the daily
aggregates and their Frictionless data package), `labels.py`; pages in `views.py`.
"""
