"""Reading and writing: PEM / DER / base64 in, with the kind detected; PEM / DER / files out.

:func:`load` is the one normaliser for pasted or uploaded input.  It never
raises for bad *content*: every block becomes a :class:`Loaded`, and one that
could not be read carries ``obj=None`` and a plain-language ``error`` so a
learner sees *why* ("encrypted private key: wrong passphrase").

Writing keeps secrets secret: :func:`save` creates files with mode 0600 from
the first byte (``O_CREAT | O_EXCL``), and never replaces a file unless asked.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import math
import os
import pathlib
import re
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.x509 import ocsp
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .der import read_header
from .errors import LoadError, SpecError, WrongKind, first_line
from .knowledge.algorithms import algorithm_of, is_private_key

if TYPE_CHECKING:
    from .types import Inspectable, Kind, PrivateKeyTypes

__all__ = ["Loaded", "KINDS", "FILE_STEMS", "PEM_LABELS", "pem_armor", "kind_of", "load", "load_file",
           "private_key_bytes", "public_bytes", "public_der", "save"]

KINDS: tuple[str, ...] = ("certificate", "csr", "crl", "private-key", "public-key", "pkcs7", "pkcs12",
                          "ocsp-request", "ocsp-response", "timestamp-request", "timestamp-response",
                          "cmp", "crmf", "unknown")

#: kind -> the file name (without extension) certlab suggests when it saves or offers a
#: download of such an object, so a learner's files are named alike everywhere.
FILE_STEMS: dict[str, str] = {
    "certificate": "certificate",
    "csr": "csr",
    "crl": "crl",
    "private-key": "key",
    "public-key": "public-key",
}


#: kind -> the PEM label certlab writes for it (RFC 7468 §5-13 where it defines one; pkilint's
#: "OCSP RESPONSE"; OpenSSL's "PKCS12"; a descriptive label for the others, read back by :func:`load`).
PEM_LABELS: dict[str, str] = {
    "certificate": "CERTIFICATE",
    "csr": "CERTIFICATE REQUEST",
    "crl": "X509 CRL",
    "public-key": "PUBLIC KEY",
    "private-key": "PRIVATE KEY",
    "pkcs7": "PKCS7",
    "pkcs12": "PKCS12",
    "ocsp-request": "OCSP REQUEST",
    "ocsp-response": "OCSP RESPONSE",
    "timestamp-request": "TIME-STAMP REQUEST",
    "timestamp-response": "TIME-STAMP RESPONSE",
    "cmp": "CMP MESSAGE",
    "crmf": "CRMF REQUEST",
}


def pem_armor(der: bytes, label: str) -> str:
    """``der`` as an RFC 7468 text block: BEGIN/END lines around base64 in 64-character lines."""
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n"


@dataclass(frozen=True)
class Loaded:
    """One object found in the input.

    ``der`` is the block's decoded bytes (for a legacy encrypted PEM key, the
    ciphertext as stored); ``obj`` the cryptography object or ``None`` with
    ``error`` saying why; ``label`` the PEM label (``None`` for DER/base64);
    ``note`` an extra remark (e.g. "certificate 2 of 3 in a PKCS#7 bundle");
    ``refusal`` what cryptography said when it refused bytes of this kind
    (the kind then comes from the structure, :func:`certlab.schema.guess_root`).
    """

    source: str
    kind: str
    der: bytes
    obj: object | None
    label: str | None
    encrypted: bool
    error: str | None
    note: str | None = None
    refusal: str | None = None

    @classmethod
    def read(cls, source: str, kind: str, der: bytes, obj: object | None, *, label: str | None = None,
             encrypted: bool = False, note: str | None = None) -> Loaded:
        """What was read: ``obj`` the cryptography object (None for a kind certlab shows by its
        structure alone, ``note`` then says so)."""
        return cls(source, kind, der, obj, label, encrypted, None, note)

    @classmethod
    def failed(cls, source: str, kind: str, der: bytes, error: str, *, label: str | None = None,
               encrypted: bool = False, refusal: str | None = None) -> Loaded:
        """Bytes of ``kind`` (as far as certlab can tell) that could not be read; ``error`` says why."""
        return cls(source, kind, der, None, label, encrypted, error, None, refusal)


# PEM label -> kind (RFC 7468 §2 and the labels OpenSSL writes)
_LABEL_KINDS: dict[str, str] = {
    "CERTIFICATE": "certificate",
    "X509 CERTIFICATE": "certificate",
    "TRUSTED CERTIFICATE": "certificate",
    "CERTIFICATE REQUEST": "csr",
    "NEW CERTIFICATE REQUEST": "csr",
    "X509 CRL": "crl",
    "PRIVATE KEY": "private-key",
    "ENCRYPTED PRIVATE KEY": "private-key",
    "RSA PRIVATE KEY": "private-key",
    "EC PRIVATE KEY": "private-key",
    "DSA PRIVATE KEY": "private-key",
    "OPENSSH PRIVATE KEY": "private-key",
    "PUBLIC KEY": "public-key",
    "RSA PUBLIC KEY": "public-key",
    "PKCS7": "pkcs7",
    "CMS": "pkcs7",
    "PKCS12": "pkcs12",
    # the labels certlab writes for the kinds RFC 7468 has none for (PEM_LABELS)
    "OCSP REQUEST": "ocsp-request",
    "OCSP RESPONSE": "ocsp-response",
    "TIME-STAMP REQUEST": "timestamp-request",
    "TIME-STAMP RESPONSE": "timestamp-response",
    "CMP MESSAGE": "cmp",
    "CRMF REQUEST": "crmf",
}

# A PEM label (RFC 7468 §3, and the labels OpenSSL writes): letters, digits, spaces and a few marks.
_PEM_LABEL = re.compile(rb"[A-Z0-9 #/_-]+")
_BEGIN, _END, _DASHES = b"-----BEGIN ", b"-----END ", b"-----"
_LABEL_MAX = 64  # the longest label OpenSSL writes ("ENCRYPTED PRIVATE KEY") has 21 characters


@dataclass(frozen=True)
class _PemBlock:
    """One ``-----BEGIN L-----`` ... ``-----END L'-----`` block found by :func:`_pem_blocks`."""

    start: int  # offset of the BEGIN line
    end: int  # offset just past the END line's dashes
    body_start: int
    label: bytes
    body: bytes
    end_label: bytes


