"""Household register import: a dry run with errors by line, then all rows in one
transaction or none; re-importing the same file updates instead of duplicating."""

import csv
import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from accounts.models import Role
from farmers.models import Household, RegisterImport, RegisterStatus
from farmers.register_import import MAX_ROWS, check_register
from farmers.services import register_import_apply, register_import_upload
from tests.factories import CountyFactory, HouseholdFactory, VillageFactory

pytestmark = pytest.mark.django_db
HEADER = [
    "county_code",
    "village",
    "registration_number",
    "registration_year",
    "head_of_household",
    "members",
    "poverty_causes",
    "support_measures",
    "expected_exit_year",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def county():
    county = CountyFactory(code="529901", name="County C")
    VillageFactory(county=county, name="Shiban")
    VillageFactory(county=county, name="Yangliu")
    return county


@pytest.fixture
def official(make_user, county):
    official = make_user(role=Role.OFFICIAL)
    official.counties.add(county)
    return official


def row(number="R001", **overrides):
    values = {
        "county_code": "529901",
        "village": "Shiban",
        "registration_number": number,
        "registration_year": "2016",
        "head_of_household": "王大山",
        "members": "4",
        "poverty_causes": "因病;lack of skills",
        "support_measures": "养蜂培训",
        "expected_exit_year": "2019",
    }
    values.update(overrides)
    return [values[column] for column in HEADER]


def csv_upload(rows, header=HEADER, encoding="utf-8", name="register.csv"):
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return SimpleUploadedFile(name, text.getvalue().encode(encoding))


def xlsx_upload(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([int(v) if v.isdigit() else v for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("register.xlsx", out.getvalue())


def upload(client, file):
    return client.post("/households/import/", {"file": file})


def test_preview_writes_nothing_then_import_creates_every_row(client, official):
    client.force_login(official)
    response = upload(client, csv_upload([row("R001"), row("R002", village="Yangliu")]))
    record = RegisterImport.objects.get()
    assert response["Location"] == f"/households/import/{record.pk}/"
    preview = client.get(response["Location"])
    assert preview.context["check"].ok
    assert preview.context["check"].creates == 2
    assert not Household.objects.exists()  # a dry run

    client.post(response["Location"])
    record.refresh_from_db()
    assert (record.status, record.created, record.updated) == ("imported", 2, 0)
    household = Household.objects.get(registration_number="R001")
    assert household.status == RegisterStatus.REGISTERED
    assert household.poverty_causes == ["illness", "skills"]
    assert household.village.name == "Shiban"


def test_reimporting_the_same_file_updates_instead_of_duplicating(official):
    first = register_import_upload(
        upload=csv_upload([row("R001")]), uploaded_by=official
    )
    register_import_apply(register_import=first, user=official)
    again = register_import_upload(
        upload=csv_upload([row("R001", members="6")]), uploaded_by=official
    )
    record = register_import_apply(register_import=again, user=official)
    assert (record.created, record.updated) == (0, 1)
    assert Household.objects.get().members == 6


def test_xlsx_with_chinese_headers(official):
    chinese = [
        "县代码",
        "村",
        "建档立卡编号",
        "建档立卡年度",
        "户主姓名",
        "家庭人口",
        "致贫原因",
        "帮扶措施",
        "计划脱贫年度",
    ]
    check = check_register(xlsx_upload([row("R009")], header=chinese), official)
    assert check.ok, [r.errors for r in check.rows] + check.file_errors
    assert check.rows[0].values["members"] == "4"


def test_gbk_csv_from_excel_is_read(official):
    check = check_register(csv_upload([row("R010")], encoding="gb18030"), official)
    assert check.ok
    assert check.rows[0].values["head_name"] == "王大山"


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(official, county):
    HouseholdFactory(registered=True, registration_number="OTHER1")  # another county
    rows = [
        row("R001"),
        row("R002", village=""),
        row("R003", county_code="999999"),
        row("R004", members="many"),
        row("R005", registration_year="20x6"),
        row("R001"),
        row("OTHER1"),
        row("R006", village="Atlantis"),
        row("R007", poverty_causes="bad luck"),
    ]
    record = register_import_upload(upload=csv_upload(rows), uploaded_by=official)
    with record.file.open("rb") as file:
        check = check_register(file, official)
    errors = {r.line: " ".join(r.errors) for r in check.error_rows}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10]  # line 2 is the valid row
    assert "R001" in errors[7] and "line 2" in errors[7]
    assert "999999" in errors[4]
    assert "Atlantis" in errors[9]
    assert "bad luck" in errors[10]
    with pytest.raises(ValidationError):
        register_import_apply(register_import=record, user=official)
    assert Household.objects.count() == 1  # only the other county's
    record.refresh_from_db()
    assert record.status == RegisterImport.Status.PREVIEWED


def test_preview_page_lists_errors_by_line(client, official):
    client.force_login(official)
    response = upload(client, csv_upload([row("R001", members="-3")]))
    page = client.get(response["Location"])
    assert not page.context["check"].ok
    assert [r.line for r in page.context["page_obj"]] == [2]
    assert b'<form method="post"' not in page.content.split(b"<main")[1]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"a,b,c\n1,2,3\n", "register.csv", "Missing columns"),
        (b"", "register.csv", "empty"),
        (b"PK\x03\x04 not really a zip", "register.xlsx", "XLSX"),
        (b"\x00\x01\x02binary", "register.csv", "neither"),
    ],
)
def test_files_that_are_not_registers_get_a_clear_error(
    official, content, name, message
):
    from django.utils import translation

    with translation.override("en"):
        check = check_register(SimpleUploadedFile(name, content), official)
    assert not check.ok
    assert message in " ".join(check.file_errors)


