"""Named elliptic curves by their explicit domain parameters, to say which named curve an
explicit ``specifiedCurve`` equals (RFC 5480 §2.1.1; the CurveBall attack, CVE-2020-0601, used
explicit parameters that look like a named curve but for a different base point).

Values: SEC 2 v2 2.4-2.9 and RFC 5639 §3.4; generated with ``openssl ecparam -name NAME
-param_enc explicit`` (OpenSSL 3.0) and checked against it by tests/test_explicit_ec.py.
Rows: (name, OID, p, a, b, base point (uncompressed, hex), order n).
"""

from __future__ import annotations

__all__ = ["NAMED_CURVES", "curve_matching"]

NAMED_CURVES: tuple[tuple[str, str, int, int, int, str, int], ...] = (
    ("secp256r1 (NIST P-256)", "1.2.840.10045.3.1.7",
     0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff,
     0xffffffff00000001000000000000000000000000fffffffffffffffffffffffc,
     0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b,
     "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
     0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551),
    ("secp384r1 (NIST P-384)", "1.3.132.0.34",
     0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff,
     0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc,
     0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef,
     "04aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab73617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f",
     0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973),
    ("secp521r1 (NIST P-521)", "1.3.132.0.35",
     0x1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff,
     0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc,
     0x51953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00,
     "0400c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650",
     0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409),
    ("secp256k1", "1.3.132.0.10",
     0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f,
     0x0,
     0x7,
     "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
     0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141),
    ("secp224r1 (NIST P-224)", "1.3.132.0.33",
     0xffffffffffffffffffffffffffffffff000000000000000000000001,
     0xfffffffffffffffffffffffffffffffefffffffffffffffffffffffe,
     0xb4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4,
     "04b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34",
     0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d),
    ("brainpoolP256r1", "1.3.36.3.3.2.8.1.1.7",
     0xa9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377,
     0x7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9,
     0x26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6,
     "048bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
     0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7),
)


def curve_matching(p: int, a: int, b: int, base: bytes, order: int) -> tuple[str, str, bool] | None:
    """(name, OID, same base point) of the named curve with this prime, a, b and order, or None.

    The base point is reported apart: equal curve but another generator is exactly CurveBall.
    """
    for name, oid, cp, ca, cb, cg, cn in NAMED_CURVES:
        if (p, a, b, order) == (cp, ca, cb, cn):
            if base[:1] in (b"\x02", b"\x03"):  # compressed: x only (SEC 1 2.3.3)
                return name, oid, base[1:].hex() == cg[2:2 + 2 * len(base[1:])]
            return name, oid, base.hex() == cg
    return None