def _pem_label(raw: bytes, start: int) -> tuple[bytes, int] | None:
    """The label that starts at ``start`` and the offset past its closing dashes.

    Looks at most ``_LABEL_MAX`` bytes ahead (the label's characters exclude a
    line break), so each BEGIN or END costs a bounded time however long the line.
    """
    close = raw.find(_DASHES, start, start + _LABEL_MAX + len(_DASHES))
    if close <= start or not _PEM_LABEL.fullmatch(raw, start, close):
        return None
    return raw[start:close], close + len(_DASHES)


def _pem_blocks(raw: bytes) -> list[_PemBlock]:
    """Every PEM block of ``raw``, in linear time.

    A regular expression over the whole text backtracks on hostile input (6.8 KB
    of repeated BEGIN lines took 11-15 s), so the blocks are found with
    ``bytes.find``: each BEGIN line's label is read on its own line, and its
    body runs to the first END line with a well-formed label.  Every offset
    is looked at a bounded number of times.
    """
    blocks: list[_PemBlock] = []
    pos = 0
    while True:
        begin = raw.find(_BEGIN, pos)
        if begin < 0:
            return blocks
        head = _pem_label(raw, begin + len(_BEGIN))
        if head is None:
            pos = begin + len(_BEGIN)
            continue
        label, body_start = head
        if raw.startswith(b"\r", body_start):
            body_start += 1
        if raw.startswith(b"\n", body_start):
            body_start += 1
        search = body_start
        while True:
            end = raw.find(_END, search)
            if end < 0:
                return blocks  # no END line after this BEGIN, so none after any later one
            tail = _pem_label(raw, end + len(_END))
            if tail is not None:
                break
            search = end + len(_END)
        blocks.append(_PemBlock(begin, tail[1], body_start, label, raw[body_start:end], tail[0]))
        pos = tail[1]
