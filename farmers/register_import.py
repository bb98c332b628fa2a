"""Reading and checking a household register (CSV or XLSX, as officials keep them).

Every row is validated with HouseholdForm, the same validation as the pages; rows are
matched to existing households by registration number, so re-importing a file
updates them instead of duplicating them.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from counties.models import Village
from counties.selectors import counties_visible_to
from farmers.forms import HouseholdForm
from farmers.models import Household, PovertyCause, RegisterStatus

MAX_ROWS = 5000
# Canonical column -> accepted headers (English keys and the usual Chinese headers).
COLUMNS = {
    "county_code": ("county_code", "县代码", "行政区划代码"),
    "village": ("village", "村", "行政村"),
    "registration_number": ("registration_number", "建档立卡编号", "户编号"),
    "registration_year": ("registration_year", "建档立卡年度", "识别年度"),
    "head_name": ("head_of_household", "户主姓名", "户主"),
    "members": ("members", "家庭人口", "人口数"),
    "poverty_causes": ("poverty_causes", "致贫原因"),
    "support_measures": ("support_measures", "帮扶措施"),
    "expected_exit_year": ("expected_exit_year", "计划脱贫年度"),
}
REQUIRED = (
    "county_code",
    "village",
    "registration_number",
    "registration_year",
    "head_name",
    "members",
)
CAUSE_SEPARATORS = re.compile(r"[;,；，、/]+")


class RegisterFileError(Exception):
    """The file as a whole cannot be read as a register."""


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    form: HouseholdForm | None = None

    @property
    def action(self) -> str:
        return "update" if self.form and self.form.instance.pk else "create"


@dataclass
class RegisterCheck:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    @property
    def creates(self) -> int:
        return sum(1 for row in self.rows if row.action == "create")

    @property
    def updates(self) -> int:
        return sum(1 for row in self.rows if row.action == "update")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_table(file) -> list[list[str]]:
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if head.startswith(b"PK"):
        try:
            workbook = load_workbook(file, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise RegisterFileError(
                _("This file is not a readable XLSX workbook.")
            ) from exc
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        workbook.close()
        return rows
    raw = file.read()
    if b"\x00" in raw:
        raise RegisterFileError(
            _("This file is neither a CSV file nor an XLSX workbook.")
        )
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RegisterFileError(_("The CSV file is not in UTF-8 or GBK encoding."))
    try:
        return [
            [_cell(value) for value in row] for row in csv.reader(io.StringIO(text))
        ]
    except csv.Error as exc:
        raise RegisterFileError(_("The CSV file is malformed: %s") % exc) from exc


def _header_map(header: list[str]) -> dict[str, int]:
    aliases = {
        alias.lower(): name for name, names in COLUMNS.items() for alias in names
    }
    found = {}
    for index, title in enumerate(header):
        name = aliases.get(title.strip().lower())
        if name and name not in found:
            found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        expected = "; ".join(" / ".join(COLUMNS[name]) for name in missing)
        raise RegisterFileError(_("Missing columns: %s") % expected)
    return found


def _cause_lookup() -> dict[str, str]:
    lookup = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in PovertyCause.choices:
                lookup[str(label).lower()] = value
                lookup[value] = value
    return lookup


def _causes(text: str, lookup: dict[str, str], errors: list[str]) -> list[str]:
    causes = []
    for token in filter(None, (t.strip() for t in CAUSE_SEPARATORS.split(text))):
        cause = lookup.get(token.lower())
        if cause is None:
            errors.append(_("Unknown poverty cause “%s”.") % token)
        elif cause not in causes:
            causes.append(cause)
    return causes


def check_register(file, user) -> RegisterCheck:
    """Read and validate every row; nothing is written."""
    result = RegisterCheck()
    try:
        table = _read_table(file)
        if not table:
            raise RegisterFileError(_("The file is empty."))
        columns = _header_map(table[0])
    except RegisterFileError as exc:
        result.file_errors.append(str(exc))
        return result
    body = [(line, row) for line, row in enumerate(table[1:], start=2) if any(row)]
    if len(body) > MAX_ROWS:
        result.file_errors.append(
            _("The file has more than %(max)s rows. Split it into parts.")
            % {"max": MAX_ROWS}
        )
        return result

    counties = {c.code: c for c in counties_visible_to(user)}
    villages = {
        (v.county_id, v.name): v
        for v in Village.objects.filter(county__in=counties.values())
    }
    existing = {
        h.registration_number: h
        for h in Household.objects.select_related("village").filter(
            registration_number__in=[
                row[columns["registration_number"]]
                for _line, row in body
                if len(row) > columns["registration_number"]
            ]
        )
    }
    causes = _cause_lookup()
    first_line_of: dict[str, int] = {}

    for line, row in body:
        values = {
            name: row[index] if index < len(row) else ""
            for name, index in columns.items()
        }
        checked = RowResult(line=line, values=values)
        result.rows.append(checked)
        errors = checked.errors
        county = counties.get(values["county_code"])
        if not values["county_code"]:
            errors.append(_("The county code is missing."))
        elif county is None:
            errors.append(
                _("Unknown county code “%s” (or not a county you manage).")
                % values["county_code"]
            )
        village = None
        if not values["village"]:
            errors.append(_("The village is missing."))
        elif county is not None:
            village = villages.get((county.pk, values["village"]))
            if village is None:
                errors.append(
                    _("No village “%(village)s” in %(county)s.")
                    % {"village": values["village"], "county": county}
                )
        number = values["registration_number"]
        if number in first_line_of:
            errors.append(
                _(
                    "Registration number %(number)s is repeated "
                    "(first on line %(line)s)."
                )
                % {"number": number, "line": first_line_of[number]}
            )
        elif number:
            first_line_of[number] = line
        household = existing.get(number) if number else None
        if household is not None:
            if household.village.county_id not in {c.pk for c in counties.values()}:
                errors.append(
                    _("Registration number %s belongs to another county.") % number
                )
                household = None
            elif household.status == RegisterStatus.EXITED:
                errors.append(
                    _(
                        "Household %s has left the register; an import does not "
                        "register it again."
                    )
                    % number
                )
                household = None
        form = HouseholdForm(
            data={
                "village": village.pk if village else "",
                "head_name": values["head_name"],
                "members": values["members"],
                "status": RegisterStatus.REGISTERED,
                "registration_number": number,
                "registration_year": values["registration_year"],
                "poverty_causes": _causes(
                    values.get("poverty_causes", ""), causes, errors
                ),
                "support_measures": values.get("support_measures", ""),
                "expected_exit_year": values.get("expected_exit_year", ""),
            },
            instance=household,
            villages=Village.objects.filter(pk=village.pk) if village else None,
        )
        if village is not None and not form.is_valid():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                errors.extend(
                    f"{label}: {message}" if label else message for message in messages
                )
        checked.form = form if not errors else None
    return result