def test_upload_limits_are_enforced_by_the_form(client, official):
    client.force_login(official)
    big = SimpleUploadedFile("register.csv", b"x" * (5 * 1024 * 1024 + 1))
    response = upload(client, big)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    response = upload(client, SimpleUploadedFile("register.pdf", b"%PDF-1.4"))
    assert "file" in response.context["form"].errors
    assert not RegisterImport.objects.exists()


def test_too_many_rows_are_refused(official):
    rows = [row(f"R{i:05d}") for i in range(MAX_ROWS + 1)]
    check = check_register(csv_upload(rows), official)
    assert check.file_errors and not check.rows


def test_an_import_cannot_be_applied_twice(official):
    record = register_import_upload(
        upload=csv_upload([row("R001")]), uploaded_by=official
    )
    register_import_apply(register_import=record, user=official)
    with pytest.raises(ValidationError):
        register_import_apply(register_import=record, user=official)
    assert Household.objects.count() == 1


def test_exited_households_are_not_re_registered_by_import(official, county):
    HouseholdFactory(
        registered=True,
        registration_number="R001",
        village=county.villages.first(),
        status=RegisterStatus.EXITED,
        exited_on="2019-12-01",
    )
    check = check_register(csv_upload([row("R001")]), official)
    assert not check.ok


def test_officials_see_only_their_own_uploads_and_buyers_none(
    client, official, make_user
):
    record = register_import_upload(upload=csv_upload([row()]), uploaded_by=official)
    other = make_user(role=Role.OFFICIAL)
    client.force_login(other)
    assert client.get(f"/households/import/{record.pk}/").status_code == 404
    client.force_login(make_user(role=Role.BUYER))
    assert client.get("/households/import/").status_code == 403


def test_register_files_are_private_and_removed_after_import(
    client, official, settings, django_capture_on_commit_callbacks
):
    record = register_import_upload(upload=csv_upload([row()]), uploaded_by=official)
    path = record.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "register-imports/register" not in record.file.name  # unguessable
    with pytest.raises(ValueError):
        record.file.url  # noqa: B018
    with django_capture_on_commit_callbacks(execute=True):
        register_import_apply(register_import=record, user=official)
    record.refresh_from_db()
    assert not record.file
    assert not os.path.exists(path)
    assert client.get(f"/media/{record.file.name}").status_code == 404