_BASE64_LINE = re.compile(rb"^[A-Za-z0-9+/=]*$")
_BASE64_TEXT = re.compile(rb"^[A-Za-z0-9+/=\s]+$")


def load(
    data: bytes | str, *, passphrase: bytes | str | None = None, source: str = "<input>"
) -> list[Loaded]:
    """Everything readable in ``data``: PEM (any number of blocks, text around
    them, RFC 1421 headers), DER, or bare base64 (whitespace allowed).

    The kind comes from the PEM label when there is one, else from which
    parser accepts the DER.  PKCS#7 bundles give a ``pkcs7`` entry followed by
    one ``certificate`` entry per certificate (``source#1``, ``source#2`` ...);
    PKCS#12 files give the key and certificates inside (needs ``passphrase``
    when encrypted).  Never raises for bad content.
    """
    with warnings.catch_warnings(record=True) as caught:
        # old algorithms (DSA, finite-field DH, SHA-1 ...) make cryptography warn; a learner
        # should read that next to the object, not as a stray warning in the notebook
        warnings.simplefilter("always", CryptographyDeprecationWarning)
        items = _load(data, passphrase, source)
    said = sorted({str(w.message) for w in caught if issubclass(w.category, CryptographyDeprecationWarning)})
    if not said:
        return items
    remark = "cryptography warns: " + " ".join(said)
    return [dataclasses.replace(i, note=f"{i.note}; {remark}" if i.note else remark) for i in items]


def _load(data: bytes | str, passphrase: bytes | str | None, source: str) -> list[Loaded]:
    pw = _passphrase(passphrase)
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else bytes(data)
    try:
        if b"-----BEGIN " in raw:
            return _load_pem(raw, pw, source)
        stripped = raw.strip()
        if not stripped:
            return [_unknown(source, b"", "the input is empty")]
        if stripped[:1] != b"\x30" and _BASE64_TEXT.match(stripped):
            try:
                der = base64.b64decode(b"".join(stripped.split()), validate=True)
            except (binascii.Error, ValueError):
                return [_unknown(source, raw, "looks like base64 but does not decode (wrong length or padding)")]
            return _load_der(der, pw, source, label=None)
        if stripped[:1] != b"\x30" and stripped.isascii():
            return [_unknown(source, raw, "this is text, but neither PEM (no -----BEGIN ...----- line) nor base64")]
        return _load_der(raw, pw, source, label=None)
    except Exception as exc:  # last guard: a parser surprise must not reach a learner as a traceback
        return [_unknown(source, raw, f"could not read the input ({type(exc).__name__}: {exc})")]


def load_file(path: str | os.PathLike[str], *, passphrase: bytes | str | None = None) -> list[Loaded]:
    """:func:`load` the contents of a file; :class:`LoadError` (field ``"file"``) if it cannot be read."""
    p = pathlib.Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise LoadError("file", "no such file", str(p)) from None
    except IsADirectoryError:
        raise LoadError("file", "is a folder, not a file", str(p)) from None
    except PermissionError:
        raise LoadError("file", "cannot be read (permission denied)", str(p)) from None
    except OSError as exc:
        raise LoadError("file", f"cannot be read ({exc.strerror})", str(p)) from None
    return load(data, passphrase=passphrase, source=str(p))


# --------------------------------------------------------------------------
# PEM
# --------------------------------------------------------------------------


