"""Public calculators: estimate a pension or targeted assistance without signing in.

Owns no tables. Writes: none. Reads: the rules (`views.py` evaluates a scheme for the form's
answers and shows the explanation).
"""
