"""Forms of the RA pages (证书申请与审核表单): shape only; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.core.text_input import NOTE_MAX, PEM_MAX
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import CertificateAuthority
from egov.trust.pki.profiles import REASON_CODES
from egov.trust.registration import HOLDER_REASONS, KINDS_BY_ACCOUNT
from egov.trust.selectors import active_authority

MAX_CSR_UPLOAD = 64 * 1024
CSR_PLACEHOLDER = "-----BEGIN CERTIFICATE REQUEST-----"
KIND_CHOICES = [("person", _("个人证书")), ("org-seal", _("机构印章证书"))]
SUITE_CHOICES = [("sm", _("国密 SM2/SM3")), ("intl", _("国际 ECDSA P-256/SHA-256"))]
METHOD_CHOICES = [
    ("generated", _("由平台生成密钥，以口令保护的 PKCS#12 文件下载（仅可下载一次）")),
    ("csr", _("上传本人生成的证书请求（CSR，PEM 格式）")),
]
REASON_LABELS = {
    "unspecified": _("未指明"),
    "keyCompromise": _("密钥泄露"),
    "cACompromise": _("CA 泄露"),
    "affiliationChanged": _("隶属关系变更"),
    "superseded": _("已被替代"),
    "cessationOfOperation": _("停止使用"),
    "certificateHold": _("暂停"),
    "privilegeWithdrawn": _("权限撤销"),
    "aACompromise": _("AA 泄露"),
}
FIELD_LABELS = {
    "csr": _("证书请求（CSR）"),
    "pkcs12_password": _("PKCS#12 口令"),
    "password": _("PKCS#12 口令"),
    "kind": _("证书类别"),
    "suite": _("密码套件"),
    "method": _("密钥来源"),
    "applicant": _("申请人"),
    "identity_check": _("身份核验记录"),
    "reason": _("原因"),
    "passphrase": _("CA 口令"),
    "number": _("申请编号"),
    "serial": _("证书序列号"),
    "subject": _("主题"),
    "public_key": _("公钥"),
    "days": _("有效期"),
}


class KeyForm(forms.Form):
    """Where the key comes from: a CSR (pasted or uploaded) or a password for a generated key."""

    method = forms.ChoiceField(
        label=_("密钥来源"), choices=METHOD_CHOICES, widget=forms.RadioSelect
    )
    csr = forms.CharField(
        label=_("证书请求（CSR）"),
        required=False,
        max_length=PEM_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": CSR_PLACEHOLDER}),
        help_text=_("国密证书请用 openssl req -new -sm3 -sigopt distid:1234567812345678 生成"),
    )
    csr_file = forms.FileField(label=_("或上传 CSR 文件"), required=False)
    password = forms.CharField(
        label=_("PKCS#12 口令"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("8 至 128 个字符；下载证书文件时需再次输入，平台不保存口令"),
    )
    password_again = forms.CharField(
        label=_("再次输入口令"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("csr_file")
        if upload is not None:
            if upload.size > MAX_CSR_UPLOAD:
                self.add_error("csr_file", _("文件过大（最多 64 KB）"))
            else:
                data["csr"] = upload.read().decode("utf-8", "replace")
        if data.get("method") == "generated":
            if data.get("password") != data.get("password_again"):
                self.add_error("password_again", _("两次输入的口令不一致"))
            data["csr"] = ""
        elif data.get("method") == "csr":
            data["password"] = ""
            if not (data.get("csr") or "").strip():
                self.add_error("csr", _("请粘贴或上传证书请求"))
        return data


class ApplyForm(KeyForm):
    """Apply for a certificate (申请证书): the kinds the account may ask for, suites with a CA."""

    kind = forms.ChoiceField(label=_("证书类别"), choices=KIND_CHOICES)
    suite = forms.ChoiceField(label=_("密码套件"), choices=SUITE_CHOICES, initial="sm")
    field_order = ["kind", "suite", "method", "csr", "csr_file", "password", "password_again"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = KINDS_BY_ACCOUNT.get(getattr(user, "kind", ""), ())
        if kinds:  # the service refuses the other kinds too (applicant_of)
            kind_field = cast(forms.ChoiceField, self.fields["kind"])  # declared above
            kind_field.choices = [(k, v) for k, v in KIND_CHOICES if k in kinds]
        ready = {
            s
            for s, _label in SUITE_CHOICES
            if active_authority(s, CertificateAuthority.Role.ISSUING)
        }
        if ready:
            suite_field = cast(forms.ChoiceField, self.fields["suite"])  # declared above
            suite_field.choices = [(k, v) for k, v in SUITE_CHOICES if k in ready]


class ApproveForm(forms.Form):
    identity_check = forms.CharField(
        label=_("身份核验记录"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明核验了什么：证件原件、人像比对、机构授权书等"),
    )
    note = forms.CharField(label=_("审核意见"), required=False, max_length=NOTE_MAX)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("驳回理由"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    identity_check = forms.CharField(
        label=_("核验情况（可选）"), required=False, max_length=NOTE_MAX
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reject_%s")  # the approve form on the same page has id_*
        super().__init__(*args, **kwargs)


class DownloadForm(forms.Form):
    password = forms.CharField(
        label=_("PKCS#12 口令"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


def reason_choices(*, officer: bool) -> list[tuple[str, Any]]:
    reasons = [r.value for r in REASON_CODES] if officer else [r.value for r in HOLDER_REASONS]
    return [(value, f"{REASON_LABELS[value]}（{value}）") for value in reasons]


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("吊销原因（RFC 5280）"), choices=[])

    def __init__(self, *args: Any, officer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason_field = cast(forms.ChoiceField, self.fields["reason"])  # declared above
        reason_field.choices = reason_choices(officer=officer)


CODE_MESSAGES = {
    ErrorCode.MALFORMED: _("格式不正确"),
    ErrorCode.BAD_SIGNATURE: _("签名验证失败（国密证书请求须以 ID 1234567812345678 签名）"),
    ErrorCode.OWN_APPLICATION: _("不能审核本人的申请（双人原则）"),
    ErrorCode.NOT_PENDING: _("该申请已审核完毕，不能再次审核"),
    ErrorCode.WRONG_PASSWORD: _("口令不正确"),
    ErrorCode.ALREADY_DELIVERED: _("私钥已下载过一次，平台不再保存；如遗失请吊销证书后重新申请"),
    ErrorCode.WRONG_PASSPHRASE: _("CA 口令不正确"),
    ErrorCode.NO_CA: _("该密码套件尚未建立 CA"),
    ErrorCode.ALREADY_REVOKED: _("证书已吊销"),
    ErrorCode.NOT_FOUND: _("未找到"),
}


def show_error(form: forms.Form, error: TrustError) -> None:
    """Put a service refusal on the form: on its field when the form has it, else on top.

    The message is the field's label, a Chinese summary of the code when there
    is one, and the service's own reason (which names the detail).
    """
    field = {"pkcs12_password": "password"}.get(error.field, error.field)
    label = FIELD_LABELS.get(error.field, error.field)
    summary = CODE_MESSAGES.get(error.code)
    message = f"{label}：{summary}（{error.reason}）" if summary else f"{label}：{error.reason}"
    form.add_error(field if field in form.fields else None, message)