def _load_pem(raw: bytes, pw: bytes | None, source: str) -> list[Loaded]:
    out: list[Loaded] = []
    matches = _pem_blocks(raw)
    begins = raw.count(b"-----BEGIN ")
    line, counted = 1, 0  # line numbers counted once over the text, not from the top per block
    for number, match in enumerate(matches, start=1):
        label = match.label.decode("ascii")
        where = f"{source}#{number}" if begins > 1 else source
        if match.end_label != match.label:
            out.append(_unknown(where, b"", f"PEM block {number} begins '{label}' but ends '{match.end_label.decode()}'", label))
            continue
        line += raw.count(b"\n", counted, match.body_start)
        counted = match.body_start
        headers, body, bad_line = _pem_body(match.body, line)
        kind = _LABEL_KINDS.get(label, "unknown")
        if bad_line is not None:
            out.append(
                Loaded.failed(where, kind, b"", f"PEM block {number} '{label}' is not valid base64 at line {bad_line}", label=label)
            )
            continue
        try:
            der = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            out.append(
                Loaded.failed(where, kind, b"", f"PEM block {number} '{label}' is not valid base64 (wrong length or padding)",
                              label=label)
            )
            continue
        encrypted = label == "ENCRYPTED PRIVATE KEY" or "ENCRYPTED" in headers.get("Proc-Type", "")
        if kind == "private-key":
            out.append(_private_key(where, der, pw, label, raw[match.start:match.end], encrypted))
        elif kind == "unknown":
            # an unknown label: maybe the DER still is something we know
            found = _load_der(der, pw, where, label=label)
            if found and found[0].obj is None:
                found[0] = Loaded.failed(where, "unknown", der, f"PEM label '{label}' is not one certlab reads", label=label)
            out.extend(found)
        elif label == "TRUSTED CERTIFICATE":
            # OpenSSL's -trustout form: the certificate, then its trust settings (X509_CERT_AUX)
            cert_der = _first_tlv(der)
            found = _by_kind(kind, cert_der, pw, where, label)
            if found[0].obj is not None and len(cert_der) < len(der):
                note = "OpenSSL trust settings after the certificate were left aside"
                found[0] = dataclasses.replace(found[0], note=note)
            out.extend(found)
        else:
            out.extend(_by_kind(kind, der, pw, where, label))
    if begins > len(matches):
        out.append(_unknown(source, b"", "a PEM block has a BEGIN line but no matching END line"))
    return out


def _pem_body(text: bytes, first_line: int) -> tuple[dict[str, str], bytes, int | None]:
    """Split RFC 1421 headers from the base64 body; find the first line that is not base64."""
    headers: dict[str, str] = {}
    lines = text.split(b"\n")
    body: list[bytes] = []
    in_headers = True
    for offset, line in enumerate(lines):
        line = line.strip()
        if in_headers and b":" in line:
            name, _, value = line.partition(b":")
            headers[name.decode("ascii", "replace").strip()] = value.decode("ascii", "replace").strip()
            continue
        in_headers = False
        if not line:
            continue
        if not _BASE64_LINE.match(line):
            return headers, b"", first_line + offset
        body.append(line)
    return headers, b"".join(body), None


# --------------------------------------------------------------------------
# DER, by kind
# --------------------------------------------------------------------------


def _by_kind(kind: str, der: bytes, pw: bytes | None, where: str, label: str | None) -> list[Loaded]:
    if kind == "private-key":
        return [_private_key(where, der, pw, label, None, False)]
    if kind == "pkcs7":
        return _pkcs7(der, where, label)
    if kind == "pkcs12":
        return _pkcs12(der, pw, where, label)
    if kind not in _PARSERS:  # a time-stamp or CMP message: read by its structure alone
        found = _by_structure(der, where, label, {})
        if found is not None and found.kind == kind:
            return [found]
        return [Loaded.failed(where, kind, der, f"not a valid {_STRUCTURE_ONLY[kind]}", label=label)]
    parser = _PARSERS[kind]
    try:
        return [Loaded.read(where, kind, der, parser(der), label=label)]
    except Exception as exc:
        return [Loaded.failed(where, kind, der, f"not a valid {_NAMES[kind]}: {_reason(exc)}", label=label,
                              refusal=_reason(exc))]


def _load_der(der: bytes, pw: bytes | None, where: str, *, label: str | None) -> list[Loaded]:
    refusals: dict[str, str] = {}
    for kind in ("certificate", "csr", "crl", "public-key", "ocsp-request", "ocsp-response"):
        try:
            return [Loaded.read(where, kind, der, _PARSERS[kind](der), label=label)]
        except Exception as exc:
            refusals[kind] = _reason(exc)
            continue
    if _looks_pkcs12(der):
        return _pkcs12(der, pw, where, label)
    pkcs7_found = _pkcs7(der, where, label)
    if pkcs7_found[0].obj is not None:
        return pkcs7_found
    key = _private_key(where, der, pw, label, None, False)
    if key.obj is not None or key.encrypted:
        return [key]
    structural = _by_structure(der, where, label, refusals)
    if structural is not None:
        return [structural]
    return [_unknown(where, der, "not a certificate, CSR, CRL, key, PKCS#7 or PKCS#12 that certlab can read", label)]


