"""Self-checks for the notebooks' exercises (notebook 04's break-it sandbox is re-exported).

Every ``check_*`` function returns a :class:`CheckResult` that says what is
right, what is wrong and how to get unstuck: it is never just ``False``. The
expected answers are *computed* (from the bytes, from cryptography's own
verifier, from the shipped certificates), not typed in, so a check can only
agree with the standards it teaches.

``break_it`` and ``BreakResult`` live in :mod:`certlab.sandbox` (the break-it
sandbox core) and are re-exported here, where notebook 04 imports them.
"""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from .der import encode_length, integer_octets, read_length
from .errors import CertlabError
from .knowledge.algorithms import algorithm_named, curve_of
from .progress import exercise  # each check records its outcome, on this machine only
from .sandbox import BreakResult, break_it
from .spec import KEY_ALGORITHMS, SUBJECT_ATTRIBUTES

__all__ = [
    "ACME_PROBLEM_QUIZ",
    "check_key_authorization",
    "check_acme_order",
    "check_acme_problems",
    "CheckResult",
    "BreakResult",
    "FLOW_PUZZLE",
    "check_flow_order",
    "check_key_question",
    "check_key",
    "check_encrypted_key_file",
    "check_csr",
    "check_csr_subject",
    "check_verifiable_self_signed",
    "check_mii_answer",
    "check_length",
    "check_integer_encoding",
    "check_issued",
    "check_chain",
    "check_smallest_root",
    "check_expired",
    "check_retired",
    "check_stale",
    "check_zoo_accepting",
    "break_it",
    "key_anatomy",
]



# ----------------------------------------------------------------- results
@dataclass(frozen=True)
class CheckResult:
    """What a check found: ``right`` and ``wrong`` statements, and ``hints``.

    ``ok`` (and ``bool(result)``) is true when nothing is wrong. Shown in a
    notebook it is a short report; ``str()`` is the same in plain text.
    """

    title: str
    right: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.wrong

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = f"{'✔ Well done' if self.ok else '✘ Not yet'}: {self.title}"
        lines = [head]
        lines += [f"  ✔ {r}" for r in self.right]
        lines += [f"  ✘ {w}" for w in self.wrong]
        if not self.ok:
            lines += [f"  hint: {h}" for h in self.hints]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        cls = "certlab-ok" if self.ok else "certlab-bad"
        items = "".join(f"<li>✔ {escape(r)}</li>" for r in self.right)
        items += "".join(f"<li><b>✘ {escape(w)}</b></li>" for w in self.wrong)
        hints = "" if self.ok else "".join(f"<li><i>Hint:</i> {escape(h)}</li>" for h in self.hints)
        return (f'<div class="certlab-check {cls}"><b>{"✔ Well done" if self.ok else "✘ Not yet"}:'
                f" {escape(self.title)}</b><ul>{items}{hints}</ul></div>")


