"""Field work offline on the pages: `{% sync_status %}` (what waits on this
phone, the last sync, the refusals: filled in by static/js/fieldwork-offline.js)
and `{% recorder_input %}` (the signed name of the assistant signed in, that a
record made offline keeps: fieldwork.sync)."""

from django import template
from django.utils.html import format_html

from assistants.selectors import assistant_of
from fieldwork.sync import recorder_token

register = template.Library()


@register.inclusion_tag("fieldwork/_sync_status.html", takes_context=True)
def sync_status(context):
    return {"user": context["request"].user}


@register.simple_tag(takes_context=True)
def recorder_input(context):
    assistant = assistant_of(context["request"].user)
    if assistant is None:
        return ""
    return format_html(
        '<input type="hidden" name="recorder" value="{}">', recorder_token(assistant)
    )