# Kinds cryptography does not parse: certlab reads them by their structure alone.
_STRUCTURE_ONLY: dict[str, str] = {
    "pkcs7": "CMS content (RFC 5652); cryptography reads only the certificates of a PKCS#7 bundle",
    "timestamp-request": "time-stamp request (RFC 3161 §2.4.1)",
    "timestamp-response": "time-stamp response (RFC 3161 §2.4.2)",
    "cmp": "CMP message (RFC 4210 §5.1)",
    "crmf": "CRMF certificate request messages (RFC 4211 §3)",
}


def _by_structure(der: bytes, where: str, label: str | None, refusals: dict[str, str]) -> Loaded | None:
    """The kind the schema walk gives the DER's shape, when no parser took it.

    A shape cryptography parses (a certificate, a CRL ...) that it refused is
    that kind with ``obj=None`` and the refusal as its ``error`` (``"cryptography
    refused this certificate: 7 is not a valid X509 version"``), so the views
    still name its tree; a kind cryptography has no parser for (a time-stamp
    token, a CMP message) is read by its structure, with no error.
    """
    from .der import read
    from .schema import ROOT_KINDS, guess_root

    root, errors = read(der)
    if root is None or errors or root.end != len(der):
        return None
    kind = ROOT_KINDS.get(guess_root(root, None, der) or "")
    if kind is None:
        return None
    if kind in refusals:
        return Loaded.failed(where, kind, der, f"cryptography refused this {_NAMES[kind]}: {refusals[kind]}", label=label,
                             refusal=refusals[kind])
    if kind in _STRUCTURE_ONLY:
        return Loaded.read(where, kind, der, None, label=label, note=f"{_STRUCTURE_ONLY[kind]}: shown by its structure")
    return None


def _public_key(der: bytes) -> object:
    return serialization.load_der_public_key(der)


_PARSERS: dict[str, Callable[[bytes], object]] = {
    "certificate": x509.load_der_x509_certificate,
    "csr": x509.load_der_x509_csr,
    "crl": x509.load_der_x509_crl,
    "public-key": _public_key,
    "ocsp-request": ocsp.load_der_ocsp_request,
    "ocsp-response": ocsp.load_der_ocsp_response,
}
_NAMES = {
    "certificate": "certificate",
    "csr": "certificate signing request",
    "crl": "certificate revocation list",
    "public-key": "public key",
    "ocsp-request": "OCSP request",
    "ocsp-response": "OCSP response",
}


def _private_key(
    where: str, der: bytes, pw: bytes | None, label: str | None, pem: bytes | None, encrypted: bool
) -> Loaded:
    def attempt(password: bytes | None) -> object:
        # certlab loads a key to show it.  OpenSSL's RSA consistency check tests the
        # primes, which takes 27 s for an RSA-16384 key; _check_rsa does the cheap,
        # exact part of it instead (the arithmetic that ties n, e, d, p, q together).
        key: object
        if label == "OPENSSH PRIVATE KEY" and pem is not None:
            key = serialization.load_ssh_private_key(pem, password, unsafe_skip_rsa_key_validation=True)
        elif pem is not None:
            # PEM as a whole: legacy encrypted keys keep their cipher in the DEK-Info header
            key = serialization.load_pem_private_key(pem, password, unsafe_skip_rsa_key_validation=True)
        else:
            key = serialization.load_der_private_key(der, password, unsafe_skip_rsa_key_validation=True)
        _check_rsa(key)
        return key

    if not encrypted:
        try:
            # a plain key loads without a passphrase (one given anyway is simply not needed)
            return Loaded.read(where, "private-key", der, attempt(None), label=label)
        except TypeError:
            encrypted = True  # cryptography: "Password was not given but private key is encrypted"
        except Exception as exc:
            return Loaded.failed(where, "private-key", der, f"not a valid private key: {_reason(exc)}", label=label)
    if pw is None:
        return Loaded.failed(where, "private-key", der, "encrypted private key: needs a passphrase", label=label, encrypted=True)
    try:
        return Loaded.read(where, "private-key", der, attempt(pw), label=label, encrypted=True)
    except Exception:
        return Loaded.failed(where, "private-key", der, "encrypted private key: wrong passphrase", label=label, encrypted=True)


