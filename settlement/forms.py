"""Forms of settlement: the payout account (with the account number checked for
its kind: a bank account's length and, for UnionPay cards, the check digit; an
Alipay account is a phone number or e-mail; a WeChat account a WeChat ID or
phone), verifying it (the version shown), marking a batch paid, and failing a
payout."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from settlement.models import PayoutMethod

PHONE = re.compile(r"1[3-9]\d{9}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
WECHAT_ID = re.compile(r"[A-Za-z][-_A-Za-z0-9]{5,19}")


def luhn_ok(digits: str) -> bool:
    """The Luhn check digit rule, which UnionPay cards (numbers from 62) follow."""
    total = 0
    for place, char in enumerate(reversed(digits)):
        n = int(char)
        if place % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def clean_number(method: str, raw: str) -> str:
    """The account number as stored (spaces and dashes of a bank number dropped),
    or a ValidationError saying what is wrong with it."""
    number = raw.strip()
    if method == PayoutMethod.BANK:
        number = re.sub(r"[\s-]", "", number)
        if not number.isascii() or not number.isdigit():
            raise ValidationError(
                _("A bank account number has digits only."), code="digits"
            )
        if not 12 <= len(number) <= 19:
            raise ValidationError(
                _("A bank account number has 12 to 19 digits; this one has %(n)s."),
                code="length",
                params={"n": len(number)},
            )
        if number.startswith("62") and len(number) >= 16 and not luhn_ok(number):
            raise ValidationError(
                _(
                    "This card number's check digit is wrong: please copy it "
                    "again from the card."
                ),
                code="check_digit",
            )
    elif method == PayoutMethod.ALIPAY:
        if not (PHONE.fullmatch(number) or EMAIL.fullmatch(number)):
            raise ValidationError(
                _("An Alipay account is a mobile number or an e-mail address."),
                code="alipay",
            )
    elif not (PHONE.fullmatch(number) or WECHAT_ID.fullmatch(number)):
        raise ValidationError(
            _(
                "A WeChat account is a mobile number, or a WeChat ID of 6 to 20 "
                "letters, digits, - or _, starting with a letter."
            ),
            code="wechat",
        )
    return number


class PayoutAccountForm(forms.Form):
    method = forms.ChoiceField(label=_("Paid to"), choices=PayoutMethod.choices)
    holder_name = forms.CharField(
        label=_("Account holder"),
        min_length=2,
        max_length=40,
        help_text=_("The name on the account, as the bank has it."),
    )
    bank_name = forms.CharField(
        label=_("Bank and branch"),
        max_length=60,
        required=False,
        help_text=_("For a bank account, e.g. 中国农业银行 县支行."),
    )
    number = forms.CharField(label=_("Account number"), max_length=40)

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method and "number" in data:
            try:
                data["number"] = clean_number(method, data["number"])
            except ValidationError as error:
                self.add_error("number", error)
        if method == PayoutMethod.BANK and not data.get("bank_name"):
            self.add_error("bank_name", _("Name the bank (and branch) of the account."))
        if method != PayoutMethod.BANK:
            data["bank_name"] = ""
        return data


class PayoutAccountVerifyForm(forms.Form):
    """Verifying carries which version of the account the verifier was shown."""

    seen = forms.CharField(widget=forms.HiddenInput, max_length=40)


class BatchPaidForm(forms.Form):
    bank_reference = forms.CharField(
        label=_("The bank's reference for the transfer"), min_length=4, max_length=64
    )


class PayoutFailedForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the bank could not pay it"), min_length=2, max_length=200
    )