class _Checker:
    """Collects statements; ``expect`` files one under right or wrong."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.right: list[str] = []
        self.wrong: list[str] = []
        self.hints: list[str] = []

    def expect(self, condition: bool, right: str, wrong: str, hint: str | None = None) -> bool:
        if condition:
            self.right.append(right)
        else:
            self.wrong.append(wrong)
            if hint and hint not in self.hints:
                self.hints.append(hint)
        return condition

    def fail(self, wrong: str, hint: str | None = None) -> CheckResult:
        self.wrong.append(wrong)
        if hint:
            self.hints.append(hint)
        return self.result()

    def result(self) -> CheckResult:
        return CheckResult(self.title, tuple(self.right), tuple(self.wrong), tuple(self.hints))


# ----------------------------------------------------------------- notebook 00
# The six steps, shuffled once (fixed, so that every learner in a class sees the
# same puzzle). Letter -> step number.
FLOW_PUZZLE: dict[str, tuple[int, str]] = {
    "A": (4, "The CA makes sure you control the names you asked for."),
    "B": (1, "You generate a private key (and with it the public key)."),
    "C": (6, "Your server uses the certificate and the private key to serve HTTPS."),
    "D": (3, "You send the CSR to the CA."),
    "E": (5, "The CA signs a certificate for your public key and names and sends it back."),
    "F": (2, "You write a CSR with your names and public key, signed with your private key."),
}


@exercise('00-start-here', 'Put the six steps of getting a certificate in order')
def check_flow_order(answer: str) -> CheckResult:
    """Notebook 00: the letters of :data:`FLOW_PUZZLE` in the order the steps happen."""
    c = _Checker("the six steps in order")
    letters = [ch for ch in str(answer).upper() if ch.isalpha()]
    if sorted(letters) != sorted(FLOW_PUZZLE):
        return c.fail(f"give each of the six letters A-F exactly once, got {answer!r}",
                      "Write them as one string, e.g. 'ABCDEF'.")
    order = [FLOW_PUZZLE[ch][0] for ch in letters]
    for position, step in enumerate(order, start=1):
        # a direction, not the answer: the learner still has to find the place
        when = "later" if step > position else "earlier"
        c.expect(step == position, f"position {position} is right",
                 f"position {position}: {letters[position - 1]} happens {when} in the flow",
                 "Nothing can be signed before the key exists, and the CA can only sign "
                 "what it has received and checked.")
    return c.result()


# What a wrong step number means: the step, what travels there, and the question
# that leads to the answer without giving it away.
_KEY_STEP_MISTAKES: dict[str, str] = {
    "1": "step 1 makes the key pair: the private key is created there, on your machine",
    "2": "step 2 writes the CSR on your machine: the key signs it, but stays where it is",
    "3": "step 3 sends the CSR: which of the two keys is inside it?",
    "4": "step 4 is the CA checking that you control the names: it looks at your site or DNS",
    "5": "step 5 is the CA signing with *its own* key and sending the certificate back",
    "6": "step 6 serves HTTPS: the server proves it holds the key by signing, not by sending it",
}


@exercise('00-start-here', 'Where does the private key go?')
def check_key_question(answer: int | str | None) -> CheckResult:
    """Notebook 00: "At which step does your private key go to someone else?" (never).

    A wrong step number gets the reason that step does not send it; the starter
    ``"?"`` (or anything else) is told the accepted forms, not the answer.
    """
    c = _Checker("where the private key goes")
    text = str(answer).strip().lower().removeprefix("step").strip()
    if text in {"none", "never", "0", "no step", "nowhere"}:
        c.right.append("Right: at no step. The private key never leaves you; the CSR carries "
                       "only the public key, and the CA never needs more.")
        return c.result()
    if text in _KEY_STEP_MISTAKES:
        return c.fail(f"{answer!r}: {_KEY_STEP_MISTAKES[text]}",
                      "Does the CSR contain the private key, or only the public key and a "
                      "signature made with the private key?")
    return c.fail(f"{answer!r} is not an answer yet: give a step number from 1 to 6, or \"never\"",
                  "Look at the picture: which arrows cross from your lane to the CA's, and what do "
                  "they carry?")


# ----------------------------------------------------------------- notebook 01
@exercise('01-keys', 'Generate the key the exercise asks for')
def check_key(key: object, algorithm: str = "ec", curve: str = "P-384", size: int = 2048) -> CheckResult:
    """Notebook 01: is ``key`` a private key of the asked type (curve / size)?"""
    c = _Checker(f"a private {algorithm.upper()} key" + (f" on {curve}" if algorithm == "ec" else ""))
    if algorithm not in KEY_ALGORITHMS:
        raise CertlabError("algorithm", f"must be one of {', '.join(KEY_ALGORITHMS)}", algorithm)
    types = algorithm_named(algorithm).private_types()
    if not c.expect(isinstance(key, types), f"it is a private {algorithm.upper()} key",
                    f"it is a {type(key).__name__}, not a private {algorithm.upper()} key",
                    "Elliptic-curve keys come from ec.generate_private_key(curve): which curve "
                    "object does the exercise name?" if algorithm == "ec"
                    else f"Look for a generate function in the {algorithm} module."):
        return c.result()
    if algorithm == "ec":
        got = curve_of(key.curve.name)  # type: ignore[attr-defined]
        c.expect(got == curve, f"the curve is {curve}", f"the curve is {got}, not {curve}",
                 f"cryptography names the NIST curves by their SEC 2 names: find the class for {curve}.")
    elif algorithm == "rsa":
        bits = key.key_size  # type: ignore[attr-defined]
        c.expect(bits == size, f"the key has {size} bits", f"the key has {bits} bits, not {size}",
                 "The size is the key_size argument.")
        e = key.public_key().public_numbers().e  # type: ignore[attr-defined]
        c.expect(e == 65537, "the public exponent is 65537", f"the public exponent is {e}",
                 "65537 is the exponent everyone uses.")
    return c.result()


@exercise('01-keys', 'Save a private key encrypted with a passphrase')
def check_encrypted_key_file(path: str | os.PathLike[str], passphrase: bytes | str) -> CheckResult:
    """Notebook 01: a key file kept safely: PKCS#8, encrypted, readable with ``passphrase``, 0600."""
    c = _Checker("a private key file kept safely")
    p = Path(path)
    if not p.is_file():
        return c.fail(f"there is no file at {str(p)!r}",
                      "Write the PEM bytes with certlab.save(path, data) or open(path, 'wb').")
    data = p.read_bytes()
    pw = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    mode = stat.S_IMODE(p.stat().st_mode)
    c.expect(mode & 0o077 == 0, f"only you can read it (mode {mode:o})",
             f"others can read it (mode {mode:o}); a private key file should be 0600",
             "certlab.save writes 0600; or os.chmod(path, 0o600).")
    c.expect(b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data,
             "it is PKCS#8 EncryptedPrivateKeyInfo (PBES2, RFC 8018)",
             "it is not 'BEGIN ENCRYPTED PRIVATE KEY' (PKCS#8 with encryption)"
             + (": 'Proc-Type: 4,ENCRYPTED' is the old OpenSSL format with its weak MD5 key "
                "derivation" if b"Proc-Type: 4,ENCRYPTED" in data else ""),
             "Two choices make it: the PrivateFormat member for PKCS#8, and an encryption_algorithm "
             "that takes your passphrase (the cell that writes the tutorial's key shows both kinds).")
    try:
        serialization.load_pem_private_key(data, password=None)
        c.wrong.append("it opens without a passphrase: it is not encrypted at all")
        c.hints.append("encryption_algorithm=serialization.BestAvailableEncryption(b'...')")
    except TypeError:
        c.right.append("it cannot be opened without the passphrase")
    except (ValueError, UnsupportedAlgorithm):
        c.wrong.append("it is not a PEM private key that cryptography can read")
    try:
        serialization.load_pem_private_key(data, password=pw)
        c.right.append("it opens with your passphrase")
    except (ValueError, TypeError, UnsupportedAlgorithm):
        c.wrong.append("it does not open with the passphrase you gave")
        c.hints.append("Check that you used the same passphrase (bytes) to write and to check.")
    return c.result()


