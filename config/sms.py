"""The settings of text messages (sms/, docs/SMS.md), from the environment.
config/settings.py takes them all."""

import environ

env = environ.Env()
_DEBUG = env.bool("DEBUG", default=False)

# sms.backends.AliyunBackend in production; ConsoleBackend prints each message
# (development), FileBackend appends it to SMS_FILE_PATH (the tests).
SMS_BACKEND = env.str(
    "SMS_BACKEND",
    default="sms.backends.ConsoleBackend" if _DEBUG else "sms.backends.AliyunBackend",
)
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default="")
# Aliyun SMS: a RAM user's AccessKey allowed dysmsapi:SendSms, and the approved
# sign name (签名).
ALIYUN_SMS_ACCESS_KEY_ID = env.str("ALIYUN_SMS_ACCESS_KEY_ID", default="")
ALIYUN_SMS_ACCESS_KEY_SECRET = env.str("ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
ALIYUN_SMS_ENDPOINT = env.str("ALIYUN_SMS_ENDPOINT", default="dysmsapi.aliyuncs.com")
SMS_SIGN_NAME = env.str("SMS_SIGN_NAME", default="")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)  # seconds
# Each purpose's approved template code (SMS_TEMPLATE_ORDER_PAID=SMS_1234…);
# docs/SMS.md gives each template's text and parameters.
SMS_PURPOSES = (
    "sign_in_code",
    "phone_code",
    "set_password",
    "order_paid",
    "ship_soon",
    "order_shipped",
    "listing_approved",
    "listing_rejected",
    "payout_sent",
    "payout_held",
    "farmer_overdue",
)
SMS_TEMPLATES = {
    purpose: env.str(f"SMS_TEMPLATE_{purpose.upper()}", default="")
    for purpose in SMS_PURPOSES
}
# At most this many messages to one phone an hour, and a day.
SMS_LIMIT_PER_HOUR = env.int("SMS_LIMIT_PER_HOUR", default=5)
SMS_LIMIT_PER_DAY = env.int("SMS_LIMIT_PER_DAY", default=15)
# From 22:00 to 08:00 local time, messages that can wait, wait.
SMS_QUIET_HOURS = (
    env.int("SMS_QUIET_FROM", default=22),
    env.int("SMS_QUIET_UNTIL", default=8),
)
# Minutes between a failed attempt and the next; after the last, it failed.
SMS_RETRY_MINUTES = [
    int(m) for m in env.list("SMS_RETRY_MINUTES", default=[1, 5, 30, 120])
]

# Sign-in by phone (accounts.phone_codes): a code lives this long, takes this
# many wrong guesses, and goes to one number at most once a minute and this
# many times an hour; one address asks for codes this many times an hour.
PHONE_CODE_MINUTES = env.int("PHONE_CODE_MINUTES", default=5)
PHONE_CODE_GUESSES = env.int("PHONE_CODE_GUESSES", default=5)
PHONE_CODE_GAP_SECONDS = env.int("PHONE_CODE_GAP_SECONDS", default=60)
PHONE_CODES_PER_HOUR = env.int("PHONE_CODES_PER_HOUR", default=5)
PHONE_CODES_PER_ADDRESS_HOUR = env.int("PHONE_CODES_PER_ADDRESS_HOUR", default=20)
