"""The settings of work units (procurement), from the environment; config/settings.py
takes them all."""

from decimal import Decimal

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()
__all__ = [
    "UNIT_RESERVED_SHARE",
    "UNIT_INVITE_DAYS",
    "UNIT_ACCEPT_DAYS",
    "UNIT_PAY_DAYS",
    "UNIT_CHASE_DAYS",
    "RECEIPT_FONT",
    "RECEIPT_FONT_INDEX",
]

# The share of a unit's farm-produce budget reserved for poverty counties' produce
# where no ReservedShare row names the year (10%: the national minimum since 2022).
UNIT_RESERVED_SHARE = Decimal(env.str("UNIT_RESERVED_SHARE", default="0.10"))
if not 0 <= UNIT_RESERVED_SHARE <= 1:
    raise ImproperlyConfigured("UNIT_RESERVED_SHARE is a fraction from 0 to 1")
# An invitation link to a unit works once, for this many days.
UNIT_INVITE_DAYS = env.int("UNIT_INVITE_DAYS", default=7)
# A delivery nobody in the unit decides on is accepted whole this many days after
# it shipped (the unit is told when it happens).
UNIT_ACCEPT_DAYS = env.int("UNIT_ACCEPT_DAYS", default=7)
# A unit that pays on account pays within this many days of its last decision on
# a checkout's goods; once overdue, its admins and the buyer are reminded every
# UNIT_CHASE_DAYS until staff record the transfer.
UNIT_PAY_DAYS = env.int("UNIT_PAY_DAYS", default=30)
UNIT_CHASE_DAYS = env.int("UNIT_CHASE_DAYS", default=7)
# The font embedded in units' receipt PDFs: a TrueType file (or collection) with
# Chinese glyphs; Debian's fonts-wqy-microhei by default (.ci/run installs it).
RECEIPT_FONT = env.str(
    "RECEIPT_FONT", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)
RECEIPT_FONT_INDEX = env.int("RECEIPT_FONT_INDEX", default=0)  # in a collection
