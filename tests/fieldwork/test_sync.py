"""Records made offline and sent later (fieldwork.sync): each arrives once,
credited to the assistant who made it whoever is signed in when it is sent,
with the phone's clock, the server's time of arrival, a GPS position and a
photo; a record the server refuses is kept with its reason, and a resend gets
the same answer."""

import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from assistants.models import Assignment
from fieldwork.forms import SurveyForm
from fieldwork.models import (
    SURVEY_FIELDS,
    IncomeSurvey,
    SyncRefusal,
    TrainingSession,
    Visit,
)
from fieldwork.sync import recorder_token
from tests.factories import AssistantFactory, farmer_of

pytestmark = pytest.mark.django_db
URL = "/assistant/sync/"
JSON = {"HTTP_ACCEPT": "application/json"}
YEAR = timezone.localdate().year - 1


@pytest.fixture
def assistant():
    return AssistantFactory()


def visit(assistant, farmer, **extra):
    return {
        "kind": "visit",
        "client_id": str(uuid.uuid4()),
        "recorder": recorder_token(assistant),
        "device_time": "2026-12-01T08:30:00+08:00",
        "farmer": str(farmer.pk),
        "visited_on": timezone.localdate().isoformat(),
        "purpose": "follow_up",
        "challenges": "果树病虫害",
        **extra,
    }


def survey(assistant, farmer, **extra):
    return {
        "kind": "survey",
        "client_id": str(uuid.uuid4()),
        "recorder": recorder_token(assistant),
        "farmer": str(farmer.pk),
        "year": str(YEAR),
        "members": "4",
        **dict.fromkeys(SURVEY_FIELDS[1:], "0"),
        "wages": "12000",
        **extra,
    }


def jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "farm.jpg"
    return buffer


