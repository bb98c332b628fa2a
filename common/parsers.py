"""The API's JSON parser: DRF's, except that a body nested too deeply to decode (a
"[[[[…" bomb makes Python's decoder raise RecursionError) is a 400 like any other
malformed JSON, not a 500."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser


class JSONParser(DRFJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error - nested too deeply.")) from exc