def key_anatomy(key: Any, format: str = "traditional") -> Any:  # noqa: A002 - the load.py word
    """The explorer tree of ``key``'s private DER, its secrets hidden.

    ``format`` is ``"traditional"`` (PKCS#1 for RSA, RFC 5915 for EC: the
    tutorial's choice) or ``"pkcs8"`` (RFC 5958).  The explorer itself hides
    every secret value (``explore(..., reveal=False)``, the rows of
    :data:`certlab.knowledge.secrets.SECRETS`): values read "(secret: N
    bytes, hidden)" and the renderers mask their bytes, while the structure,
    the lengths and the public parts (modulus, exponent, curve, public point)
    are real.  What this adds: the key is serialised for you, and a key in
    which nothing secret was recognised is refused rather than shown.
    """
    from .explorer import explore
    from .load import private_key_bytes

    explored = explore(private_key_bytes(key, format=format, encoding="der"), "private-key")
    if not explored.hidden:
        raise CertlabError("key", "no secret fields were recognised in this key, so it is not "
                           "shown (safer than showing a secret)", type(key).__name__)
    return explored


# ----------------------------------------------------------------- notebook 02
def _dns_sans(obj: Any) -> list[str] | None:
    try:
        ext = obj.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return None
    return [str(name) for name in ext.value.get_values_for_type(x509.DNSName)]


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


# form field name -> (OID, how the pyca code spells it), read from the one subject table
_SUBJECT_FIELDS: dict[str, tuple[x509.ObjectIdentifier, str]] = {
    a.field: (a.oid, f"NameOID.{a.oid_constant}") for a in SUBJECT_ATTRIBUTES
}


@exercise('02-csr', 'Give the CSR the subject asked for')
def check_csr_subject(csr: object, **expected: str) -> CheckResult:
    """Notebook 02: does the CSR's subject hold the expected values?

    Keywords are form field names: ``country``, ``state``, ``locality``,
    ``organization``, ``common_name``.
    """
    c = _Checker("the CSR's subject")
    if not isinstance(csr, x509.CertificateSigningRequest):
        return c.fail(f"expected a CSR, got a {type(csr).__name__}",
                      "Build it with x509.CertificateSigningRequestBuilder()...sign(key, hashes.SHA256()).")
    _subject_checks(c, csr.subject, expected)
    return c.result()


def _subject_checks(c: _Checker, subject: x509.Name, expected: dict[str, str]) -> None:
    for key, want in expected.items():
        if key not in _SUBJECT_FIELDS:
            raise CertlabError(key, f"is not a subject field ({', '.join(_SUBJECT_FIELDS)})", want)
        oid, spelled = _SUBJECT_FIELDS[key]
        got = _attr(subject, oid)
        c.expect(got == want, f"{key} is {want!r}",
                 f"{key} is {got!r}, expected {want!r}" if got else f"there is no {key} ({spelled})",
                 f"x509.NameAttribute({spelled}, {want!r})")