def test_a_visit_arrives_once_with_its_clock_position_and_photo(client, assistant):
    farmer = farmer_of(assistant)
    client.force_login(assistant.user)
    data = visit(assistant, farmer, latitude="27.123456", longitude="107.654321")
    first = client.post(URL, {**data, "photo_1": jpeg()}, **JSON)
    assert first.status_code == 201 and first.json()["status"] == "created"
    again = client.post(URL, data, **JSON)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    [made] = Visit.objects.all()
    assert made.assistant == assistant and made.household == farmer.household
    assert str(made.client_id) == data["client_id"]
    assert made.device_recorded_at.isoformat() == "2026-12-01T00:30:00+00:00"
    assert timezone.now() - made.created_at < timedelta(minutes=1)  # arrival
    assert (str(made.latitude), str(made.longitude)) == ("27.123456", "107.654321")
    assert made.photo.name.startswith("visits/")
    # The household file shows it, to whoever sees the visit; it is no public file.
    detail = client.get(f"/assistant/farmers/{farmer.pk}/").content.decode()
    assert f"/assistant/visits/{made.pk}/photo/" in detail
    photo = client.get(f"/assistant/visits/{made.pk}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    client.force_login(AssistantFactory().user)
    assert client.get(f"/assistant/visits/{made.pk}/photo/").status_code == 404


def test_a_record_is_credited_to_whoever_made_it(client, assistant):
    farmer = farmer_of(assistant)
    data = visit(assistant, farmer)
    other = AssistantFactory(county=assistant.county)
    client.force_login(other.user)  # signed in on the phone when it is sent
    assert client.post(URL, data, **JSON).status_code == 201
    assert Visit.objects.get().assistant == assistant


def test_a_farmer_reassigned_meanwhile_is_refused_and_kept(client, assistant):
    farmer = farmer_of(assistant)
    Assignment.objects.filter(farmer=farmer).update(ended_on=timezone.localdate())
    client.force_login(assistant.user)
    data = visit(assistant, farmer)
    refused = client.post(URL, data, **JSON)
    assert refused.status_code == 422
    assert "不再是您的农户" in refused.json()["reason"]
    assert not Visit.objects.exists()
    kept = SyncRefusal.objects.get()
    assert (kept.kind, kept.assistant, str(kept.client_id)) == (
        "visit",
        assistant,
        data["client_id"],
    )
    assert kept.sent["challenges"] == ["果树病虫害"]
    assert "recorder" not in kept.sent
    # Sent again: the same answer, still one refusal.
    again = client.post(URL, data, **JSON)
    assert again.status_code == 422 and again.json()["reason"] == kept.reason
    assert SyncRefusal.objects.count() == 1


def test_a_survey_the_server_has_for_that_year_is_refused(client, assistant):
    farmer = farmer_of(assistant)
    client.force_login(assistant.user)
    assert client.post(URL, survey(assistant, farmer), **JSON).status_code == 201
    made = IncomeSurvey.objects.get()
    assert made.recorded_by == assistant.user and made.wages == 12000
    second = client.post(URL, survey(assistant, farmer, wages="9000"), **JSON)
    assert second.status_code == 422
    assert str(YEAR) in second.json()["reason"]
    made.refresh_from_db()
    assert made.wages == 12000  # nothing silently overwritten


def test_a_training_records_the_attendance(client, assistant):
    farmers = [farmer_of(assistant), farmer_of(assistant)]
    client.force_login(assistant.user)
    data = {
        "kind": "training",
        "client_id": str(uuid.uuid4()),
        "recorder": recorder_token(assistant),
        "held_on": timezone.localdate().isoformat(),
        "hours": "2",
        "location": "村委会",
        "topics": ["packaging"],
        "farmers": [str(f.pk) for f in farmers],
    }
    assert client.post(URL, data, **JSON).status_code == 201
    session = TrainingSession.objects.get()
    assert set(session.attendees.all()) == set(farmers)


def test_bad_figures_are_refused_with_the_field_s_reason(client, assistant):
    farmer = farmer_of(assistant)
    client.force_login(assistant.user)
    answer = client.post(URL, survey(assistant, farmer, members="0"), **JSON)
    assert answer.status_code == 422
    label = str(SurveyForm().fields["members"].label)
    assert answer.json()["reason"].startswith(f"{label}: ")
    assert not IncomeSurvey.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"recorder": "forged"},
        {"client_id": "not-a-uuid"},
        {"kind": "party"},
    ],
)
def test_what_is_no_record_is_a_400_and_nothing_is_kept(client, assistant, change):
    farmer = farmer_of(assistant)
    client.force_login(assistant.user)
    answer = client.post(URL, {**visit(assistant, farmer), **change}, **JSON)
    assert answer.status_code == 400 and answer.json()["reason"]
    assert not Visit.objects.exists() and not SyncRefusal.objects.exists()


def test_another_role_cannot_send_records(client, assistant, make_user):
    farmer = farmer_of(assistant)
    client.force_login(farmer.user)
    assert client.post(URL, visit(assistant, farmer), **JSON).status_code == 403
    assert not Visit.objects.exists()


def test_the_offline_page_holds_the_forms_and_the_farmers(client, assistant):
    mine = farmer_of(assistant, shop_name="秀英蜂蜜")
    farmer_of(AssistantFactory(), shop_name="别人的店")
    client.force_login(assistant.user)
    page = client.get("/assistant/offline/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "秀英蜂蜜" in html and "别人的店" not in html
    for form in ("offline-visit", "offline-survey", "offline-training"):
        assert f'id="{form}"' in html
    assert 'name="recorder"' in html and 'id="sync-status"' in html
    assert mine.pk in [f.pk for f in page.context["farmers"]]


def test_without_javascript_the_form_comes_back_with_a_message(client, assistant):
    farmer = farmer_of(assistant)
    client.force_login(assistant.user)
    answer = client.post(URL, visit(assistant, farmer), follow=True)
    assert answer.redirect_chain[-1][0] == "/assistant/offline/"
    assert Visit.objects.count() == 1


def test_the_manifest_is_in_the_visitor_s_language(client):
    answer = client.get("/assistant/manifest.webmanifest")
    assert answer["Content-Type"] == "application/manifest+json"
    body = answer.json()
    assert body["start_url"] == "/assistant/offline/"
    assert body["short_name"] == "实地工作"  # "Field work", in Chinese
