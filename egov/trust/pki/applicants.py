"""Whose name a certificate may carry (申请主体核对): subjects from the applicant, no Django.

The RA fills the subject from what the platform knows of the applicant: the
common name is the person's real name (个人证书) or the organisation's name
(机构印章证书); staff certificates and seals name the organisation in ``O``;
the country is ``CN``. A request (CSR) may only ask for that: the same CN and
O (or no O), ``C=CN`` or no C, and any OU (a department's own division).
"""

from __future__ import annotations

from dataclasses import dataclass

from egov.trust.errors import invalid
from egov.trust.pki.names import escape, split_rdns

ALLOWED_IN_REQUEST = frozenset({"CN", "O", "OU", "C"})


@dataclass(frozen=True)
class ExpectedSubject:
    """The name a certificate for this applicant carries."""

    common_name: str
    organisation: str = ""
    country: str = "CN"

    def text(self) -> str:
        """RFC 4514 text, most specific first: ``CN=张三,O=黑龙江省人民政府,C=CN``."""
        parts = [f"CN={escape(self.common_name)}"]
        if self.organisation:
            parts.append(f"O={escape(self.organisation)}")
        parts.append(f"C={self.country}")
        return ",".join(parts)


def check_requested_subject(requested: str, expected: ExpectedSubject, field: str = "csr") -> None:
    """Refuse a requested subject that does not name the applicant, saying which part."""
    pairs = split_rdns(requested)
    names = [key for key, _ in pairs]
    others = sorted(set(names) - ALLOWED_IN_REQUEST)
    if others:
        raise invalid(field, f"the subject may hold only CN, O, OU and C, not {', '.join(others)}")
    for key in ("CN", "O", "C"):
        if names.count(key) > 1:
            raise invalid(field, f"the subject holds {key} more than once")
    values = dict((key, value) for key, value in pairs if key != "OU")
    if values.get("CN") != expected.common_name:
        raise invalid(
            field, f"the subject's CN must be the applicant's name {expected.common_name!r}"
        )
    if "O" in values and values["O"] != expected.organisation:
        wanted = repr(expected.organisation) if expected.organisation else "absent"
        raise invalid(field, f"the subject's O must be {wanted}")
    if values.get("C", expected.country) != expected.country:
        raise invalid(field, f"the subject's C must be {expected.country}")
