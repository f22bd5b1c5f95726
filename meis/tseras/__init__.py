"""The disability-assessment pages (TSERAS): the clinic's referrals, the commission's work and the
citizen's referrals and decisions.

Pages: `views.py`.
"""
