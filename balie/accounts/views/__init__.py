"""Pages of accounts: login and passwords (``passwords``), the second factor (``twofactor``)."""

from .logout import LogoutView
from .passwords import (
    LoginView,
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from .twofactor import account, renew_codes, reset, set_language, setup, staff, switch_off, verify

__all__ = [
    "LoginView", "LogoutView", "PasswordChangeView", "PasswordResetCompleteView", "PasswordResetConfirmView", "PasswordResetDoneView",
    "PasswordResetView", "account", "renew_codes", "reset", "set_language", "setup", "staff", "switch_off", "verify",
]
