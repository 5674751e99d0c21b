"""Specs -> the code that builds the same object: Python (today's pyca API) and openssl.

What a learner builds in a form they should be able to build without certlab.
:func:`python_code` writes the tutorial's code in its current form, with
comments where the tutorial's older spelling differs; :func:`openssl_command`
writes the equivalent ``openssl`` command line (OpenSSL 3.0 syntax).

Every value from a spec enters the Python as a ``repr`` literal and the shell
command through ``shlex.join``, so a hostile common name such as
``x"); import os #`` stays a string in both.
"""

from __future__ import annotations

import math
import shlex
from datetime import datetime, timezone

from cryptography import x509

from .errors import SpecError
from .knowledge.algorithms import HASH_CLASSES, KEY_USAGE_BITS, algorithm_named, default_leaf_key_usage
from .spec import (
    KEY_USAGES,
    SUBJECT_ATTRIBUTES,
    CertificateSpec,
    CsrSpec,
    KeySpec,
    normalize_san,
    san_names,
)

__all__ = ["CODE_KINDS", "python_code", "openssl_command", "openssl_args"]

CODE_KINDS: tuple[str, ...] = ("key", "csr", "self-signed", "ca-signed")

_EKU_CONSTANTS: dict[str, str] = {
    "serverAuth": "SERVER_AUTH",
    "clientAuth": "CLIENT_AUTH",
    "codeSigning": "CODE_SIGNING",
    "emailProtection": "EMAIL_PROTECTION",
    "timeStamping": "TIME_STAMPING",
    "OCSPSigning": "OCSP_SIGNING",
}
# KeyUsage argument -> openssl keyUsage word (x509v3_config(5) uses the RFC 5280 ASN.1 names)
_OPENSSL_KU: dict[str, str] = {bit.keyword: bit.asn1_name for bit in KEY_USAGE_BITS}


def _hashless(key: KeySpec) -> bool:
    return algorithm_named(key.algorithm).hashless


_BACKEND_NOTE = (
    "# The tutorial also passes backend=default_backend(); since cryptography 3.1\n"
    "# the backend argument is ignored, so today's code leaves it out."
)
_NOW_NOTE = (
    "# The tutorial uses datetime.datetime.utcnow(): it is deprecated since Python 3.12\n"
    "# and returns a naive time (no time zone), which is ambiguous. An aware UTC time is not."
)


# --------------------------------------------------------------------------
# Python
# --------------------------------------------------------------------------


def python_code(spec: KeySpec | CsrSpec | CertificateSpec, kind: str) -> str:
    """Python source that builds what ``spec`` describes, runnable as is.

    ``kind`` is ``"key"`` (defines ``key``), ``"csr"`` (``key`` and ``csr``),
    ``"self-signed"`` (``key`` and ``cert``) or ``"ca-signed"`` (a small
    stand-in CA ``ca_key`` / ``ca_cert``, then ``key``, ``csr`` and ``cert``).
    """
    key_spec, checked = _check(spec, kind)
    imports = {"from cryptography.hazmat.primitives import serialization"}
    body: list[str] = []
    body += _py_key(key_spec, "key", imports)
    if kind == "key":
        body += _py_save_hint(key_spec)
        return _assemble(imports, body)
    assert checked is not None
    imports |= {"from cryptography import x509", "from cryptography.x509.oid import NameOID"}
    if not _hashless(key_spec):
        imports.add("from cryptography.hazmat.primitives import hashes")
    body += _py_save_hint(key_spec)
    body.append("")
    if kind == "csr":
        body += _py_csr(checked, imports)
    elif kind == "self-signed":
        assert isinstance(checked, CertificateSpec)
        body += _py_self_signed(checked, imports)
    else:
        assert isinstance(checked, CertificateSpec)
        body = _py_ca(imports) + [""] + body + _py_csr(checked, imports) + [""] + _py_issue(checked, imports)
    return _assemble(imports, body)


def _check(spec: object, kind: str) -> tuple[KeySpec, CsrSpec | CertificateSpec | None]:
    if kind not in CODE_KINDS:
        raise SpecError("kind", f"must be one of {', '.join(CODE_KINDS)}", kind)
    if isinstance(spec, KeySpec):
        if kind != "key":
            raise SpecError("kind", "a KeySpec only makes a 'key'", kind)
        return spec, None
    if kind == "csr" and not isinstance(spec, (CsrSpec, CertificateSpec)):
        raise SpecError("spec", "'csr' code needs a CsrSpec", type(spec).__name__)
    if kind in ("self-signed", "ca-signed") and not isinstance(spec, CertificateSpec):
        raise SpecError("spec", f"'{kind}' code needs a CertificateSpec", type(spec).__name__)
    assert isinstance(spec, (CsrSpec, CertificateSpec))  # every kind was checked above
    return spec.key, spec


