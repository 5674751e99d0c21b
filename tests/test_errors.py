"""Wrong-kind errors are one kind: ``WrongKind``, a CertlabError naming the field, the rule and the
value (the type's name), and a TypeError (what Python raises for a wrong type, so code that caught
TypeError before still does) and a SpecError (what the builders raised, so forms still show it)."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import pytest

from certlab.build import TeachingCA, build_csr, build_self_signed, generate_key
from certlab.ct import precert_tbs
from certlab.diff import diff
from certlab.errors import CertlabError, SpecError, WrongKind
from certlab.fields import describe
from certlab.load import public_der
from certlab.signatures import verify_signature
from certlab.spec import CertificateSpec, CsrSpec, KeySpec

_KEY = generate_key(KeySpec("ec"))
_CERT = build_self_signed(CertificateSpec(), _KEY)  # type: ignore[arg-type]

# entry point, the field it must name, the value it must quote
CASES: list[tuple[str, Callable[[], Any], str, str]] = [
    ("describe", lambda: describe(object()), "obj", "object"),  # type: ignore[arg-type]
    ("public_der", lambda: public_der(object()), "obj", "object"),
    ("diff", lambda: diff(object(), object()), "obj", "object"),  # type: ignore[arg-type]
    ("verify_signature", lambda: verify_signature(_CERT, object()), "public_key", "object"),
    ("build_csr", lambda: build_csr(CsrSpec(), "not a key"), "key", "str"),  # type: ignore[arg-type]
    ("build_self_signed", lambda: build_self_signed(CertificateSpec(), _KEY.public_key()), "key",  # type: ignore[union-attr, arg-type]
     type(_KEY.public_key()).__name__),
    ("TeachingCA.issue", lambda: TeachingCA.create().issue("not a csr"), "csr", "str"),  # type: ignore[arg-type]
    ("ct.precert_tbs", lambda: precert_tbs(1234), "cert", "int"),
]


@pytest.mark.parametrize(("name", "call", "field", "value"), CASES, ids=[c[0] for c in CASES])
def test_a_wrong_kind_is_one_error_that_names_field_rule_and_value(name: str, call: Callable[[], Any],
                                                                   field: str, value: str) -> None:
    with pytest.raises(WrongKind) as info:
        call()
    err = info.value
    assert isinstance(err, TypeError) and isinstance(err, CertlabError) and isinstance(err, SpecError)
    assert (err.field, err.value) == (field, value) and err.rule.startswith(("must", "is not", "describe()"))
    assert str(err) == f"{field}: {err.rule}, got {value!r}"


def test_old_callers_still_catch_it() -> None:
    with pytest.raises(TypeError):
        public_der(object())
    with pytest.raises(ValueError):  # CertlabError is a ValueError
        diff(object(), object())  # type: ignore[arg-type]


def test_it_survives_pickling() -> None:
    err = WrongKind("key", "must be a private key", "RSAPublicKey")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is WrongKind and (again.field, again.rule, again.value) == (err.field, err.rule, err.value)

