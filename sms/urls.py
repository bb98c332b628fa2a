"""URLs of the text messages: the staff's send log."""

from django.urls import path

from sms import views

app_name = "sms"

urlpatterns = [path("", views.send_log, name="send_log")]