def _assemble(imports: set[str], body: list[str]) -> str:
    # stdlib first, then cryptography, as isort would order them
    std = sorted(i for i in imports if not i.startswith("from cryptography"))
    third = sorted(i for i in imports if i.startswith("from cryptography"))
    head = std + ([""] if std and third else []) + third
    return "\n".join(head + [""] + body).rstrip() + "\n"


def _py_key(key: KeySpec, var: str, imports: set[str]) -> list[str]:
    lines = ["# Generate our key", _BACKEND_NOTE] if var == "key" else []
    row = algorithm_named(key.algorithm)
    imports.add(f"from cryptography.hazmat.primitives.asymmetric import {row.module}")
    lines += row.python.format(var=var, **row.template_values(key)).split("\n")
    return lines


def _py_save_hint(key: KeySpec) -> list[str]:
    fmt = "TraditionalOpenSSL" if algorithm_named(key.algorithm).traditional else "PKCS8"
    why = "" if fmt == "TraditionalOpenSSL" else "  # this key type has no traditional format"
    return [
        "# Serialise it, encrypted, for safe keeping (write it to a file only you can read).",
        "key_pem = key.private_bytes(",
        "    encoding=serialization.Encoding.PEM,",
        f"    format=serialization.PrivateFormat.{fmt},{why}",
        '    encryption_algorithm=serialization.BestAvailableEncryption(b"change this passphrase"),',
        ")",
    ]


def _py_name(spec: CsrSpec | CertificateSpec, var: str) -> list[str]:
    lines = [f"{var} = x509.Name(["]
    for attr in SUBJECT_ATTRIBUTES:
        value = getattr(spec.subject, attr.field)
        if value:
            lines.append(f"    x509.NameAttribute(NameOID.{attr.oid_constant}, {value!r}),")
    lines.append("])")
    return lines


_GENERAL_NAME_CLASSES = {
    x509.DNSName: "DNSName",
    x509.RFC822Name: "RFC822Name",
    x509.UniformResourceIdentifier: "UniformResourceIdentifier",
}


def _py_general_name(text: str, imports: set[str]) -> str:
    """One list item line (without indentation) for a SAN row."""
    name = normalize_san(text)
    if isinstance(name, x509.IPAddress):
        imports.add("import ipaddress")
        return f"x509.IPAddress(ipaddress.ip_address({str(name.value)!r})),"
    line = f"x509.{_GENERAL_NAME_CLASSES[type(name)]}({name.value!r}),"
    if not text.isascii():
        # the comment holds the learner's text: repr() keeps it on one line
        line += f"  # {text.strip()!r} as its IDNA 2008 A-label"
    return line


def _py_extensions(spec: CsrSpec | CertificateSpec, imports: set[str]) -> list[str]:
    """`.add_extension(...)` calls, in the same order and criticality as build.py."""
    out: list[str] = []
    names = san_names(spec)
    if names:
        critical = not spec.subject.to_name()
        out.append(".add_extension(")
        out.append("    x509.SubjectAlternativeName([")
        out.append("        # Describe what sites we want this certificate for.")
        for text in spec.sans:
            out.append(f"        {_py_general_name(text, imports)}")
        out.append("    ]),")
        out.append(f"    critical={critical!r},{'  # an empty subject makes the SAN critical (RFC 5280 §4.2.1.6)' if critical else ''}")
        out.append(")")
    if spec.ca is not None:
        path = spec.path_length if spec.ca else None
        out.append(f".add_extension(x509.BasicConstraints(ca={spec.ca!r}, path_length={path!r}), critical=True)")
    if spec.key_usage:
        out.append(".add_extension(")
        out.append("    x509.KeyUsage(")
        for name in KEY_USAGES:
            out.append(f"        {name}={name in spec.key_usage!r},")
        out.append("    ),")
        out.append("    critical=True,  # RFC 5280 §4.2.1.3: SHOULD be critical")
        out.append(")")
    if spec.extended_key_usage:
        imports.add("from cryptography.x509.oid import ExtendedKeyUsageOID")
        items = ", ".join(_py_eku(e) for e in spec.extended_key_usage)
        out.append(f".add_extension(x509.ExtendedKeyUsage([{items}]), critical=False)")
    return out


def _py_eku(name: str) -> str:
    if name in _EKU_CONSTANTS:
        return f"ExtendedKeyUsageOID.{_EKU_CONSTANTS[name]}"
    return f"x509.ObjectIdentifier({name!r})"