def _check_rsa(key: object) -> None:
    """Raise ValueError unless an RSA private key's numbers fit together (RFC 8017 §3.2).

    The exact relations are checked (n = pq, e d = 1 modulo lcm(p-1, q-1), the CRT
    values), in milliseconds even for RSA-16384; the primality of p and q, the slow
    part of OpenSSL's check, is not: this key is loaded to be shown, not to sign.
    """
    if not isinstance(key, rsa.RSAPrivateKey):
        return
    nums = key.private_numbers()
    p, q, d, pub = nums.p, nums.q, nums.d, nums.public_numbers
    if p < 2 or q < 2 or p * q != pub.n:
        raise ValueError("inconsistent RSA key: n is not p times q")
    lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
    if (pub.e * d) % lam != 1:
        raise ValueError("inconsistent RSA key: d is not the inverse of e modulo lcm(p-1, q-1)")
    if nums.dmp1 != d % (p - 1) or nums.dmq1 != d % (q - 1) or (nums.iqmp * q) % p != 1:
        raise ValueError("inconsistent RSA key: the CRT values (dP, dQ, qInv) do not fit p, q and d")


def _pkcs7(der: bytes, where: str, label: str | None) -> list[Loaded]:
    # imported here: cryptography's pkcs7 module imports the email package (S/MIME),
    # ~1 MB of every kernel that never loads a PKCS#7 bundle (issue 14)
    from cryptography.hazmat.primitives.serialization import pkcs7

    try:
        certs = pkcs7.load_der_pkcs7_certificates(der)
    except Exception as exc:
        # CMS content cryptography does not read (SignedData without certificates,
        # EnvelopedData, a time-stamp token ...): still a ContentInfo, shown by its structure
        structural = _by_structure(der, where, label, {})
        if structural is not None and structural.kind == "pkcs7":
            return [structural]
        return [Loaded.failed(where, "pkcs7", der, f"not a PKCS#7 certificate bundle: {_reason(exc)}", label=label)]
    n = len(certs)
    out = [Loaded.read(where, "pkcs7", der, tuple(certs), label=label,
                       note=f"PKCS#7 bundle with {n} certificate{'s' * (n != 1)}")]
    for i, cert in enumerate(certs, start=1):
        out.append(
            Loaded.read(f"{where}#{i}", "certificate", cert.public_bytes(serialization.Encoding.DER), cert,
                        note=f"certificate {i} of {n} in a PKCS#7 bundle")
        )
    return out


def _pkcs12(der: bytes, pw: bytes | None, where: str, label: str | None) -> list[Loaded]:
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        try:
            p12 = pkcs12.load_pkcs12(der, pw)
        except Exception:
            if pw is None:
                raise
            p12 = pkcs12.load_pkcs12(der, None)  # a passphrase given for a file that has none
            pw = None
    except Exception as exc:
        text = str(exc).lower()
        if "password" in text:
            reason = "PKCS#12 file: needs a passphrase" if pw is None else "PKCS#12 file: wrong passphrase"
            return [Loaded.failed(where, "pkcs12", der, reason, label=label, encrypted=True)]
        return [Loaded.failed(where, "pkcs12", der, f"not a valid PKCS#12 file: {_reason(exc)}", label=label)]
    out = [Loaded.read(where, "pkcs12", der, p12, label=label, encrypted=pw is not None,
                       note="PKCS#12 file: key and certificates follow")]
    i = 0
    if p12.key is not None:
        i += 1
        key_der = p12.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        out.append(Loaded.read(f"{where}#{i}", "private-key", key_der, p12.key, note="the private key in a PKCS#12 file"))
    certs = ([p12.cert] if p12.cert is not None else []) + list(p12.additional_certs)
    for j, item in enumerate(certs):
        i += 1
        note = "the certificate of the key in a PKCS#12 file" if j == 0 and p12.cert is not None else "an extra certificate in a PKCS#12 file"
        cert = item.certificate
        out.append(Loaded.read(f"{where}#{i}", "certificate", cert.public_bytes(serialization.Encoding.DER), cert, note=note))
    return out


