"""Field work's models: work.py (training, visits, income surveys, help cases)
and sync.py (what a record made offline carries, and the records refused)."""

from fieldwork.models.sync import *  # noqa: F403
from fieldwork.models.work import *  # noqa: F403
