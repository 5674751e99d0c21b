"""SAN strings -> ``x509.GeneralName``: the one normaliser of loose SAN input (RFC 5280 §4.2.1.6)."""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

import idna
from cryptography import x509

from ..errors import SpecError

_PREFIXES: dict[str, str] = {
    "dns": "dns",
    "ip": "ip",
    "ip address": "ip",
    "email": "email",
    "uri": "uri",
}
_LDH_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_LOOKS_IPV4 = re.compile(r"^[0-9]+(?:\.[0-9]+)+$")
# One character class, no star around a literal: "^[..]*:[..]*$" backtracked in
# cubic time on a run of colons (a 10 000-colon SAN took seconds); the colon count
# is checked apart (at least two, below).
_LOOKS_IPV6 = re.compile(r"[0-9A-Fa-f:.]*")
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")


def normalize_san(text: str, *, field: str = "sans") -> x509.GeneralName:
    """Turn one loose SAN string into the right ``x509.GeneralName``.

    Accepted forms (surrounding whitespace is stripped):

    * DNS names: ``example.org``, wildcards ``*.example.org`` (the whole
      left-most label only), internationalised names ``bücher.example``
      (converted to their A-label ``xn--bcher-kva.example`` with IDNA 2008,
      RFC 5280 §7.2 / RFC 5891);
    * IP addresses, IPv4 ``192.0.2.1`` or IPv6 ``2001:db8::1`` -> ``IPAddress``;
    * e-mail addresses ``user@example.org`` -> ``RFC822Name`` (RFC 5280 §4.2.1.6);
    * URIs with an authority ``https://example.org/path`` (any ``scheme://``)
      -> ``UniformResourceIdentifier``;
    * the same with openssl-style prefixes ``DNS:``, ``IP:``, ``email:``, ``URI:``
      (case-insensitive), which force the type.

    Raises :class:`SpecError` (``field`` as given) for anything else: empty
    rows, spaces inside a name, ``999.1.1.1`` (looks like IPv4 but is not),
    labels over 63 or names over 253 octets, misplaced wildcards, leading or
    trailing dots and hyphens, non-ASCII URIs.
    """
    if not isinstance(text, str):
        raise SpecError(field, "must be text", text)
    value = text.strip()
    if not value:
        raise SpecError(field, "must not be empty", text)
    forced: str | None = None
    head, sep, rest = value.partition(":")
    if sep and head.strip().lower() in _PREFIXES and not rest.startswith("//"):
        forced = _PREFIXES[head.strip().lower()]
        value = rest.strip()
        if not value:
            raise SpecError(field, f"nothing after the '{head}:' prefix", text)
    kind = forced or _guess_san_kind(value)
    return _SAN_PARSERS[kind](value, field)


def _guess_san_kind(value: str) -> str:
    if "://" in value:
        return "uri"
    if "@" in value:
        return "email"
    if _LOOKS_IPV4.match(value) or (_LOOKS_IPV6.fullmatch(value) is not None and value.count(":") >= 2):
        return "ip"
    return "dns"


def _san_ip(value: str, field: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(value))
    except ValueError:
        family = "IPv4" if _LOOKS_IPV4.match(value) else "IPv6" if ":" in value else "IP"
        raise SpecError(field, f"looks like an {family} address but is not a valid one", value) from None


def _san_email(value: str, field: str) -> x509.GeneralName:
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise SpecError(field, "an e-mail address needs the form user@domain", value)
    if not _EMAIL_LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        # RFC 5280 §4.2.1.6: rfc822Name is an IA5String Mailbox (RFC 5321 §4.1.2)
        raise SpecError(
            field,
            "the part before '@' may only hold ASCII letters, digits and !#$%&'*+/=?^_`{|}~.- "
            "(RFC 5280 §4.2.1.6, RFC 5321 Mailbox)",
            value,
        )
    return x509.RFC822Name(f"{local}@{_dns_name(domain, field, wildcard=False)}")


def _san_uri(value: str, field: str) -> x509.GeneralName:
    if any(ch.isspace() for ch in value):
        raise SpecError(field, "a URI must not contain spaces (percent-encode them as %20)", value)
    if not value.isascii():
        raise SpecError(
            field, "a URI must be ASCII: percent-encode the path and use the A-label (xn--) host", value
        )
    parts = urllib.parse.urlsplit(value)
    if not parts.scheme or not parts.hostname:
        # RFC 5280 §4.2.1.6: a URI with an authority must include the host
        raise SpecError(field, "a URI needs a scheme and a host, like https://example.org/ (RFC 5280 §4.2.1.6)", value)
    return x509.UniformResourceIdentifier(value)


def _san_dns(value: str, field: str) -> x509.GeneralName:
    return x509.DNSName(_dns_name(value, field, wildcard=True))


_SAN_PARSERS = {"dns": _san_dns, "ip": _san_ip, "email": _san_email, "uri": _san_uri}


def _dns_name(value: str, field: str, *, wildcard: bool) -> str:
    """Check a host name and return it in ASCII (A-labels); see RFC 1034 §3.5, RFC 5890."""
    if any(ch.isspace() for ch in value):
        raise SpecError(field, "a DNS name must not contain spaces", value)
    if value.startswith(".") or value.endswith("."):
        raise SpecError(field, "a DNS name must not start or end with a dot (RFC 5280 §4.2.1.6)", value)
    labels = value.split(".")
    if "" in labels:
        raise SpecError(field, "a DNS name must not contain empty labels ('..')", value)
    prefix = ""
    if "*" in value:
        if not wildcard or labels[0] != "*" or "*" in ".".join(labels[1:]):
            raise SpecError(field, "a wildcard must be the whole left-most label, as in *.example.org", value)
        if len(labels) < 3:
            raise SpecError(field, "a wildcard needs at least two labels after it, as in *.example.org", value)
        prefix, labels = "*.", labels[1:]
    ascii_labels = []
    for label in labels:
        if label.isascii():
            if len(label) > 63:
                raise SpecError(field, f"label {label[:20]!r}... is {len(label)} characters; at most 63 allowed (RFC 1034 §3.1)", value)
            if not _LDH_LABEL.match(label):
                raise SpecError(
                    field,
                    "each label may hold only letters, digits and inner hyphens, "
                    f"and must not start or end with a hyphen (RFC 1034 §3.5); label {label!r} does not",
                    value,
                )
            ascii_labels.append(label)
        else:
            try:
                a_label = idna.encode(label, uts46=True).decode("ascii")
            except idna.IDNAError as exc:
                raise SpecError(field, f"label {label!r} is not a valid internationalised name (IDNA 2008: {exc})", value) from None
            if len(a_label) > 63:
                raise SpecError(field, f"label {label!r} becomes {a_label!r}, over 63 characters (RFC 1034 §3.1)", value)
            ascii_labels.append(a_label)
    name = prefix + ".".join(ascii_labels)
    if len(name) > 253:
        raise SpecError(field, f"a DNS name may be at most 253 characters (255 octets on the wire with its length octets, RFC 1034 §3.1, RFC 1035 §2.3.4), this one is {len(name)}", value)
    return name