def _looks_pkcs12(der: bytes) -> bool:
    """PFX ::= SEQUENCE { version INTEGER (v3), authSafe ContentInfo, ... } (RFC 7292 §4)."""
    outer, _ = read_header(der)
    if len(der) < 8 or outer is None or outer.identifier != b"\x30":
        return False
    pos = outer.content_offset
    return der[pos : pos + 3] == b"\x02\x01\x03" and der[pos + 3 : pos + 4] == b"\x30"


def _first_tlv(der: bytes) -> bytes:
    """The first DER element of ``der`` (X.690 §8.1: tag, length, contents); all of it if unreadable."""
    header, _ = read_header(der)
    end = header.end if header is not None else None
    return der[:end] if end is not None and end <= len(der) else der


def _unknown(source: str, der: bytes, error: str, label: str | None = None) -> Loaded:
    return Loaded.failed(source, "unknown", der, error, label=label)


def _reason(exc: BaseException) -> str:
    return first_line(exc, 200)


def _passphrase(passphrase: bytes | str | None) -> bytes | None:
    if passphrase is None:
        return None
    if isinstance(passphrase, str):
        return passphrase.encode("utf-8") if passphrase else None
    return bytes(passphrase) or None


# --------------------------------------------------------------------------
# Out: bytes and files
# --------------------------------------------------------------------------

_ENCODINGS = {"pem": serialization.Encoding.PEM, "der": serialization.Encoding.DER}
_FORMATS = {"traditional": serialization.PrivateFormat.TraditionalOpenSSL, "pkcs8": serialization.PrivateFormat.PKCS8}


def private_key_bytes(
    key: PrivateKeyTypes,
    *,
    passphrase: bytes | str | None = None,
    format: str = "traditional",
    encoding: str = "pem",
) -> bytes:
    """Serialise a private key, encrypted when ``passphrase`` is given.

    ``format="traditional"`` is the tutorial's TraditionalOpenSSL (PKCS#1 for
    RSA, RFC 5915 for EC; encrypted PEM uses RFC 1421 headers); ``"pkcs8"`` is
    PKCS#8 (RFC 5958), encrypted with PBES2 + AES-256-CBC by
    ``BestAvailableEncryption``.  Ed25519, Ed448 and ML-DSA have no
    traditional format: a :class:`SpecError` on ``key_format`` says so.
    """
    if format not in _FORMATS:
        raise SpecError("key_format", "must be 'traditional' or 'pkcs8'", format)
    if encoding not in _ENCODINGS:
        raise SpecError("encoding", "must be 'pem' or 'der'", encoding)
    if format == "traditional" and _no_traditional(key):
        raise SpecError(
            "key_format",
            "this key type has no 'traditional' (pre-PKCS#8) OpenSSL format: those exist only for RSA, "
            "DSA and EC keys; use format='pkcs8' (RFC 8410 §7 / RFC 5958)",
            type(key).__name__,
        )
    pw = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    if pw is not None and not pw:
        raise SpecError("passphrase", "must not be empty; pass None for an unencrypted key", "")
    if pw is not None and encoding == "der" and format == "traditional":
        raise SpecError(
            "encoding",
            "an encrypted traditional key exists only as PEM (the cipher lives in its DEK-Info header); "
            "use encoding='pem' or format='pkcs8'",
            encoding,
        )
    algorithm: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(pw) if pw else serialization.NoEncryption()
    )
    try:
        return bytes(key.private_bytes(_ENCODINGS[encoding], _FORMATS[format], algorithm))
    except AttributeError:
        raise SpecError("key", "is not a private key", type(key).__name__) from None
    except (ValueError, TypeError) as exc:
        raise SpecError("key_format", f"cryptography refused it: {_reason(exc)}", format) from None


def _no_traditional(key: object) -> bool:
    row = algorithm_of(key)
    return row is not None and not row.traditional