def _py_sign(key_spec: KeySpec, hash_name: str, signer: str = "key") -> str:
    if _hashless(key_spec):
        return f".sign({signer}, None)  # {key_spec.algorithm} hashes internally: no separate hash"
    return f".sign({signer}, hashes.{HASH_CLASSES[hash_name]}())"


def _py_csr(spec: CsrSpec | CertificateSpec, imports: set[str]) -> list[str]:
    lines = ["# Generate a CSR: who we are and which names we want, signed by our key."]
    lines += _py_name(spec, "subject")
    lines.append("csr = (")
    lines.append("    x509.CertificateSigningRequestBuilder()")
    lines.append("    .subject_name(subject)")
    lines += ["    " + line for line in _py_extensions(spec, imports)]
    lines.append("    # Sign the CSR with our private key (this proves we hold it).")
    lines.append("    " + _py_sign(spec.key, spec.hash))
    lines.append(")")
    return lines


def _py_validity(spec: CertificateSpec) -> list[str]:
    lines = [_NOW_NOTE, "now = datetime.datetime.now(datetime.timezone.utc)"]
    if spec.not_before is not None:
        lines.append(f"not_before = {_py_datetime(spec.not_before)}")
    else:
        lines.append("not_before = now")
    if spec.not_after is not None:
        lines.append(f"not_after = {_py_datetime(spec.not_after)}")
    else:
        lines.append(f"# Our certificate will be valid for {spec.validity_days} days")
        lines.append(f"not_after = not_before + datetime.timedelta(days={spec.validity_days!r})")
    return lines


def _py_datetime(moment: datetime) -> str:
    utc = moment.astimezone(timezone.utc)
    return (
        f"datetime.datetime({utc.year}, {utc.month}, {utc.day}, {utc.hour}, {utc.minute}, {utc.second}, "
        "tzinfo=datetime.timezone.utc)"
    )


def _py_serial(spec: CertificateSpec) -> str:
    return "x509.random_serial_number()" if spec.serial is None else repr(spec.serial)


def _py_self_signed(spec: CertificateSpec, imports: set[str]) -> list[str]:
    imports.add("import datetime")
    lines = _py_validity(spec)
    lines.append("# For a self-signed certificate the subject and issuer are the same.")
    lines += _py_name(spec, "subject")
    lines.append("issuer = subject")
    lines += [
        "cert = (",
        "    x509.CertificateBuilder()",
        "    .subject_name(subject)",
        "    .issuer_name(issuer)",
        "    .public_key(key.public_key())",
        f"    .serial_number({_py_serial(spec)})",
        "    .not_valid_before(not_before)",
        "    .not_valid_after(not_after)",
    ]
    lines += ["    " + line for line in _py_extensions(spec, imports)]
    if spec.subject_key_identifier:
        lines.append("    .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)")
    if spec.authority_key_identifier:
        lines.append("    # self-signed: the authority key is our own key (RFC 5280 §4.2.1.1)")
        lines.append("    .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)")
    lines.append("    # Sign our certificate with our own private key.")
    lines.append("    " + _py_sign(spec.key, spec.hash))
    lines.append(")")
    return lines


def _py_ca(imports: set[str]) -> list[str]:
    imports |= {
        "import datetime",
        "from cryptography.hazmat.primitives.asymmetric import ec",
        "from cryptography.hazmat.primitives import hashes",
        "from cryptography import x509",
    }
    return [
        "# A small stand-in CA so this code runs on its own. A real CA keeps its key",
        "# elsewhere and only ever sees your CSR (steps 3-5 of the tutorial's flow).",
        "ca_key = ec.generate_private_key(ec.SECP256R1())",
        'ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Teaching CA")])',
        "ca_start = datetime.datetime.now(datetime.timezone.utc)",
        "ca_cert = (",
        "    x509.CertificateBuilder()",
        "    .subject_name(ca_name)",
        "    .issuer_name(ca_name)",
        "    .public_key(ca_key.public_key())",
        "    .serial_number(x509.random_serial_number())",
        "    .not_valid_before(ca_start - datetime.timedelta(hours=1))",
        "    .not_valid_after(ca_start + datetime.timedelta(days=3650))",
        "    # RFC 5280 §4.2.1.9 / 4.2.1.3: a CA says so, critically, and may sign certificates and CRLs",
        "    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)",
        "    .add_extension(",
        "        x509.KeyUsage(",
        "            digital_signature=False, content_commitment=False, key_encipherment=False,",
        "            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,",
        "            encipher_only=False, decipher_only=False,",
        "        ),",
        "        critical=True,",
        "    )",
        "    .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)",
        "    .sign(ca_key, hashes.SHA256())",
        ")",
    ]


