"""Every failure of cryptography's verifier explained on the node it concerns (issue 11, item 8).

The oracle is cryptography's own verifier: the PKITS certificates of
``cryptography-vectors`` give its failures (verified as the web profile does,
and with the end-entity extension policy opened so the deeper reasons show),
and chains built here to fail one way each give the rest.  For every message:
a specific explanation (never the fallback ``chain-error``), a path that names
a node in the tree of the certificate concerned, and the verifier's own words.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
import time
import warnings
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import ExtensionPolicy, PolicyBuilder, Store, VerificationError

from certlab import cli
from certlab.chain import _explain, verify_chain
from certlab.errors import CertlabError
from certlab.explorer import explore
from tests._certs import NOW, ec_key, make_cert, rsa_key

_PKITS = pathlib.Path(__import__("cryptography_vectors").__file__).parent / "x509" / "PKITS_data" / "certs"
_PKITS_TIME = dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc)  # inside every PKITS validity period but the broken ones


def _pkits() -> tuple[x509.Certificate, list[x509.Certificate], dict[str, x509.Certificate]]:
    certs: dict[str, x509.Certificate] = {}
    for path in sorted(_PKITS.glob("*.crt")):
        try:
            with warnings.catch_warnings():  # PKITS test 15 has a negative serial, on purpose
                warnings.simplefilter("ignore")
                certs[path.name] = x509.load_der_x509_certificate(path.read_bytes())
        except ValueError:
            continue  # two DSA certificates whose parameters are inherited: cryptography refuses them
    root = certs.pop("TrustAnchorRootCertificate.crt")
    cas = [c for name, c in certs.items() if "EE" not in name]
    return root, cas, {name: c for name, c in certs.items() if "EE" in name}


def _assert_explained(message: str, leaf: x509.Certificate, cas: list[x509.Certificate],
                      roots: list[x509.Certificate], at: dt.datetime) -> str:
    found, concerns = _explain(message, leaf, cas, roots, at)
    assert found.code != "chain-error", message
    assert "Verifier said: " in found.message and found.path
    tree = explore(concerns.public_bytes(serialization.Encoding.DER), "certificate")
    assert tree.find(found.path) is not None, (message, found.path)
    return found.code


def _normalised(message: str) -> str:
    return re.sub(r"\(encountered processing .*", "", re.sub(r"AlgorithmIdentifier \{.*", "", message))


@pytest.mark.parametrize("policy", ["webpki", "ee-open"])
def test_every_pkits_failure_gets_a_specific_explanation(policy: str) -> None:
    root, cas, leaves = _pkits()
    builder = PolicyBuilder().store(Store([root])).time(_PKITS_TIME)
    if policy == "ee-open":
        builder = builder.extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(),
                                             ee_policy=ExtensionPolicy.permit_all())
    verifier = builder.build_client_verifier()
    messages: dict[str, str] = {}
    codes: set[str] = set()
    for name, leaf in leaves.items():
        try:
            verifier.verify(leaf, cas)
        except VerificationError as exc:
            messages.setdefault(_normalised(str(exc)), name)
            codes.add(_assert_explained(str(exc), leaf, cas, [root], _PKITS_TIME))
    # the distinct reasons the verifier gives on PKITS (10 and 20 with cryptography 46)
    assert len(messages) >= (8 if policy == "webpki" else 16), sorted(messages)
    assert len(codes) >= (8 if policy == "webpki" else 15)


def test_pkits_failures_are_pinned_to_the_certificate_and_node_they_concern() -> None:
    root, cas, leaves = _pkits()
    verifier = (PolicyBuilder().store(Store([root])).time(_PKITS_TIME)
                .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(),
                                    ee_policy=ExtensionPolicy.permit_all()).build_client_verifier())

    def explained(name: str) -> tuple[Any, x509.Certificate]:
        with pytest.raises(VerificationError) as info:
            verifier.verify(leaves[name], cas)
        return _explain(str(info.value), leaves[name], cas, [root], _PKITS_TIME)

    def index_of(cert: x509.Certificate, ext_type: type) -> int:
        return [e.oid for e in cert.extensions].index(cert.extensions.get_extension_for_class(ext_type).oid)

    found, concerns = explained("InvalidpathLenConstraintTest10EE.crt")
    assert found.code == "chain-path-length"
    assert concerns.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length is not None
    assert found.path == f"certificate.tbsCertificate.extensions.{index_of(concerns, x509.BasicConstraints)}"
    found, concerns = explained("InvalidEEnotAfterDateTest6EE.crt")
    assert found.code == "chain-expired" and concerns == leaves["InvalidEEnotAfterDateTest6EE.crt"]
    assert found.path == "certificate.tbsCertificate.validity.notAfter"
    found, concerns = explained("InvalidCAnotAfterDateTest5EE.crt")
    assert found.code == "chain-expired" and concerns.not_valid_after_utc < _PKITS_TIME
    assert concerns.subject.rfc4514_string().startswith("CN=Bad notAfter Date CA")
    found, concerns = explained("InvalidCAnotBeforeDateTest1EE.crt")
    assert found.code == "chain-expired" and concerns.not_valid_before_utc > _PKITS_TIME
    assert found.path == "certificate.tbsCertificate.validity.notBefore"
    found, concerns = explained("InvalidinhibitAnyPolicyTest1EE.crt")
    assert found.code == "chain-unknown-critical" and "inhibitAnyPolicy (2.5.29.54)" in found.message
    assert found.path.endswith(f".extensions.{[e.oid.dotted_string for e in concerns.extensions].index('2.5.29.54')}")
    found, concerns = explained("InvalidDNnameConstraintsTest10EE.crt")
    assert found.code == "chain-name-constraint-dn"
    assert found.path.endswith(f".extensions.{index_of(concerns, x509.NameConstraints)}")
    found, concerns = explained("InvalidkeyUsageCriticalkeyCertSignFalseTest1EE.crt")
    assert found.code == "chain-no-keycertsign"
    assert not concerns.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    found, concerns = explained("InvalidMissingbasicConstraintsTest1EE.crt")
    assert found.code == "chain-missing-basic-constraints"
    assert concerns.subject.rfc4514_string().startswith("CN=Missing basicConstraints CA")
    found, concerns = explained("InvalidCASignatureTest2EE.crt")
    assert found.code == "chain-bad-signature" and found.path == "certificate.signature"
    assert concerns.subject.rfc4514_string().startswith("CN=Bad Signed CA")
    with pytest.raises(Exception):  # the oracle: cryptography agrees its signature is broken
        concerns.verify_directly_issued_by(root)


# --------------------------------------------------------------------------- chains built to fail


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ids(key: Any, issuer_key: Any, aki_critical: bool = False) -> list[tuple[Any, bool]]:
    return [(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False),
            (x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), aki_critical)]


_CA_KU = (x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
_EKU = (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)


def _ca(cn: str, key: Any, issuer_key: Any, issuer: str, extra: list[Any] = (), path_length: int | None = None,  # type: ignore[assignment]
        ku: Any = _CA_KU) -> x509.Certificate:
    return make_cert(subject=_name(cn), key=key, issuer_key=issuer_key, issuer=_name(issuer), ca=None, sans=[],
                     days=3650, extra=[(x509.BasicConstraints(ca=True, path_length=path_length), True),
                                       *_ids(key, issuer_key), *([ku] if ku else []), *extra])


@pytest.fixture(scope="module")
def pki() -> dict[str, Any]:
    rk, ik, lk = ec_key(11), ec_key(12), ec_key(13)
    root = _ca("Root", rk, rk, "Root")
    inter = _ca("Inter", ik, rk, "Root")

    def leaf(extra: list[Any] = [_EKU], key: Any = lk, issuer_key: Any = ik, **kw: Any) -> x509.Certificate:  # noqa: B006
        return make_cert(key=key, issuer_key=issuer_key, issuer=_name("Inter"),
                         extra=[*_ids(key, issuer_key), *extra], **kw)

    return {"root": root, "inter": inter, "leaf": leaf, "rk": rk, "ik": ik, "lk": lk}


def _check(result: Any, code: str, concerns: x509.Certificate, path_end: str, oid: str | None = None) -> None:
    (found,) = result.findings
    assert not result.ok and found.code == code, found.message
    assert result.concerns == concerns
    assert found.path.endswith(path_end), found.path
    tree = explore(concerns.public_bytes(serialization.Encoding.DER), "certificate")
    node = tree.find(found.path)
    assert node is not None
    if oid is not None:  # pinned to the very extension the failure is about
        extn_id = tree.find(f"{found.path}.extnID")
        assert extn_id is not None and extn_id.value and f"({oid})" in extn_id.value


def test_each_way_of_failing_is_explained_on_its_node(pki: dict[str, Any]) -> None:
    root, inter, leaf, rk, ik = pki["root"], pki["inter"], pki["leaf"], pki["rk"], pki["ik"]
    host = "www.example.com"

    def verify(cert: x509.Certificate, inters: list[x509.Certificate] | None = None,
               roots: list[x509.Certificate] | None = None, **kw: Any) -> Any:
        return verify_chain(cert, intermediates=[inter] if inters is None else inters,
                            roots=[root] if roots is None else roots, at=NOW, **kw)

    good = leaf()
    assert verify(good, host=host).ok
    r = verify(leaf([(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)]), host=host)
    _check(r, "chain-key-usage", r.concerns, "extensions.4", "2.5.29.37")
    assert r.concerns.extensions[4].oid.dotted_string == "2.5.29.37"
    no_ksign = _ca("Inter", ik, rk, "Root", ku=(x509.KeyUsage(True, False, False, False, False, False, False,
                                                             False, False), True))
    _check(verify(good, [no_ksign], host=host), "chain-no-keycertsign", no_ksign, "extensions.3", "2.5.29.15")
    limited = _ca("Inter", ik, rk, "Root", extra=[(x509.NameConstraints([x509.DNSName("other.org")], None), True)])
    _check(verify(good, [limited], host=host), "chain-name-not-permitted", good, "extensions.0", "2.5.29.17")
    excluded = _ca("Inter", ik, rk, "Root", extra=[(x509.NameConstraints(None, [x509.DNSName("example.com")]), True)])
    _check(verify(good, [excluded], host=host), "chain-name-excluded", good, "extensions.0", "2.5.29.17")
    short_root = _ca("Root", rk, rk, "Root", path_length=0)
    _check(verify(good, roots=[short_root], host=host), "chain-path-length", short_root, "extensions.0", "2.5.29.19")
    r = verify_chain(good, intermediates=[inter], roots=[root], host=host, at=NOW + dt.timedelta(days=400))
    _check(r, "chain-expired", good, "validity.notAfter")
    r = verify_chain(good, intermediates=[inter], roots=[root], host=host, at=NOW - dt.timedelta(days=10))
    _check(r, "chain-expired", good, "validity.notBefore")
    critical_aki = make_cert(
        key=pki["lk"], issuer_key=ik, issuer=_name("Inter"), extra=[*_ids(pki["lk"], ik, aki_critical=True), _EKU])
    _check(verify(critical_aki, host=host), "chain-criticality", critical_aki, "extensions.3", "2.5.29.35")
    as_ca = leaf(ca=True)
    _check(verify(as_ca, host=host), "chain-ca-as-leaf", as_ca, "extensions.1", "2.5.29.19")
    _check(verify(good, [], host=host), "chain-no-path", good, "tbsCertificate.issuer")
    _check(verify(good, host="other.example.com"), "chain-name-mismatch", good, "extensions.0", "2.5.29.17")
    _check(verify(good, host="exa mple"), "chain-bad-host", good, "certificate")
    weak_key = rsa_key(1024)
    weak = _ca("Inter", weak_key, rk, "Root")
    signed_by_weak = leaf(issuer_key=weak_key)
    _check(verify(signed_by_weak, [weak], host=host), "chain-weak-key", weak, "subjectPublicKeyInfo")


def test_max_depth_is_passed_to_the_verifier(pki: dict[str, Any], tmp_path: pathlib.Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root, inter, good = pki["root"], pki["inter"], pki["leaf"]()
    host = "www.example.com"
    assert verify_chain(good, intermediates=[inter], roots=[root], at=NOW, host=host, max_depth=1).ok
    r = verify_chain(good, intermediates=[inter], roots=[root], at=NOW, host=host, max_depth=0)
    _check(r, "chain-too-deep", good, "tbsCertificate.issuer")
    assert r.to_json()["max_depth"] == 0
    for bad in (-1, 256, 1.5, True, "2"):
        with pytest.raises(CertlabError) as info:
            verify_chain(good, roots=[root], max_depth=bad)  # type: ignore[arg-type]
        assert info.value.field == "max_depth"
    # --chain checks at the current time: a chain valid now
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    rk, ik, lk = pki["rk"], pki["ik"], pki["lk"]
    ca_exts = [(x509.BasicConstraints(ca=True, path_length=None), True), _CA_KU]
    certs = (make_cert(key=lk, issuer_key=ik, issuer=_name("Inter"), not_before=now, extra=[*_ids(lk, ik), _EKU]),
             make_cert(subject=_name("Inter"), key=ik, issuer_key=rk, issuer=_name("Root"), ca=None, sans=[],
                       not_before=now, extra=[*ca_exts, *_ids(ik, rk)]),
             make_cert(subject=_name("Root"), key=rk, ca=None, sans=[], not_before=now, extra=[*ca_exts, *_ids(rk, rk)]))
    files = []
    for i, cert in enumerate(certs):
        files.append(tmp_path / f"{i}.pem")
        files[-1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    base = ["inspect", "--chain", "--json", "--host", host]
    assert cli.main([*base, "--max-depth", "1", *map(str, files)]) == 0
    assert json.loads(capsys.readouterr().out)["ok"]
    assert cli.main([*base, "--max-depth", "0", *map(str, files)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["max_depth"] == 0 and report["findings"][0]["code"] == "chain-too-deep"
    with pytest.raises(SystemExit) as stop:
        cli.main(["inspect", "--chain", "--max-depth", "-3", str(files[0])])
    assert stop.value.code == 2


def test_verifier_messages_are_read_in_linear_time(pki: dict[str, Any]) -> None:
    # a subject of 40,000 digits and dots: the old pattern (?P<oid>[0-9.]+)\D.*missing...
    # backtracked quadratically over it (28-30 s on a name-constraints DoS chain)
    subject = "1.2.3." * 40_000
    message = (f"validation failed: candidates exhausted: something new {subject} "
               f"(encountered processing <Certificate(subject=<Name({subject})>, ...)>)")
    good = pki["leaf"]()
    start = time.perf_counter()
    found, _ = _explain(message, good, [pki["inter"]], [pki["root"]], NOW)
    assert time.perf_counter() - start < 0.5
    assert found.code == "chain-error" and len(found.message) < 2000  # unknown: said so, quoted briefly
    # a denial-of-service-shaped chain: 1,100 SANs against 1,100 permitted subtrees
    ik, rk = pki["ik"], pki["rk"]
    many = _ca("Inter", ik, rk, "Root",
               extra=[(x509.NameConstraints([x509.DNSName(f"n{i}.org") for i in range(1100)], None), True)])
    leaf = pki["leaf"](sans=["www.example.com", *(f"s{i}.example.com" for i in range(1100))])
    start = time.perf_counter()
    r = verify_chain(leaf, intermediates=[many], roots=[pki["root"]], host="www.example.com", at=NOW)
    assert time.perf_counter() - start < 5
    assert not r.ok and r.findings[0].code in ("chain-name-not-permitted", "chain-name-constraint-limit")
