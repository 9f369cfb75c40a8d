"""Login forms (登录表单): one for staff, one for citizens and enterprises.

Both answer a wrong username and a wrong password with the same message
(用户名或密码错误), so a failure never tells whether an account exists. A
correct password for the other kind of account is refused with a pointer to the
right entrance: only someone who knows the password learns that the account
exists, and the account is not logged in on the wrong side.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from egov.core.models import User

INVALID_LOGIN = _("用户名或密码错误。")


class EgovLoginForm(AuthenticationForm):
    """Username and password; the account must be of one of ``allowed_kinds``."""

    allowed_kinds: frozenset[str] = frozenset()
    wrong_side_message: Any = ""

    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
        "wrong_side": "",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})

    def confirm_login_allowed(self, user: User) -> None:
        """Refuse inactive accounts alike, and accounts that belong to the other entrance."""
        if not user.is_active:
            raise forms.ValidationError(INVALID_LOGIN, code="inactive")
        if user.kind not in self.allowed_kinds:
            raise forms.ValidationError(self.wrong_side_message, code="wrong_side")


class StaffLoginForm(EgovLoginForm):
    """Staff login (工作人员登录)."""

    allowed_kinds = frozenset({User.Kind.STAFF})
    wrong_side_message = _("该账户为个人/法人账户，请从“个人/法人登录”入口登录。")


class PublicLoginForm(EgovLoginForm):
    """Citizen and enterprise login (个人/法人登录)."""

    allowed_kinds = frozenset({User.Kind.CITIZEN, User.Kind.ENTERPRISE})
    wrong_side_message = _("该账户为工作人员账户，请从“工作人员登录”入口登录。")
