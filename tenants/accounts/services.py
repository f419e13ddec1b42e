"""Writes on accounts (public schema)."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from tenants.accounts.models import User


def user_create_or_update(*, email: str, full_name: str, password: str | None = None) -> User:
    """Find the account by email (case-insensitive) or create it; set name and password."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            return User.objects.create_user(email=email, password=password, full_name=full_name)
        user.full_name = full_name
        if password:
            user.set_password(password)
        user.save(update_fields=["full_name", "password"])
        return user


def api_token_for(*, user: User) -> str:
    token, _created = Token.objects.get_or_create(user=user)
    return str(token.key)
