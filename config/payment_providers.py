"""The settings of the real payment providers, WeChat Pay and Alipay, from the
environment (docs/PAYMENTS.md). config/settings.py takes them all; a provider is
offered only when PAYMENT_PROVIDERS names it and none of its settings is missing
(the system checks name what is)."""

import environ

env = environ.Env()

# WeChat Pay (API v3, docs/PAYMENTS.md), offered when PAYMENT_PROVIDERS names
# "wechat" and all of these are set (`manage.py check` names what is missing):
# the merchant number, the official account's AppID, the API v3 key (32
# characters), the merchant API certificate's serial number and its private key
# (apiclient_key.pem). WeChat Pay's answers and notifications are verified with
# the WeChat Pay public key (its file and its ID, PUB_KEY_ID_…) or, on older
# merchant accounts, with the platform certificates kept in WECHATPAY_CERT_DIR
# (fetched there when it is empty).
WECHATPAY_MCHID = env.str("WECHATPAY_MCHID", default="")
WECHATPAY_APPID = env.str("WECHATPAY_APPID", default="")
WECHATPAY_APIV3_KEY = env.str("WECHATPAY_APIV3_KEY", default="")
WECHATPAY_CERT_SERIAL_NO = env.str("WECHATPAY_CERT_SERIAL_NO", default="")
WECHATPAY_PRIVATE_KEY_PATH = env.str("WECHATPAY_PRIVATE_KEY_PATH", default="")
WECHATPAY_PUBLIC_KEY_PATH = env.str("WECHATPAY_PUBLIC_KEY_PATH", default="")
WECHATPAY_PUBLIC_KEY_ID = env.str("WECHATPAY_PUBLIC_KEY_ID", default="")
WECHATPAY_CERT_DIR = env.str("WECHATPAY_CERT_DIR", default="")
# The official account's AppSecret, to learn a buyer's openid inside WeChat (JSAPI
# pay); without it, a buyer in WeChat's browser is sent to H5 pay instead.
WECHATPAY_APP_SECRET = env.str("WECHATPAY_APP_SECRET", default="")
# Where WeChat Pay posts its notifications (https); empty: SITE_URL followed by
# /orders/webhooks/wechat/.
WECHATPAY_NOTIFY_URL = env.str("WECHATPAY_NOTIFY_URL", default="")
# Seconds to wait for WeChat Pay's answer before telling the buyer to try again.
WECHATPAY_TIMEOUT = env.float("WECHATPAY_TIMEOUT", default=10.0)

# Alipay (orders/providers/alipay.py, docs/PAYMENTS.md): offered when
# PAYMENT_PROVIDERS names "alipay" and the app id and both keys are set.
ALIPAY_APP_ID = env.str("ALIPAY_APP_ID", default="")
# Files: the app's RSA2 private key, and Alipay's public key (the open platform's
# "支付宝公钥"), PEM or the bare base64 the console shows.
ALIPAY_APP_PRIVATE_KEY_PATH = env.str("ALIPAY_APP_PRIVATE_KEY_PATH", default="")
ALIPAY_PUBLIC_KEY_PATH = env.str("ALIPAY_PUBLIC_KEY_PATH", default="")
# Alipay's sandbox gateway instead of the real one.
ALIPAY_SANDBOX = env.bool("ALIPAY_SANDBOX", default=False)
# Where Alipay posts its notifications (default: SITE_URL/orders/webhooks/alipay/)
# and sends the buyer back after paying (default: SITE_URL/orders/).
ALIPAY_NOTIFY_URL = env.str("ALIPAY_NOTIFY_URL", default="")
ALIPAY_RETURN_URL = env.str("ALIPAY_RETURN_URL", default="")
# Seconds to wait for Alipay's API before giving up (nothing is changed then).
ALIPAY_TIMEOUT_SECONDS = env.float("ALIPAY_TIMEOUT_SECONDS", default=10.0)

# Company bank transfer (orders/providers/bank_transfer.py), for work units: the
# platform's account the unit pays into, quoting the payment's reference; staff
# record each transfer received with the bank's reference. Offered to units when
# all three are set (in development, a demo account unless they are), and orders
# paid this way wait BANK_TRANSFER_DAYS for the money before they are cancelled.
_DEMO = env.bool("DEBUG", default=False)
PLATFORM_BANK_ACCOUNT_NAME = env.str(
    "PLATFORM_BANK_ACCOUNT_NAME", default="C县电商公共服务中心（演示）" if _DEMO else ""
)
PLATFORM_BANK_NAME = env.str(
    "PLATFORM_BANK_NAME", default="中国农业银行C县支行（演示）" if _DEMO else ""
)
PLATFORM_BANK_ACCOUNT_NUMBER = env.str(
    "PLATFORM_BANK_ACCOUNT_NUMBER", default="6228480000000000000" if _DEMO else ""
)
BANK_TRANSFER_DAYS = env.int("BANK_TRANSFER_DAYS", default=7)
