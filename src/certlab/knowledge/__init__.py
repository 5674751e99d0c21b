"""certlab's knowledge as data.

OID names (:mod:`.oids`), ASN.1 explanations (:mod:`.asn1`), field and finding
texts (:mod:`.fields`, :mod:`.findings`), which key fields are secret
(:mod:`.secrets`) and which characters are shown escaped (:mod:`.unicode`).
"""

from __future__ import annotations

from .asn1 import explain
from .oids import OidInfo, oid_info, oid_name

__all__ = ["OidInfo", "oid_info", "oid_name", "explain"]
