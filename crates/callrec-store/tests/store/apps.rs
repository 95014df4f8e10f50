//! The conformance cases of [`callrec_store::AppStore`]: app registrations per tenant and the server keys
//! the first writer keeps. Each case runs on every backend.

use callrec_store::apps::AppRegistration;

use crate::backend::Backend;

const A: &str = "tenant-a";
const B: &str = "tenant-b";

fn app(tenant: &str, client_id: &str, created_at: i64) -> AppRegistration {
    AppRegistration {
        tenant: tenant.to_owned(),
        client_id: client_id.to_owned(),
        name: format!("app {client_id}"),
        roles: vec![
            "CallRecords.Read.All".into(),
            "CallRecords.ReadWrite.All".into(),
        ],
        secret_hash: Some(format!("sha256$salt${client_id}")),
        certificates: vec!["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".into()],
        created_at,
    }
}

pub async fn apps_per_tenant(backend: &dyn Backend) {
    let store = backend.open().await;
    let first = app(A, "c1", 10);
    assert!(store.add_app(&first).await.unwrap());
    let mut taken = app(A, "c1", 11);
    taken.name = "another".into();
    assert!(
        !store.add_app(&taken).await.unwrap(),
        "a client id is taken once per tenant"
    );
    let mut certificate_only = app(A, "c2", 20);
    certificate_only.secret_hash = None;
    certificate_only.roles.clear();
    assert!(store.add_app(&certificate_only).await.unwrap());
    // The same client id in another tenant is another app.
    assert!(store.add_app(&app(B, "c1", 5)).await.unwrap());

    assert_eq!(store.app(A, "c1").await.unwrap(), Some(first.clone()));
    assert_eq!(
        store.app(A, "c2").await.unwrap(),
        Some(certificate_only.clone())
    );
    assert_eq!(
        store.app(B, "c2").await.unwrap(),
        None,
        "tenant B sees none of A's apps"
    );
    assert_eq!(
        store.apps(Some(A)).await.unwrap(),
        vec![first.clone(), certificate_only.clone()]
    );
    let every: Vec<_> = store
        .apps(None)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.tenant, a.client_id))
        .collect();
    assert_eq!(
        every,
        [(A, "c1"), (A, "c2"), (B, "c1")].map(|(t, c)| (t.to_owned(), c.to_owned()))
    );

    assert!(store.remove_app(A, "c1").await.unwrap());
    assert!(!store.remove_app(A, "c1").await.unwrap());
    assert_eq!(store.app(A, "c1").await.unwrap(), None);
    assert!(
        store.app(B, "c1").await.unwrap().is_some(),
        "removal stays in its tenant"
    );
    drop(store);
    let reopened = backend.open().await;
    assert_eq!(
        reopened.apps(Some(A)).await.unwrap(),
        vec![certificate_only]
    );
}

pub async fn server_keys_keep_the_first(backend: &dyn Backend) {
    let store = backend.open().await;
    assert_eq!(
        store
            .server_key("signing", b"first".to_vec())
            .await
            .unwrap(),
        b"first"
    );
    assert_eq!(
        store
            .server_key("signing", b"second".to_vec())
            .await
            .unwrap(),
        b"first"
    );
    assert_eq!(
        store.server_key("ca", vec![0, 255, 1]).await.unwrap(),
        vec![0, 255, 1]
    );
    // Nodes making a key at once all keep one of theirs.
    let racers = (0..8).map(|i| {
        let store = store.clone();
        tokio::spawn(async move { store.server_key("raced", vec![i]).await.unwrap() })
    });
    let kept: Vec<Vec<u8>> = join_all(racers).await;
    assert!(kept.windows(2).all(|w| w[0] == w[1]), "{kept:?}");
    drop(store);
    let reopened = backend.open().await;
    assert_eq!(
        reopened
            .server_key("signing", b"third".to_vec())
            .await
            .unwrap(),
        b"first"
    );
    assert_eq!(
        reopened.server_key("raced", vec![99]).await.unwrap(),
        kept[0]
    );
}

async fn join_all<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await.unwrap());
    }
    out
}

/// Calls `$run!` with every app case, as [`crate::for_each_case`] does for records.
#[macro_export]
macro_rules! for_each_app_case {
    ($run:ident) => {
        $run!(apps_per_tenant, server_keys_keep_the_first);
    };
}

mod sqlite {
    use crate::sqlite::SqliteBackend;

    macro_rules! sqlite_app_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let backend = SqliteBackend::new(stringify!($case));
                    super::$case(&backend).await;
                }
            )*
        };
    }

    crate::for_each_app_case!(sqlite_app_cases);
}
