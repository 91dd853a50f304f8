"""Certificates made at run time for the https fakes: a self-signed certificate authority and a server certificate
it signs for 127.0.0.1 (and ``localhost``), EC P-256 keys (fast to make), written as PEM files into a folder.

Clients trust the authority through ``SSL_CERT_FILE`` (OpenSSL's default place, which lockgate's HTTP helper
uses, as urllib did); servers load ``server_context(certificates)``. Made with ``cryptography``, which lockgate
installs through PyGithub (PyJWT's crypto extra).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path
from typing import NamedTuple


class Certificates(NamedTuple):
    authority: Path  # the CA certificate: what a client trusts
    certificate: Path  # the server's certificate (then the CA's: the chain)
    key: Path  # the server's private key


def make_certificates(directory: Path, *, names: tuple[str, ...] = ("localhost",),
                      addresses: tuple[str, ...] = ("127.0.0.1",)) -> Certificates:
    """A CA and a server certificate valid for ``names`` (DNS) and ``addresses`` (IP), for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lockgate test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    alternatives: list[x509.GeneralName] = [x509.DNSName(name) for name in names]
    alternatives += [x509.IPAddress(ipaddress.ip_address(address)) for address in addresses]
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, (names or addresses)[0])]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    pem = serialization.Encoding.PEM
    authority = directory / "ca.pem"
    authority.write_bytes(ca.public_bytes(pem))
    certificate = directory / "server.pem"
    certificate.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    private = directory / "server-key.pem"
    private.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return Certificates(authority, certificate, private)


def server_context(certificates: Certificates) -> ssl.SSLContext:
    """A server's TLS settings with that certificate (TLS 1.2 and 1.3, as real registries serve)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates.certificate, certificates.key)
    return context
