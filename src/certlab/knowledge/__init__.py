"""certlab's knowledge as data: OID names (:mod:`.oids`) and ASN.1 explanations (:mod:`.asn1`)."""

from __future__ import annotations

from .asn1 import explain
from .oids import OidInfo, oid_info, oid_name

__all__ = ["OidInfo", "oid_info", "oid_name", "explain"]
