"""CA, certificates and CRLs of the network trust system (网络信任体系).

Serials are stored as lowercase hexadecimal without leading zeros, the form
:func:`egov.trust.pki.certificates.normalise_serial` gives.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Suite(models.TextChoices):
    SM = "sm", _("国密 SM2/SM3")
    INTL = "intl", _("国际 ECDSA P-256/SHA-256")


class CertificateAuthority(models.Model):
    """A CA of one suite (证书认证机构): the root, or the issuing CA the root signed.

    One active root and one active issuing CA per suite. The private key is
    PKCS#8 PEM encrypted with the CA passphrase, which is never stored.
    """

    class Role(models.TextChoices):
        ROOT = "root", _("根CA")
        ISSUING = "issuing", _("签发CA")

    suite = models.CharField(_("密码套件"), max_length=8, choices=Suite.choices)
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices)
    subject = models.CharField(_("主题"), max_length=1024)
    serial = models.CharField(_("序列号"), max_length=40)
    key_identifier = models.CharField(_("密钥标识"), max_length=40)
    certificate_pem = models.TextField(_("证书"))
    private_key_pem = models.TextField(_("加密私钥"))
    not_before = models.DateTimeField(_("生效时间"))
    not_after = models.DateTimeField(_("失效时间"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("在用"), default=True)
    crl_number = models.PositiveBigIntegerField(_("最新CRL编号"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("证书认证机构")
        verbose_name_plural = _("证书认证机构")
        constraints = [
            models.UniqueConstraint(
                fields=["suite", "role"],
                condition=models.Q(is_active=True),
                name="trust_one_active_ca_per_suite_and_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.suite}, {self.role})"


class Certificate(models.Model):
    """An end-entity certificate we issued (数字证书). Its private key is never stored."""

    class Kind(models.TextChoices):
        PERSON = "person", _("个人证书")
        ORG_SEAL = "org-seal", _("机构印章证书")
        SERVER = "server", _("服务器证书")
        SYSTEM = "system", _("系统证书")
        TIME_STAMPING = "time-stamping", _("时间戳服务证书")

    class Status(models.TextChoices):
        GOOD = "good", _("有效")
        REVOKED = "revoked", _("已吊销")

    serial = models.CharField(_("序列号"), max_length=40, unique=True)
    suite = models.CharField(_("密码套件"), max_length=8, choices=Suite.choices)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("主题"), max_length=1024)
    not_before = models.DateTimeField(_("生效时间"))
    not_after = models.DateTimeField(_("失效时间"))
    issuer = models.ForeignKey(
        CertificateAuthority, on_delete=models.PROTECT, related_name="certificates"
    )
    certificate_pem = models.TextField(_("证书"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.GOOD)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revocation_reason = models.CharField(_("吊销原因"), max_length=32, blank=True)
    invalidity_date = models.DateTimeField(
        _("密钥失效时间"),
        null=True,
        blank=True,
        help_text=_("已知或怀疑私钥泄露的时间（RFC 5280 invalidityDate），可早于吊销时间"),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("数字证书")
        verbose_name_plural = _("数字证书")
        indexes = [models.Index(fields=["issuer", "status"], name="trust_cert_issuer_status")]

    def __str__(self) -> str:
        return f"{self.serial} {self.subject}"


class RevocationList(models.Model):
    """A CRL the issuing CA signed (证书吊销列表); the newest number is the one served."""

    authority = models.ForeignKey(
        CertificateAuthority, on_delete=models.PROTECT, related_name="revocation_lists"
    )
    number = models.PositiveBigIntegerField(_("CRL编号"))
    this_update = models.DateTimeField(_("本次更新"))
    next_update = models.DateTimeField(_("下次更新"))
    der = models.BinaryField(_("CRL"))
    revoked_count = models.PositiveIntegerField(_("吊销证书数"), default=0)

    class Meta:
        verbose_name = _("证书吊销列表")
        verbose_name_plural = _("证书吊销列表")
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="trust_crl_number_once")
        ]

    def __str__(self) -> str:
        return f"CRL #{self.number} of {self.authority}"


class SignatureRecord(models.Model):
    """Who signed what (签名记录): the detached signature, kept for re-verification.

    Written by ``egov.trust.signing.sign`` in the same transaction as its audit
    entry; the payload itself stays with the caller, its digest is kept here.
    """

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="signatures"
    )
    serial = models.CharField(_("证书序列号"), max_length=40)
    suite = models.CharField(_("密码套件"), max_length=8, choices=Suite.choices)
    digest = models.CharField(_("摘要"), max_length=64)
    signed_at = models.DateTimeField(_("签名时间"))
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象"), max_length=128, blank=True)
    signature_der = models.BinaryField(_("签名"))

    class Meta:
        verbose_name = _("签名记录")
        verbose_name_plural = _("签名记录")
        indexes = [models.Index(fields=["object_type", "object_id"], name="trust_sig_object")]

    def __str__(self) -> str:
        return f"{self.signer} {self.serial} {self.signed_at:%Y-%m-%d %H:%M}"


class CertificateApplication(models.Model):
    """An application for a certificate (证书申请), checked by an RA officer (注册审核).

    The applicant sends a PKCS#10 request (``method=csr``) or asks the platform
    to make the key pair (``method=generated``). A generated private key is kept
    only as ``sealed_private_key`` (PKCS#8 encrypted under the applicant's
    PKCS#12 password, then sealed under a server key; ADR 0016) until its first
    download, then erased. Scoped by ``organisation`` (staff and organisation
    applications) or ``region_code`` (citizens and enterprises).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ISSUED = "issued", _("已签发")
        REJECTED = "rejected", _("已驳回")

    class Method(models.TextChoices):
        CSR = "csr", _("上传证书请求")
        GENERATED = "generated", _("平台生成密钥")

    class IdentityType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("公民身份号码")
        CREDIT_CODE = "credit_code", _("统一社会信用代码")
        STAFF = "staff", _("工作人员")
        ORGANISATION = "organisation", _("机构代码")

    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificate_applications",
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Certificate.Kind.choices)
    suite = models.CharField(_("密码套件"), max_length=8, choices=Suite.choices)
    subject = models.CharField(_("主题"), max_length=1024)
    method = models.CharField(_("密钥来源"), max_length=16, choices=Method.choices)
    csr_pem = models.TextField(_("证书请求"), blank=True)
    public_key_der = models.BinaryField(_("公钥"))
    sealed_private_key = models.BinaryField(_("加密私钥"), null=True, blank=True, editable=False)
    key_delivered_at = models.DateTimeField(_("私钥下载时间"), null=True, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate_applications",
    )
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    applicant_name = models.CharField(_("申请人姓名/名称"), max_length=128)
    identity_type = models.CharField(_("身份证明类型"), max_length=16, choices=IdentityType.choices)
    identity_number = models.CharField(_("身份证明号码"), max_length=64, blank=True)
    renews = models.ForeignKey(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_applications",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    identity_check = models.TextField(_("身份核验记录"), blank=True)
    decision_reason = models.TextField(_("审核意见"), blank=True)
    certificate = models.OneToOneField(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    class Meta:
        verbose_name = _("证书申请")
        verbose_name_plural = _("证书申请")
        indexes = [
            models.Index(fields=["status", "created_at"], name="trust_app_status_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["renews"],
                condition=models.Q(status="pending"),
                name="trust_one_pending_renewal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class TimeStampingUnit(models.Model):
    """Our time-stamping unit (时间戳服务单元, RFC 3161 TSA) of one suite.

    Its certificate is a ``time-stamping`` certificate from our issuing CA. The
    TSA signs unattended, so its private key cannot wait for the CA
    passphrase: it is kept sealed (AEAD) under a key derived from the server's
    secret key, as the RA keeps generated keys (ADR 0016, ADR 0063). A new unit
    retires the old one, which stays on record for the tokens it signed.
    """

    suite = models.CharField(_("密码套件"), max_length=8, choices=Suite.choices)
    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="time_stamping_unit"
    )
    sealed_private_key = models.BinaryField(_("加密私钥"), editable=False)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("时间戳服务单元")
        verbose_name_plural = _("时间戳服务单元")
        constraints = [
            models.UniqueConstraint(
                fields=["suite"],
                condition=models.Q(is_active=True),
                name="trust_one_active_tsa_per_suite",
            )
        ]

    def __str__(self) -> str:
        return f"TSA {self.certificate.subject} ({self.suite})"
