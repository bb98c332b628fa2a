"""Accounts: the platform's users, their roles, sign-in and sign-up."""
