"""The peer shop: django-oscar as its documentation builds a shop ("Building
your own shop"), for the bench's side-by-side figures (bench/peer.py)."""