@exercise('02-csr', 'Build a CSR for the names asked for')
def check_csr(csr: object, common_name: str, sans: Sequence[str], **subject: str) -> CheckResult:
    """Notebook 02: a CSR for ``common_name`` covering exactly ``sans``, properly signed."""
    c = _Checker(f"a CSR for {common_name}")
    if not isinstance(csr, x509.CertificateSigningRequest):
        return c.fail(f"expected a CSR, got a {type(csr).__name__}",
                      "Build it with x509.CertificateSigningRequestBuilder()...sign(key, hashes.SHA256()).")
    c.expect(csr.is_signature_valid, "its signature verifies with its own public key",
             "its signature does not verify: it was changed after signing",
             "Sign last: .sign(key, hashes.SHA256()) produces the final CSR.")
    _subject_checks(c, csr.subject, {"common_name": common_name, **subject})
    got = _dns_sans(csr)
    if got is None:
        c.wrong.append("it asks for no subjectAltName: browsers do not match the Common Name (RFC 9525 §2)")
        c.hints.append(".add_extension(x509.SubjectAlternativeName([x509.DNSName(...), ...]), critical=False)")
    else:
        c.expect(sorted(got) == sorted(sans), f"it asks for exactly {sorted(sans)}",
                 f"it asks for {sorted(got)}, expected {sorted(sans)}",
                 "One x509.DNSName per name, the Common Name included.")
    algo = csr.signature_hash_algorithm
    c.expect(algo is None or algo.name in {"sha256", "sha384", "sha512"},
             "it is signed with a SHA-2 hash",
             f"it is signed with {algo.name if algo else '?'}: CAs refuse SHA-1 and MD5",
             "hashes.SHA256()")
    return c.result()


# ----------------------------------------------------------------- notebook 03
@exercise('03-self-signed', 'Make a self-signed certificate a verifier accepts')
def check_verifiable_self_signed(cert: object, host: str = "localhost") -> CheckResult:
    """Notebook 03: does cryptography's verifier accept ``cert`` as its own trust anchor?"""
    from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

    c = _Checker(f"a self-signed certificate that a verifier accepts for {host}")
    if not isinstance(cert, x509.Certificate):
        return c.fail(f"expected a certificate, got a {type(cert).__name__}")
    c.expect(cert.issuer == cert.subject, "issuer and subject are the same name",
             "issuer and subject differ, so it is not self-signed",
             "For a self-signed certificate, .issuer_name(subject).")
    exts = {e.oid.dotted_string: e for e in cert.extensions}
    c.expect("2.5.29.35" in exts, "it has an Authority Key Identifier (2.5.29.35)",
             "it has no Authority Key Identifier (2.5.29.35): the verifier requires one",
             "Which extension names the key that signed the certificate? Add it (and its partner "
             "that names the certificate's own key), as the fixed certificate above does.")
    bc = exts.get("2.5.29.19")
    if bc is not None:
        c.expect(not bc.value.ca, "BasicConstraints says it is not a CA (it serves a site)",
                 "BasicConstraints says cA=TRUE: a server's own certificate must not be a CA",
                 "x509.BasicConstraints(ca=False, path_length=None)")
    store = Store([cert])
    try:
        name: Any = x509.DNSName(host)
        verifier = PolicyBuilder().store(store).build_server_verifier(name)
        verifier.verify(cert, [])
        c.right.append(f"cryptography's verifier accepts it for {host!r}")
    except VerificationError as exc:
        c.wrong.append(f"the verifier says: {str(exc).split(' (encountered', 1)[0]}")
    except (ValueError, TypeError) as exc:
        c.wrong.append(f"the verifier could not run: {exc}")
    # the lab shows the same findings: no "Well done" while one of them is still an error
    from .findings import find

    for f in find(cert, cabf=False):
        if f.severity == "error":
            c.wrong.append(f"certlab still finds an error ({f.code}): {f.message.split('. ')[0]}.")
            c.hints.append("Read the findings list of the lab or of certlab.show(cert).")
    return c.result()