def test_broken_xlsx_is_a_clear_error_not_a_crash(client, official):
    good = xlsx_upload([row()]).read()
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b"</sheetData>", b"<row><c r=")  # bad XML
            dst.writestr(item, data)
    client.force_login(official)
    response = upload(client, SimpleUploadedFile("register.xlsx", out.getvalue()))
    # Refused at the upload, with the reason, and nothing kept.
    assert response.status_code == 200
    assert "XLSX" in " ".join(response.context["form"].errors["file"])
    assert not RegisterImport.objects.exists()


def test_a_sheet_claiming_huge_dimensions_reads_only_real_cells(official):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(row("R001"))
    sheet["XFD3"] = "far away"  # column 16,384
    out = io.BytesIO()
    workbook.save(out)
    check = check_register(
        SimpleUploadedFile("register.xlsx", out.getvalue()), official
    )
    assert [r.line for r in check.rows] == [2]  # row 3's only cell is past 50 columns
    assert check.ok


def test_blank_rows_do_not_hide_rows_past_the_cap(official):
    rows = [row(f"R{i:05d}") for i in range(MAX_ROWS - 2)]
    rows += [[""] * len(HEADER)] * 10 + [row("LAST1"), row("LAST2"), row("LAST3")]
    check = check_register(xlsx_upload(rows), official)
    assert check.file_errors  # 5,001 filled rows: refused, not silently cut
    check = check_register(xlsx_upload(rows[:-1]), official)
    assert check.ok and check.rows[-1].values["registration_number"] == "LAST2"


def test_xlsx_row_cap(official):
    rows = [row(f"R{i:05d}") for i in range(MAX_ROWS + 1)]
    assert check_register(xlsx_upload(rows), official).file_errors


def test_reimport_without_optional_columns_keeps_their_values(official):
    first = register_import_upload(
        upload=csv_upload([row("R001")]), uploaded_by=official
    )
    register_import_apply(register_import=first, user=official)
    narrow = HEADER[:6]
    again = register_import_upload(
        upload=csv_upload([row("R001", members="5")[:6]], header=narrow),
        uploaded_by=official,
    )
    register_import_apply(register_import=again, user=official)
    household = Household.objects.get()
    assert household.members == 5
    assert household.support_measures == "养蜂培训"
    assert household.poverty_causes == ["illness", "skills"]
    assert household.expected_exit_year == 2019


def test_a_50_mb_upload_is_refused_before_anything_is_stored(client, official):
    client.force_login(official)
    huge = SimpleUploadedFile("register.xlsx", b"PK" + b"\0" * (50 * 1024 * 1024))
    response = upload(client, huge)
    assert response.status_code == 413  # refused before the body is read
    assert "MB" in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_a_6_mb_upload_gets_the_forms_message(client, official):
    client.force_login(official)
    big = SimpleUploadedFile("register.xlsx", b"PK" + b"\0" * (6 * 1024 * 1024))
    response = upload(client, big)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not RegisterImport.objects.exists()


def test_checking_a_register_costs_the_same_queries_for_5_or_50_rows(official):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    HouseholdFactory(
        registered=True,
        registration_number="R00003",
        village=official.counties.get().villages.first(),
    )
    counts = []
    for size in (5, 50):
        file = csv_upload([row(f"R{i:05d}") for i in range(size)])
        with CaptureQueriesContext(connection) as queries:
            check = check_register(file, official)
        assert check.ok and len(check.rows) == size
        assert check.updates == 1
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_uploads_never_imported_are_purged_after_a_week(
    official, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from farmers.tasks import purge_stale_register_uploads

    stale = register_import_upload(upload=csv_upload([row()]), uploaded_by=official)
    fresh = register_import_upload(upload=csv_upload([row()]), uploaded_by=official)
    done = register_import_upload(upload=csv_upload([row("R9")]), uploaded_by=official)
    register_import_apply(register_import=done, user=official)
    RegisterImport.objects.filter(pk__in=[stale.pk, done.pk]).update(
        uploaded_at=timezone.now() - timedelta(days=8)
    )
    path = stale.file.path
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_stale_register_uploads.delay().get() == 1
    assert not os.path.exists(path)
    assert set(RegisterImport.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        done.pk,
    }
    assert purge_stale_register_uploads.delay().get() == 0