def kind_of(obj: object) -> Kind:
    """The kind (``docs/ARCHITECTURE.md``) of a cryptography object, or ``"unknown"``.

    ``"certificate"``, ``"csr"``, ``"crl"``, ``"private-key"`` or ``"public-key"``
    (a public key that can ``verify``: a signature key, as every view expects).
    """
    if isinstance(obj, x509.Certificate):
        return "certificate"
    if isinstance(obj, x509.CertificateSigningRequest):
        return "csr"
    if isinstance(obj, x509.CertificateRevocationList):
        return "crl"
    row = algorithm_of(obj)
    if row is not None and is_private_key(obj):
        return "private-key"
    if row is not None and row.signs:
        return "public-key"
    return "unknown"


def public_der(obj: object, *, reveal: bool = False) -> tuple[Kind, bytes]:
    """(kind shown, DER shown) of an object a view draws: a private key shows its public key unless revealed.

    The one place that decides what of an object may be shown (the views, the
    comparison, the byte map); :class:`~certlab.errors.WrongKind` (a ``TypeError``) for an object of no known kind.
    """
    kind = kind_of(obj)
    if kind == "unknown":
        raise WrongKind("obj", "must be a certificate, CSR, CRL or key certlab can show", type(obj).__name__)
    shown: Any = obj  # kind_of vouches for it: a certificate, CSR, CRL or key
    if kind == "private-key":
        if reveal:
            return kind, shown.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption())
        kind = "public-key"
    return kind, public_bytes(shown, encoding="der")


def public_bytes(obj: Inspectable, *, encoding: str = "pem") -> bytes:
    """PEM or DER of a certificate, CSR, CRL or public key (a private key gives its public key)."""
    if encoding not in _ENCODINGS:
        raise SpecError("encoding", "must be 'pem' or 'der'", encoding)
    enc = _ENCODINGS[encoding]
    if isinstance(obj, (x509.Certificate, x509.CertificateSigningRequest, x509.CertificateRevocationList)):
        return obj.public_bytes(enc)
    if hasattr(obj, "private_bytes") and hasattr(obj, "public_key"):
        obj = obj.public_key()
    if hasattr(obj, "public_bytes"):
        try:
            return bytes(obj.public_bytes(enc, serialization.PublicFormat.SubjectPublicKeyInfo))
        except (TypeError, ValueError):
            pass
    raise SpecError("obj", "must be a certificate, CSR, CRL or key", type(obj).__name__)


def save(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> pathlib.Path:
    """Write ``data`` to ``path`` with mode 0600 and return the path.

    Without ``overwrite`` the file is created with ``O_CREAT | O_EXCL`` and
    mode 0600 in the same call, so it is never world-readable even for an
    instant and an existing file is never touched.  With ``overwrite=True``
    the data goes to a 0600 temporary file in the same folder first, which
    then replaces the target atomically (``os.replace``).
    """
    p = pathlib.Path(path)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise LoadError("data", "must be bytes (use private_key_bytes / public_bytes first)", type(data).__name__)
    if not p.parent.is_dir():
        raise LoadError("path", "its folder does not exist", str(p))
    if p.is_dir():
        raise LoadError("path", "is a folder, not a file", str(p))
    if not overwrite:
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            raise LoadError("path", "already exists; pass overwrite=True to replace it", str(p)) from None
        except PermissionError:
            raise LoadError("path", "cannot be written (permission denied)", str(p)) from None
        _write_all(fd, bytes(data), p, cleanup=p)
        return p
    try:
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")  # mkstemp: mode 0600
    except PermissionError:
        raise LoadError("path", "cannot be written (permission denied)", str(p)) from None
    _write_all(fd, bytes(data), p, cleanup=pathlib.Path(tmp))
    try:
        os.replace(tmp, p)
    except OSError as exc:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise LoadError("path", f"cannot be replaced ({exc.strerror})", str(p)) from None
    return p


def _write_all(fd: int, data: bytes, target: pathlib.Path, *, cleanup: pathlib.Path) -> None:
    try:
        os.fchmod(fd, 0o600)  # exactly 0600 whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        cleanup.unlink(missing_ok=True)
        raise LoadError("path", f"cannot be written ({exc.strerror})", str(target)) from None
    os.close(fd)