# ----------------------------------------------------------------- notebook 04
@exercise('04-der-anatomy', 'Why do PEM certificates start with MII?')
def check_mii_answer(text: str) -> CheckResult:
    """Notebook 04: the first three base64 characters of almost every certificate's PEM."""
    c = _Checker("why PEM certificates start with MII")
    # Compute the answer rather than type it: a SEQUENCE (0x30) with a two-octet
    # long length (0x82) and a length from 256 to 16383 (first length octet
    # 0x01-0x3F): the first three base64 characters are then always the same.
    # (From 16384 bytes on, the third becomes J, K or L.)
    starts = {base64.b64encode(bytes([0x30, 0x82, hi, 0]))[:3].decode() for hi in range(1, 0x40)}
    (expected,) = starts
    got = str(text).strip()
    hint = ("Write 30 82 in bits (00110000 10000010), cut them into groups of six and look "
            "each group up in the base64 alphabet (A=0 ... Z=25, a=26 ... z=51).")
    if got == expected:
        c.right.append(f"{expected}: 0x30 (SEQUENCE) 0x82 (two length octets follow) "
                       "encode to M, I, I in base64")
        return c.result()
    if got.upper() == expected:
        return c.fail(f"{got!r}: the letters are right, but base64 is case-sensitive "
                      "(upper case A-Z are 0-25, lower case a-z are 26-51)", hint)
    if len(got) != 3 or "?" in got:
        return c.fail(f"{got!r}: give the three characters, like 'ABC'", hint)
    # Character by character: which six-bit groups are right already.
    sources = ("the first six bits of 30", "the last two bits of 30 and the first four of 82",
               "the last four bits of 82 and the top two bits of the length")
    for i, (mine, want) in enumerate(zip(got, expected)):
        c.expect(mine == want, f"character {i + 1} is {want}",
                 f"character {i + 1} is not {mine!r}: it is made of {sources[i]}", hint)
    return c.result()


def _hex_bytes(text: str) -> bytes:
    cleaned = "".join(ch for ch in str(text) if ch not in " :\n\t")
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise CertlabError("answer", "must be hexadecimal bytes like '02 01 05'", text) from None


@exercise('04-der-anatomy', 'Read a DER length')
def check_length(length_octets: str, answer: int | str) -> CheckResult:
    """Notebook 04: decode a DER length field (short or long form)."""
    octets = _hex_bytes(length_octets)
    length, error = read_length(octets)
    if length is None:
        why = f": {error.message}" if error is not None and octets else ""
        raise CertlabError("length_octets", f"must be a complete DER length{why}", length_octets)
    used = length.used
    c = _Checker(f"the length {octets[:used].hex(' ')}")
    hint = ("Below 0x80 the byte is the length. From 0x81 up, the low 7 bits count the "
            "octets that hold the length (X.690 §8.1.3.5).")
    if length.value is None:
        # 0x80 is no number: BER's indefinite form, which DER forbids
        indefinite = ("0x80 is the indefinite form: no length at all, the contents run until the "
                      "end-of-contents octets 00 00 (X.690 §8.1.3.6); BER allows it for constructed "
                      "values, DER forbids it (X.690 §10.1)")
        if str(answer).strip().lower() in ("indefinite", "none"):
            c.right.append(indefinite)
            return c.result()
        return c.fail(f"{answer!r} is not it: {indefinite}",
                      "Answer 'indefinite': a DER reader must refuse it.")
    value = length.value
    form = "short form: the byte is the length" if used == 1 else (
        f"long form: 0x{octets[0]:02x} says {used - 1} length octet(s) follow, read them as one "
        "big-endian number")
    if length.warnings:
        form += f"; but {length.warnings[0]}"
    try:
        number = int(str(answer).strip(), 0) if isinstance(answer, str) else int(answer)
    except (TypeError, ValueError):
        return c.fail(f"{answer!r} is not a number", hint)
    if number == value:
        c.right.append(f"{value} bytes ({form})")
        return c.result()
    # Typical misreadings, each with what went wrong (knowledge as data).
    rest = octets[1:used]
    mistakes: dict[int, str] = {
        value + 1 + used: "that counts the tag and length bytes too; the question asks for the value only",
        value + used: "that adds the length bytes; the question asks for the value only",
        octets[0]: f"0x{octets[0]:02x} is the first length byte: above 0x80 it counts length octets",
        octets[0] & 0x7F: f"{octets[0] & 0x7F} is how many length octets follow, not the length",
        int.from_bytes(octets[:used], "big"): "the first byte (0x8n) is not part of the number",
        sum(rest): "the octets form one base-256 number: multiply the first by 256",
        int.from_bytes(rest[::-1], "big"): "DER numbers are big-endian: the first octet is the high one",
    }
    mistakes.pop(value, None)
    c.wrong.append(f"{number} is not it" + (f": {mistakes[number]}" if number in mistakes else ""))
    c.hints.append(hint)
    return c.result()


def _der_integer(n: int) -> bytes:
    # Two's complement, minimal octets (X.690 §8.3.2): a positive number whose
    # top bit is set needs a leading 0x00, else it would read as negative.
    body = integer_octets(n)
    return b"\x02" + encode_length(len(body)) + body