def _py_issue(spec: CertificateSpec, imports: set[str]) -> list[str]:
    imports |= {"from cryptography.x509.oid import ExtendedKeyUsageOID", "import datetime"}
    if spec.key_usage - {"key_cert_sign", "crl_sign"}:
        usages = set(spec.key_usage) - {"key_cert_sign", "crl_sign"}
        ku_lines = [f"            {name}={name in usages!r}," for name in KEY_USAGES]
        ku_comment = "    # KeyUsage as the spec asks"
    else:
        default = default_leaf_key_usage(spec.key.algorithm)
        ku_lines = [f"            {name}={name in default!r}," for name in KEY_USAGES]
        ku_comment = "    # digitalSignature (+ keyEncipherment for RSA key transport in TLS 1.2)"
    ekus = ", ".join(_py_eku(e) for e in spec.extended_key_usage) or (
        "ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH"
    )
    lines = ["# The CA checks the CSR's signature (proof that you hold the key) ..."]
    lines.append("assert csr.is_signature_valid")
    lines += _py_validity(spec)
    lines += [
        "# ... and signs a certificate naming you and your public key (step 5).",
        "cert = (",
        "    x509.CertificateBuilder()",
        "    .subject_name(csr.subject)",
        "    .issuer_name(ca_cert.subject)",
        "    .public_key(csr.public_key())",
        f"    .serial_number({_py_serial(spec)})",
        "    .not_valid_before(not_before)",
        "    .not_valid_after(not_after)",
    ]
    if spec.sans:
        lines += [
            "    .add_extension(",
            "        csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value,",
            f"        critical={not spec.subject.to_name()!r},",
            "    )",
        ]
    lines += [
        "    .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)",
        ku_comment,
        "    .add_extension(",
        "        x509.KeyUsage(",
        *ku_lines,
        "        ),",
        "        critical=True,",
        "    )",
        f"    .add_extension(x509.ExtendedKeyUsage([{ekus}]), critical=False)",
        "    .add_extension(x509.SubjectKeyIdentifier.from_public_key(csr.public_key()), critical=False)",
        "    .add_extension(",
        "        # RFC 5280 §4.2.1.1: the AKI of a certificate is the SKI of its issuer",
        "        x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(",
        "            ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value",
        "        ),",
        "        critical=False,",
        "    )",
        f"    .sign(ca_key, hashes.{HASH_CLASSES[spec.hash]}())",
        ")",
    ]
    return lines


# --------------------------------------------------------------------------
# openssl
# --------------------------------------------------------------------------


def openssl_command(spec: KeySpec | CsrSpec | CertificateSpec, kind: str) -> str:
    """A copy-pasteable shell command (OpenSSL 3.0+) making what ``spec`` describes.

    ``"ca-signed"`` gives two commands joined by ``&&``: the CSR, then
    ``openssl x509 -req`` signing it with ``ca.pem`` / ``ca.key``.  A key type
    OpenSSL 3.0 does not know (ML-DSA) is preceded by a ``#`` line saying which
    version it needs.
    """
    key_spec, checked = _check(spec, kind)
    # a key type older OpenSSL lacks: say so first, as a shell comment (still pasteable)
    needs = algorithm_named(key_spec.algorithm).openssl_needs
    note = f"# {needs}\n" if needs else ""
    if kind == "ca-signed":
        assert isinstance(checked, CertificateSpec)
        first = openssl_args(checked, "csr", key_out="key.pem", out="request.csr")
        second = openssl_args(checked, "ca-signed", key_out="key.pem", out="cert.pem")
        return note + shlex.join(first) + " && " + shlex.join(second)
    out = {"key": "key.pem", "csr": "request.csr", "self-signed": "cert.pem"}[kind]  # _check knows the kind
    return note + shlex.join(openssl_args(spec, kind, key_out="key.pem", out=out))


