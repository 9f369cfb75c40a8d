"""Distinguished names (可分辨名): parse ``"CN=张三,O=...,C=CN"`` and format them back.

Strings follow RFC 4514: the most specific attribute first, ``\\,`` escapes a
comma. The DER name lists the attributes in the reverse order (country first),
as RFC 4514 prescribes. Text attributes are UTF8String, so Chinese names work;
the country is a two-letter PrintableString, the e-mail address an IA5String.
"""

from __future__ import annotations

import re

from asn1crypto import x509

from egov.trust.errors import invalid

# short name -> (asn1crypto attribute name, upper bound on length from RFC 5280)
ATTRIBUTES: dict[str, tuple[str, int]] = {
    "CN": ("common_name", 64),
    "O": ("organization_name", 64),
    "OU": ("organizational_unit_name", 64),
    "L": ("locality_name", 128),
    "ST": ("state_or_province_name", 128),
    "C": ("country_name", 2),
    "SERIALNUMBER": ("serial_number", 64),
    "EMAILADDRESS": ("email_address", 255),
}
SHORT_NAMES = {long: short for short, (long, _) in ATTRIBUTES.items()}
SHORT_NAMES["serial_number"] = "serialNumber"
SHORT_NAMES["email_address"] = "emailAddress"
_COUNTRY = re.compile(r"[A-Z]{2}")
_MAX_SUBJECT = 1024
_PRINTABLE = re.compile(r"[A-Za-z0-9 '()+,\-./:=?]+")


def split_rdns(text: str) -> list[tuple[str, str]]:
    """``"CN=a\\,b,C=CN"`` -> ``[("CN", "a,b"), ("C", "CN")]``; refuses broken syntax."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            escaped = next(chars, None)
            if escaped is None:
                raise invalid("subject", "ends with a lone backslash")
            current.append(escaped)
        elif char == ",":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    pairs = []
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep:
            raise invalid("subject", f"{part.strip()!r} is not ATTRIBUTE=value")
        pairs.append((key.strip().upper(), value.strip()))
    return pairs


def check_attribute(key: str, value: str) -> None:
    """Refuse an unknown attribute, an empty or over-long value, or a bad country."""
    if key not in ATTRIBUTES:
        raise invalid("subject", f"unknown attribute {key!r}; use {', '.join(ATTRIBUTES)}")
    if not value:
        raise invalid("subject", f"{key} is empty")
    if key == "C" and not _COUNTRY.fullmatch(value):
        raise invalid("subject", "C must be a two-letter country code such as CN")
    limit = ATTRIBUTES[key][1]
    if len(value) > limit:
        raise invalid("subject", f"{key} is longer than {limit} characters")
    if any(ord(ch) < 0x20 for ch in value):
        raise invalid("subject", f"{key} contains a control character")


def attribute_value(long_name: str, value: str) -> object:
    """The ASN.1 value: PrintableString for country and serialNumber, else UTF8String."""
    if long_name == "email_address":
        if not value.isascii():
            raise invalid("subject", "emailAddress must be ASCII")
        return x509.EmailAddress(value)
    if long_name in {"country_name", "serial_number"}:
        if not _PRINTABLE.fullmatch(value):
            raise invalid("subject", f"{SHORT_NAMES[long_name]} must be printable ASCII")
        return x509.DirectoryString(name="printable_string", value=value)
    return x509.DirectoryString(name="utf8_string", value=value)


def parse_subject(text: str) -> x509.Name:
    """The X.509 name for an RFC 4514 string; needs a CN; refuses bad input naming ``subject``."""
    if not isinstance(text, str) or not text.strip():
        raise invalid("subject", "required, e.g. CN=张三,O=黑龙江省人民政府,C=CN")
    if len(text) > _MAX_SUBJECT:
        raise invalid("subject", f"longer than {_MAX_SUBJECT} characters")
    pairs = split_rdns(text)
    for key, value in pairs:
        check_attribute(key, value)
    if not any(key == "CN" for key, _ in pairs):
        raise invalid("subject", "needs a CN (common name)")
    rdns = []
    for key, value in reversed(pairs):
        long_name = ATTRIBUTES[key][0]
        type_and_value = x509.NameTypeAndValue(
            {"type": long_name, "value": attribute_value(long_name, value)}
        )
        rdns.append(x509.RelativeDistinguishedName([type_and_value]))
    return x509.Name(name="", value=x509.RDNSequence(rdns))


def escape(value: str) -> str:
    out = re.sub(r'([,+"\\<>;=])', r"\\\1", value)
    if out.startswith(("#", " ")):
        out = "\\" + out
    if out.endswith(" "):
        out = out[:-1] + "\\ "
    return out


def format_name(name: x509.Name) -> str:
    """RFC 4514 string of ``name`` (most specific first), e.g. ``CN=张三,O=...,C=CN``."""
    parts = []
    for rdn in name.chosen:
        for type_and_value in rdn:
            oid = type_and_value["type"]
            key = SHORT_NAMES.get(oid.native, oid.dotted)
            parts.append(f"{key}={escape(str(type_and_value['value'].native))}")
    return ",".join(reversed(parts))