@exercise('04-der-anatomy', 'Encode an INTEGER in DER')
def check_integer_encoding(n: int, answer_hex: str) -> CheckResult:
    """Notebook 04: write the DER of the INTEGER ``n`` (tag, length, value) in hex."""
    expected = _der_integer(n)
    got = _hex_bytes(answer_hex)
    c = _Checker(f"the DER encoding of INTEGER {n}")
    c.expect(got[:1] == b"\x02", "tag 02 (INTEGER)", f"the tag is {got[:1].hex() or 'missing'}, "
             "an INTEGER is 02", "Universal tag 2, primitive: 0x02.")
    c.expect(got[1:2] == expected[1:2], f"length {expected[1]}",
             f"the length {got[1:2].hex() or '(missing)'} does not count the value octets this "
             "number needs",
             "Count the value octets, including a leading 00 if one is needed.")
    c.expect(got[2:] == expected[2:], f"value {expected[2:].hex(' ')}",
             f"the value {got[2:].hex(' ') or '(missing)'} does not read back as {n}",
             "INTEGERs are two's complement: if the top bit of the first octet is 1 the number "
             "reads as negative, so positive numbers like 128 get a leading 00.")
    return c.result()


# ----------------------------------------------------------------- notebook 05
@exercise('05-be-the-ca', 'Issue a certificate for your CSR')
def check_issued(cert: object, csr: x509.CertificateSigningRequest,
                 issuer: x509.Certificate) -> CheckResult:
    """Notebook 05: is ``cert`` what a CA should issue for ``csr``, signed by ``issuer``?"""
    c = _Checker("a certificate issued for your CSR")
    if not isinstance(cert, x509.Certificate):
        return c.fail(f"expected a certificate, got a {type(cert).__name__}",
                      "ca.issue(csr) returns one.")
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    same_key = (cert.public_key().public_bytes(serialization.Encoding.DER, spki)
                == csr.public_key().public_bytes(serialization.Encoding.DER, spki))
    c.expect(same_key, "it certifies the public key from your CSR",
             "its public key is not the one in your CSR",
             "The CA copies the public key from the CSR; it never sees your private key.")
    c.expect(cert.subject == csr.subject, "its subject is the CSR's subject",
             "its subject differs from the CSR's")
    c.expect(_dns_sans(cert) is not None and sorted(_dns_sans(cert) or []) == sorted(_dns_sans(csr) or []),
             "its SANs are the ones you asked for", "its SANs differ from the CSR's")
    c.expect(cert.issuer == issuer.subject, f"its issuer is {issuer.subject.rfc4514_string()}",
             f"its issuer is {cert.issuer.rfc4514_string()}, not the CA's name")
    try:
        cert.verify_directly_issued_by(issuer)
        c.right.append("its signature verifies with the CA's public key")
    except (ValueError, TypeError, InvalidSignature):
        c.wrong.append("its signature does not verify with the CA's public key")
        c.hints.append("Was it signed by this CA's issuing key (the intermediate)?")
    return c.result()


@exercise('05-be-the-ca', 'Build a chain that verifies')
def check_chain(leaf: x509.Certificate, intermediates: Sequence[x509.Certificate],
                root: x509.Certificate, host: str) -> CheckResult:
    """Notebook 05: does the chain verify for ``host`` (cryptography's RFC 5280 verifier)?"""
    from .chain import verify_chain

    c = _Checker(f"a chain that verifies for {host}")
    result = verify_chain(leaf, intermediates=list(intermediates), roots=[root], host=host)
    if result.ok:
        c.right.append(f"the verifier built a path of {len(result.chain)} certificates: "
                       + " → ".join(_attr(x.subject, NameOID.COMMON_NAME) or x.subject.rfc4514_string()
                                    for x in result.chain))
    else:
        for f in result.findings:
            c.wrong.append(f.message)
        c.hints.append("Pass the intermediate(s) in intermediates=[...], the root in root=..., "
                       "and a host name that is among the leaf's SANs.")
    return c.result()


# ----------------------------------------------------------------- notebook 06
@exercise('06-real-certificates', 'Find the smallest shipped root')
def check_smallest_root(name: str) -> CheckResult:
    """Notebook 06: which shipped root certificate has the fewest DER bytes?"""
    from . import samples

    sizes = {s.name: len(samples.load(s.name).public_bytes(serialization.Encoding.DER))
             for s in samples.list("root")}
    best = min(sizes, key=lambda k: sizes[k])
    c = _Checker("the smallest shipped root")
    if name not in sizes:
        return c.fail(f"{name!r} is not one of the shipped roots",
                      "samples.list('root') lists them.")
    c.expect(name == best, f"{name}: {sizes[name]} bytes, the smallest",
             f"{name} has {sizes[name]} bytes; one root is smaller",
             "Compare len(cert.public_bytes(Encoding.DER)); elliptic-curve keys and signatures "
             "are much shorter than RSA ones.")
    return c.result()


