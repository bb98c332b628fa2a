"""Writing work units: units.py (units, people, budgets, orders), acceptance.py
(accepting the goods)."""
