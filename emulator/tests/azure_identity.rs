//! The real Rust `azure_identity` crate (`ClientSecretCredential`, its
//! authority host pointed at the emulator over HTTPS, trusting the
//! emulator's CA) obtains an ARM token from the emulator's token
//! endpoint, and ARM accepts that token.

mod common;

use std::sync::Arc;

use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::{ClientOptions, Transport};
use azure_identity::{ClientSecretCredential, ClientSecretCredentialOptions};
use common::*;
use emulator::EmulatorConfig;

/// A `ClientSecretCredential` for the default client with `secret`, its
/// authority host the emulator, its transport trusting the emulator's CA.
fn credential(emu: &emulator::Emulator, secret: &str) -> Arc<ClientSecretCredential> {
    let pem = emu.ca_pem().expect("a CA");
    let http = reqwest013::Client::builder()
        .tls_certs_only([reqwest013::Certificate::from_pem(pem.as_bytes()).expect("PEM")])
        .timeout(TIMEOUT)
        .build()
        .expect("a client");
    let mut custom = CustomConfiguration::default();
    custom.authority_host = emu.base_url().to_owned();
    let client_options = ClientOptions {
        cloud: Some(Arc::new(CloudConfiguration::Custom(custom))),
        transport: Some(Transport::new(Arc::new(http))),
        ..ClientOptions::default()
    };
    ClientSecretCredential::new(
        emu.tenant_id(),
        emulator::config::DEFAULT_CLIENT_ID.to_owned(),
        Secret::new(secret.to_owned()),
        Some(ClientSecretCredentialOptions { client_options }),
    )
    .expect("a credential")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_secret_credential_gets_a_token_the_emulator_accepts() {
    let config = EmulatorConfig {
        tls: true,
        ..EmulatorConfig::default()
    };
    let (emu, c) = start(model(&[]), ctx("West Europe", "North Europe"), config).await;
    let token = credential(&emu, emulator::config::DEFAULT_CLIENT_SECRET)
        .get_token(&["https://management.azure.com/.default"], None)
        .await
        .expect("azure_identity obtains a token from the emulator");
    let secret = token.token.secret().to_owned();
    assert!(!secret.is_empty());
    let arm = Client {
        http: c.http.clone(),
        base: c.base.clone(),
        token: secret,
    };
    let r = arm
        .get(&sub_path(&format!(
            "/resourceGroups/g/providers/Microsoft.Sql/servers/s/databases?api-version={SQL}"
        )))
        .await;
    // Past authentication: the model's own 404 for a server that does not exist.
    assert_eq!(r.status, 404, "{r:?}");
    // A wrong secret is refused by the emulator, as Entra ID would.
    let wrong = credential(&emu, "wrong")
        .get_token(&["https://management.azure.com/.default"], None)
        .await;
    assert!(wrong.is_err());
    emu.shutdown().await;
}
