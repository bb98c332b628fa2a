"""Alipay: the provider tested against Alipay's side as Alipay documents it."""
