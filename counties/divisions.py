"""China's administrative divisions, three levels (province, city, district),
shipped with the project as data (counties/data/divisions.json: GB/T 2260 codes
and names) and loaded into `Division` by a migration. Addresses and shipping
choose their regions from them."""

import json
from pathlib import Path

from counties.models import Division

DATA = Path(__file__).resolve().parent / "data" / "divisions.json"


def shipped_divisions() -> list[tuple[str, str, str, int]]:
    """The rows of the data file: (code, name, parent code or "", level), every
    parent before its children."""
    rows = json.loads(DATA.read_text(encoding="utf-8"))["divisions"]
    return [tuple(row) for row in sorted(rows, key=lambda row: (row[3], row[0]))]


def divisions_load(model=Division) -> int:
    """Load the shipped divisions into `model` (the migration passes its
    historical model); rows already there are kept. Returns how many it added."""
    have = set(model.objects.values_list("code", flat=True))
    new = [
        model(code=code, name=name, parent_id=parent or None, level=level)
        for code, name, parent, level in shipped_divisions()
        if code not in have
    ]
    model.objects.bulk_create(new, batch_size=1000)
    return len(new)
