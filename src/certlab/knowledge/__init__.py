"""certlab's knowledge as data.

OID names (:mod:`.oids`), ASN.1 explanations (:mod:`.asn1`: the one explanation of
each node, which the tree and the field list both show), field and finding
texts (:mod:`.fields`, :mod:`.findings`), which key fields are secret
(:mod:`.secrets`) and which characters are shown escaped (:mod:`.unicode`).
"""

from __future__ import annotations

from .asn1 import explain, explain_by_oid, explain_path
from .oids import OidInfo, oid_info, oid_name

__all__ = ["OidInfo", "oid_info", "oid_name", "explain", "explain_path", "explain_by_oid"]