@exercise('06-real-certificates', 'Find the expired shipped certificates')
def check_expired(names: Iterable[str], at: datetime | None = None) -> CheckResult:
    """Notebook 06: which shipped certificates have expired (at ``at``, default now)?"""
    from . import samples

    when = at or datetime.now(timezone.utc)
    expired = {s.name for s in samples.list() if samples.load(s.name).not_valid_after_utc < when}
    c = _Checker("the expired shipped certificates")
    if isinstance(names, (str, bytes)):
        # One name instead of a list: iterating it would check single letters.
        return c.fail(f"{names!r} is one string; give a list of names, like ['a', 'b']",
                      "Put the names in square brackets: my_expired = ['ssleay-v1-test', ...]")
    given = set(names)
    unknown = given - {s.name for s in samples.list()}
    if unknown:
        return c.fail(f"not shipped names: {sorted(unknown)}", "samples.list() lists them.")
    c.expect(not (expired - given), "you found every expired one",
             f"{len(expired - given)} expired certificate(s) missing from your answer",
             "Compare cert.not_valid_after_utc with datetime.now(timezone.utc).")
    c.expect(not (given - expired), "none of yours is still valid",
             f"still valid, not expired: {sorted(given - expired)}")
    return c.result()


# ----------------------------------------------------------------- notebook 08
@exercise('08-when-certificates-fail', 'Replace and revoke a certificate for the right reason')
def check_retired(ca: Any, cert: x509.Certificate) -> CheckResult:
    """Notebook 08: ``cert`` was replaced by a new one; is it revoked for the right reason, live?

    The answer is computed from what the CA's own CRL and OCSP responder say now
    (fetched over HTTP by :func:`certlab.revocation.check`).
    """
    from .knowledge.revocation import REASONS
    from .revocation import check

    c = _Checker("a replaced certificate, revoked for the right reason")
    if not isinstance(cert, x509.Certificate):
        return c.fail(f"expected a certificate, got {type(cert).__name__}")
    report = check([cert, *ca.chain])
    mine = [o for o in report.outcomes if o.serial == cert.serial_number and o.method in ("crl", "ocsp")]
    if not mine or all(o.status == "not-offered" for o in mine):
        return c.fail("the certificate names no CRL or OCSP responder",
                      "Issue it after ca.serve_revocation(), so it carries CRL Distribution Points and AIA.")
    want = REASONS["superseded"].wire
    for o in mine:
        what = o.method.upper()
        c.expect(o.status == "revoked" and want in o.message, f"{what}: revoked, reason {want}",
                 f"{what} says {o.status}" + (f", but for another reason: {o.message}" if o.status == "revoked" else ", not revoked"),
                 "ca.revoke(cert, reason) records the revocation; the CRL and OCSP follow at once." if o.status != "revoked"
                 else "The key did not leak and nothing about you changed: the certificate was replaced by a newer "
                      "one. RFC 5280 §5.3.1 has a reason for exactly that.")
    return c.result()


@exercise('08-when-certificates-fail', 'Make a client refuse a stale answer')
def check_stale(report: Any) -> CheckResult:
    """Notebook 08: does this revocation report show a client refusing a stale (expired) CRL or OCSP answer?"""
    c = _Checker("a client that refuses a stale answer")
    outcomes = getattr(report, "outcomes", None)
    if outcomes is None:
        return c.fail("expected the result of revocation.check(...)", "Keep what revocation.check returns.")
    stale = [o for o in outcomes if any(name == "fresh" and not ok for name, ok, _ in o.checks)]
    if c.expect(bool(stale), f"{len(stale)} answer(s) refused as stale: " + "; ".join(o.message for o in stale[:2]),
                "every fetched answer was still fresh at the time you checked",
                "A CRL is valid until its nextUpdate (one day here). Check as a client whose clock is later: "
                "revocation.check(chain, now=...)."):
        c.expect(report.status != "good", f"the overall status is {report.status!r}, not 'good'",
                 "the overall status is still 'good'")
    return c.result()


@exercise('08-when-certificates-fail', 'Which clients accept this zoo server?')
def check_zoo_accepting(report: Any, clients: Iterable[str]) -> CheckResult:
    """Notebook 08: which clients accept this zoo server? ``clients`` names them (prefixes as in the report)."""
    c = _Checker(f"the clients that accept {getattr(report, 'name', '?')}")
    verdicts = getattr(report, "verdicts", None)
    if verdicts is None:
        return c.fail("expected a zoo report (zoo.report(name))")
    if isinstance(clients, str):
        clients = [clients]
    picked = {str(x).strip().lower() for x in clients}
    base = [v for v in verdicts if v.client in ("Python ssl", "openssl s_client") or v.client.startswith("cryptography")]
    for v in base:
        said = any(v.client.lower().startswith(p) for p in picked if p)
        c.expect(said == v.accepted, f"{v.client}: {'accepts' if v.accepted else 'refuses'} ({v.said})",
                 f"{v.client} {'accepts' if v.accepted else 'refuses'} this server, you said it "
                 f"{'does' if said else 'does not'}",
                 "Run zoo.report(name) and read each client's verdict.")
    return c.result()


