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
from xml.etree.ElementTree import ParseError

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from counties.models import Village
from counties.selectors import counties_visible_to
from farmers.forms import HouseholdForm
from farmers.models import Household, PovertyCause, RegisterStatus

MAX_ROWS = 5000
MAX_COLUMNS = 50
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
OPTIONAL = ("poverty_causes", "support_measures", "expected_exit_year")
CAUSE_SEPARATORS = re.compile(r"[;,；，、/]+")


CONSTRAINED_FIELDS = {"status", "registration_number", "registration_year", "exited_on"}


class HouseholdRowForm(HouseholdForm):
    """HouseholdForm for one register row. check_register resolves the village and
    checks registration numbers for the whole file at once (in bulk), so a row
    costs no query of its own."""

    class Meta(HouseholdForm.Meta):
        fields = [name for name in HouseholdForm.Meta.fields if name != "village"]

    def validate_unique(self):
        """Done for the whole file by check_register; the database has the last
        word when the rows are saved."""

    def _get_validation_exclusions(self):
        # Skip the model's constraint checks for a row: each costs a query (5,000
        # rows, 10,000 queries). The form fields carry the same validators,
        # HouseholdForm.clean() enforces the status/registration rule, numbers are
        # checked in bulk, and the database constraints still guard the save.
        return super()._get_validation_exclusions() | CONSTRAINED_FIELDS


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


def _table(rows) -> list[tuple[int, list[str]]]:
    """Number the rows from 1 and keep the header and the non-empty rows; stop one
    past the row cap (blank rows do not count towards it, so none is lost)."""
    table, filled = [], 0
    for line, row in enumerate(rows, start=1):
        cells = [_cell(value) for value in row]
        if line == 1 or any(cells):
            table.append((line, cells))
            filled += line > 1
            if filled > MAX_ROWS:
                break
    return table


def _read_xlsx(file) -> list[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # A sheet can claim to be 16,384 columns wide; never trust its
            # dimensions, and read no further right than a register goes.
            sheet.reset_dimensions()
            return _table(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        finally:
            workbook.close()
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ParseError,
        ValueError,
        TypeError,
        IndexError,
    ) as exc:
        raise RegisterFileError(
            _("This file is not a readable XLSX workbook.")
        ) from exc


def _read_csv(file) -> list[tuple[int, list[str]]]:
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
        rows = csv.reader(io.StringIO(text))
        return _table(row[:MAX_COLUMNS] for row in rows)
    except csv.Error as exc:
        raise RegisterFileError(_("The CSV file is malformed: %s") % exc) from exc


def _read_table(file) -> list[tuple[int, list[str]]]:
    """(line number, cells) for the header and every non-empty row."""
    file.seek(0)
    is_zip = file.read(4).startswith(b"PK")
    file.seek(0)
    return _read_xlsx(file) if is_zip else _read_csv(file)


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


def _optional_fields(values: dict, household, causes, errors) -> dict:
    """The optional columns; one the file lacks keeps the household's current value
    (so re-importing a narrower file never wipes data)."""
    fields = {}
    for name in OPTIONAL:
        if name in values:
            value = values[name]
            fields[name] = (
                _causes(value, causes, errors) if name == "poverty_causes" else value
            )
        elif household is not None:
            value = getattr(household, name)
            fields[name] = "" if value is None else value
        else:
            fields[name] = [] if name == "poverty_causes" else ""
    return fields


def read_register(file) -> tuple[list[tuple[int, list[str]]], dict[str, int]]:
    """The register's rows (line number, cells) and where each column is. Raises
    RegisterFileError when the file as a whole cannot be a register: unreadable,
    empty, without the register's columns, or over MAX_ROWS rows."""
    table = _read_table(file)
    if not table:
        raise RegisterFileError(_("The file is empty."))
    columns = _header_map(table[0][1])
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise RegisterFileError(
            _("The file has more than %(max)s rows. Split it into parts.")
            % {"max": MAX_ROWS}
        )
    return body, columns


def check_register(file, user) -> RegisterCheck:
    """Read and validate every row; nothing is written."""
    result = RegisterCheck()
    try:
        body, columns = read_register(file)
    except RegisterFileError as exc:
        result.file_errors.append(str(exc))
        return result

    counties = {c.code: c for c in counties_visible_to(user)}
    villages = {
        (v.county_id, v.name): v
        for v in Village.objects.select_related("county").filter(
            county__in=counties.values()
        )
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
        instance = household or Household()
        instance.village = village
        form = HouseholdRowForm(
            data={
                "head_name": values["head_name"],
                "members": values["members"],
                "status": RegisterStatus.REGISTERED,
                "registration_number": number,
                "registration_year": values["registration_year"],
                **_optional_fields(values, household, causes, errors),
            },
            instance=instance,
        )
        if village is not None and not form.is_valid():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                errors.extend(
                    f"{label}: {message}" if label else message for message in messages
                )
        checked.form = form if not errors else None
    return result