def openssl_args(
    spec: KeySpec | CsrSpec | CertificateSpec,
    kind: str,
    *,
    key_out: str,
    out: str,
    csr_in: str = "request.csr",
    ca_cert: str = "ca.pem",
    ca_key: str = "ca.key",
) -> list[str]:
    """The ``openssl`` argv for ``kind``; for ``"ca-signed"`` the signing step
    (``openssl x509 -req -in csr_in -CA ca_cert -CAkey ca_key``)."""
    key_spec, checked = _check(spec, kind)
    keygen = _newkey(key_spec)
    if kind == "key":
        return ["openssl", "genpkey", "-algorithm", *_genpkey(key_spec), "-out", key_out]
    assert checked is not None
    digest = [] if _hashless(key_spec) else [f"-{checked.hash}"]
    if kind == "ca-signed":
        assert isinstance(checked, CertificateSpec)
        # the digest belongs to the CA's signature, whatever the leaf's key type
        args = ["openssl", "x509", "-req", "-in", csr_in, "-CA", ca_cert, "-CAkey", ca_key, f"-{checked.hash}"]
        args += ["-days", str(_days(checked)), *_serial_args(checked, ca_signed=True)]
        # the CSR's SANs travel into the certificate (OpenSSL 3.0+); a real CA would check them first
        args += ["-copy_extensions", "copyall"]
        return args + ["-out", out]
    # -config /dev/null: no distribution defaults sneak extra extensions in
    args = ["openssl", "req", "-new", *keygen, "-nodes", "-keyout", key_out, "-out", out, "-config", "/dev/null"]
    subject = checked.subject
    if any(not str(getattr(subject, attr.field)).isascii() for attr in SUBJECT_ATTRIBUTES):
        args.append("-utf8")
    args += ["-subj", _subj(checked)]
    if kind == "self-signed":
        assert isinstance(checked, CertificateSpec)
        args[2:2] = ["-x509"]
        args += ["-days", str(_days(checked)), *_serial_args(checked, ca_signed=False)]
    args += digest
    for ext in _openssl_extensions(checked, kind):
        args += ["-addext", ext]
    return args


def _genpkey(key: KeySpec) -> list[str]:
    row = algorithm_named(key.algorithm)
    return [arg.format(**row.template_values(key)) for arg in row.openssl_genpkey]


def _newkey(key: KeySpec) -> list[str]:
    row = algorithm_named(key.algorithm)
    return [arg.format(**row.template_values(key)) for arg in row.openssl_newkey]


def _subj(spec: CsrSpec | CertificateSpec) -> str:
    """The -subj string: '/' separates attributes, so '/', '+', '\\\\' and '=' in values are escaped."""
    parts = []
    for attr in SUBJECT_ATTRIBUTES:
        value = getattr(spec.subject, attr.field)
        if value:
            escaped = "".join("\\" + ch if ch in "/+\\=" else ch for ch in value)
            parts.append(f"/{attr.short_name}={escaped}")
    return "".join(parts) or "/"


def _days(spec: CertificateSpec) -> int:
    # OpenSSL 3.0 starts a certificate "now" and only takes a length in days
    if spec.not_before is not None and spec.not_after is not None:
        return max(1, math.ceil((spec.not_after - spec.not_before).total_seconds() / 86400))
    return spec.validity_days


def _serial_args(spec: CertificateSpec, *, ca_signed: bool) -> list[str]:
    if spec.serial is not None:
        return ["-set_serial", hex(spec.serial)]
    return ["-CAcreateserial"] if ca_signed else []


def _openssl_extensions(spec: CsrSpec | CertificateSpec, kind: str) -> list[str]:
    """x509v3_config(5) lines equal to what build.py adds."""
    out: list[str] = []
    names = san_names(spec)
    if names:
        items = []
        for name in names:
            value = str(name.value)
            if "," in value:
                raise SpecError("sans", "openssl's -addext cannot hold a comma inside a SAN; percent-encode it (%2C)", value)
            prefix = {x509.DNSName: "DNS", x509.IPAddress: "IP", x509.RFC822Name: "email", x509.UniformResourceIdentifier: "URI"}[type(name)]
            items.append(f"{prefix}:{value}")
        critical = "critical," if not spec.subject.to_name() else ""
        out.append(f"subjectAltName={critical}{','.join(items)}")
    if spec.ca is not None:
        path = f",pathlen:{spec.path_length}" if spec.ca and spec.path_length is not None else ""
        out.append(f"basicConstraints=critical,CA:{'TRUE' if spec.ca else 'FALSE'}{path}")
    if spec.key_usage:
        out.append("keyUsage=critical," + ",".join(_OPENSSL_KU[u] for u in KEY_USAGES if u in spec.key_usage))
    if spec.extended_key_usage:
        out.append("extendedKeyUsage=" + ",".join(spec.extended_key_usage))  # RFC 5280 short names or dotted OIDs, as openssl reads them
    if kind == "self-signed":
        assert isinstance(spec, CertificateSpec)
        # OpenSSL 3 adds SKI (and AKI) to -x509 output by default; "none" switches that off
        out.append("subjectKeyIdentifier=" + ("hash" if spec.subject_key_identifier else "none"))
        out.append("authorityKeyIdentifier=" + ("keyid:always" if spec.authority_key_identifier else "none"))
    return out
