"""allauth hooks: accounts are created by administrators, never by sign-up;
TOTP secrets are encrypted at rest; demo users may skip MFA locally."""

import base64
import hashlib

import nacl.secret
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings


def _totp_box() -> nacl.secret.SecretBox:
    key = hashlib.blake2b(
        settings.SECRET_KEY.encode(), digest_size=32, person=b"steward-mfa-totp"
    ).digest()
    return nacl.secret.SecretBox(key)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "The email address or password is not right. Check them and try again."
        ),
        "too_many_login_attempts": (
            "Too many failed attempts to sign in. Wait 15 minutes, then try again."
        ),
    }

    def is_open_for_signup(self, request):
        return False


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return "nacl:" + base64.b64encode(_totp_box().encrypt(text.encode())).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith("nacl:"):
            return encrypted_text
        return _totp_box().decrypt(base64.b64decode(encrypted_text[5:])).decode()

    def is_mfa_enabled(self, user, types=None) -> bool:
        # DEMO_SKIP_MFA is refused by settings unless DEBUG is on.
        if settings.DEMO_SKIP_MFA:
            return False
        return super().is_mfa_enabled(user, types)

    def get_totp_issuer(self) -> str:
        return "Steward"
