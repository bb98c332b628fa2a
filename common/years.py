"""The years the platform knows: a register, a poverty line, a survey or a report
names a year from FIRST_YEAR to LAST_YEAR."""

from django.core.validators import MaxValueValidator, MinValueValidator

FIRST_YEAR = 2000
LAST_YEAR = 2100
year_validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
