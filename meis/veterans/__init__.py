"""Registers behind the Presidential stipends (docs/domain.md §5): war-disabled status, martyrs'
families, veterans and heroes.

Owns the registers' models (`models.py`).
"""