# ----------------------------------------------------------------- notebook 07 (ACME)


@exercise('07-acme', 'Compute an http-01 key authorization')
def check_key_authorization(answer: str, token: str, account_key: Any) -> CheckResult:
    """Notebook 07: is ``answer`` token + "." + the RFC 7638 thumbprint of ``account_key``?"""
    from .acme import key_authorization

    c = _Checker("the key authorization of an http-01 challenge (RFC 8555 §8.1)")
    if not isinstance(answer, str) or not answer:
        return c.fail("the answer is empty", "token + '.' + base64url(SHA-256 of the canonical public JWK).")
    expected = key_authorization(token, account_key)
    head, dot, tail = answer.partition(".")
    c.expect(head == token, "it starts with the challenge's token", "it does not start with the token",
             "The first part is the token exactly as the CA sent it.")
    c.expect(bool(dot), "a '.' separates token and thumbprint", "there is no '.' after the token")
    right_tail = expected.partition(".")[2]
    if tail != right_tail:
        hint = ("No '=' padding: base64url without padding (RFC 7515 §2)." if tail.rstrip("=") == right_tail
                else "JSON of crv, kty, x, y in that order, no spaces, then SHA-256, then base64url.")
        c.wrong.append("the thumbprint is not the account key's RFC 7638 thumbprint")
        c.hints.append(hint)
    else:
        c.right.append("the thumbprint is your account key's (RFC 7638 §3)")
    return c.result()


@exercise('07-acme', 'Answer an ACME challenge with your own handler')
def check_acme_order(pebble: Any, name: str, handler: Any) -> CheckResult:
    """Notebook 07: run an order for ``name`` whose http-01 challenge ``handler(path)`` answers.

    The handler is given the session it answers for as ``handler.session``
    (so it can read ``handler.session.thumbprint``).
    """
    from .acme import AcmeProblem, AcmeSession, csr_for
    from .build import generate_key
    from .spec import KeySpec

    c = _Checker(f"an order for {name}, answered by your handler")
    if not callable(handler):
        return c.fail("the handler must be a function of one argument, the path")
    session = AcmeSession(pebble)
    try:
        handler.session = session
    except AttributeError:
        pass
    csr = csr_for([name], generate_key(KeySpec("ec", curve="P-256")))
    previous = pebble.http01.handler
    pebble.http01.handler = handler
    try:
        session.new_order(csr)
        for challenge in session.challenges("http-01"):
            session.ready(challenge)
        session.wait()
        issued = session.finalize()
    except AcmeProblem as problem:
        c.wrong.append(f"the CA refused: {problem.type}: {problem.detail}")
        c.hints.append("Return token + '.' + handler.session.thumbprint; the token ends the path.")
        return c.result()
    finally:
        pebble.http01.handler = previous
    fetched = [f for f in pebble.http01.fetches if f.host.split(":")[0] == name]
    c.expect(bool(fetched), f"the CA fetched http://{name}{fetched[0].path if fetched else ''}",
             "the CA never reached your handler")
    c.expect(name in [str(n.value) for n in issued.certificate.extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value], f"pebble issued a certificate for {name}", "the name is missing")
    return c.result()


# situation -> the RFC 8555 §6.7 type (the notebook's exercise 3)
ACME_PROBLEM_QUIZ: dict[str, str] = {
    "the CA's DNS query for the TXT record failed": "dns",
    "a CAA record forbids this CA": "caa",
    "finalize was sent before the challenges were valid": "orderNotReady",
    "the nonce in the JWS was already used": "badNonce",
}


@exercise('07-acme', 'Match each ACME refusal to its problem type')
def check_acme_problems(answers: dict[str, str]) -> CheckResult:
    """Notebook 07: the problem type RFC 8555 §6.7 gives each situation."""
    from .knowledge.acme import PROBLEM_PREFIX, PROBLEMS

    c = _Checker("ACME problem types (RFC 8555 §6.7)")
    if not isinstance(answers, dict):
        return c.fail("answers must be the dictionary of the cell")
    for situation, right in ACME_PROBLEM_QUIZ.items():
        said = str(answers.get(situation, "")).strip().removeprefix(PROBLEM_PREFIX)
        if said == right:
            c.right.append(f"{situation}: {right}")
        elif not said:
            c.wrong.append(f"{situation}: no answer yet")
        else:
            known = said in PROBLEMS
            c.wrong.append(f"{situation}: not {said}" + ("" if known else " (no such type in §6.7)"))
            hint = "certlab.knowledge.acme.PROBLEMS lists each type with what it means."
            if hint not in c.hints:
                c.hints.append(hint)
    return c.result()
