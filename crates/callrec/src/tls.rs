//! https for `callrec serve`: the certificate it serves, from PEM files an operator gives or from a
//! development certificate authority callrec makes once per store (`--tls dev`).
//!
//! azure-identity accepts only an https authority, and Graph only https webhooks, so a client that
//! talks to callrec as it talks to Microsoft needs https even on a laptop. The development CA and its
//! certificate for `localhost`, `127.0.0.1` and `::1` are made on first use and kept in the store (as
//! server keys, the first writer's kept), so they survive restarts and every node of one store serves
//! the same; `callrec tls ca` prints the CA for clients to trust, as the Cosmos DB emulator exports
//! its certificate. The TLS stack is rustls on ring, the one reqwest already brings.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use callrec_store::Store;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde::{Deserialize, Serialize};

/// Where the served certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsSource {
    /// A certificate chain and its private key, PEM files.
    Files {
        cert: std::path::PathBuf,
        key: std::path::PathBuf,
    },
    /// The store's development CA and its certificate for the loopback names.
    Dev,
}

/// The name the development CA is kept under in the store.
const DEV_AUTHORITY: &str = "tls-dev-authority";
/// The names the development certificate is valid for.
const DEV_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The development CA and the loopback certificate it signed, as PEM.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevAuthority {
    /// The CA's certificate: what clients trust.
    pub ca: String,
    /// The certificate served, for [`DEV_NAMES`].
    pub cert: String,
    /// The served certificate's private key (PKCS#8). The CA's key is not kept: nothing more is signed.
    pub key: String,
}

impl DevAuthority {
    /// The store's development CA, made and kept first if the store has none.
    pub async fn of_store(store: &dyn Store) -> anyhow::Result<Self> {
        let candidate = serde_json::to_vec(&Self::generate()?)?;
        let kept = store
            .server_key(DEV_AUTHORITY, candidate)
            .await
            .context("cannot keep the development certificate authority in the store")?;
        serde_json::from_slice(&kept)
            .context("the stored development certificate authority is damaged")
    }

    /// A new CA (valid ten years) and a certificate it signs for the loopback names.
    fn generate() -> anyhow::Result<Self> {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        let now = time::OffsetDateTime::now_utc();
        let validity = |params: &mut CertificateParams| {
            params.not_before = now - time::Duration::days(1);
            params.not_after = now + time::Duration::days(3650);
        };
        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::new(Vec::<String>::new())?;
        ca.distinguished_name
            .push(DnType::CommonName, "callrec development CA");
        ca.distinguished_name
            .push(DnType::OrganizationName, "callrec");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        validity(&mut ca);
        let ca_cert = ca.self_signed(&ca_key)?;
        let issuer = Issuer::new(ca, ca_key);
        let key = KeyPair::generate()?;
        let mut leaf = CertificateParams::new(DEV_NAMES.map(str::to_owned).to_vec())?;
        leaf.distinguished_name
            .push(DnType::CommonName, "localhost");
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf.use_authority_key_identifier_extension = true;
        validity(&mut leaf);
        let cert = leaf.signed_by(&key, &issuer)?;
        Ok(DevAuthority {
            ca: ca_cert.pem(),
            cert: cert.pem(),
            key: key.serialize_pem(),
        })
    }
}

/// The rustls server settings for `source`: HTTP/1.1 over TLS 1.2 or 1.3.
pub async fn server_config(
    source: &TlsSource,
    store: &dyn Store,
) -> anyhow::Result<Arc<rustls::ServerConfig>> {
    let (chain, key) = match source {
        TlsSource::Files { cert, key } => (read_pem(cert)?, read_pem(key)?),
        TlsSource::Dev => {
            let dev = DevAuthority::of_store(store).await?;
            (format!("{}{}", dev.cert, dev.ca), dev.key)
        }
    };
    let certs = CertificateDer::pem_slice_iter(chain.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .context("the certificate file is not PEM")?;
    anyhow::ensure!(
        !certs.is_empty(),
        "the certificate file holds no certificate (-----BEGIN CERTIFICATE-----)"
    );
    let key = PrivateKeyDer::from_pem_slice(key.as_bytes())
        .context("the key file holds no private key in PEM")?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("the certificate and the key do not make a usable pair")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_pem(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}
