//! Throttling with Graph's documented limits for call records (spec/API.md section 11), so that a client's
//! retry logic meets 429s before it meets Graph's.
//!
//! Each request counts against every scope it falls in: its application across all tenants, its tenant,
//! its application in its tenant, and, by resource, the call record it reads, the listing, or the PSTN
//! log functions. Windows are fixed and start with the first request of a scope; a request over any limit
//! is answered 429 with `Retry-After` set to the seconds until that window ends, so a client that waits as
//! told gets through. Throttled requests still count, as Graph says they do. Counters are in memory, per
//! process.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::auth::{Caller, Resource};

/// At most `requests` in each `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub requests: u32,
    pub window: Duration,
}

impl Limit {
    pub const fn new(requests: u32, window_secs: u64) -> Self {
        Limit {
            requests,
            window: Duration::from_secs(window_secs),
        }
    }
}

impl FromStr for Limit {
    type Err = String;

    /// `40/20s`, `1000/60s`, `5/1m`, `100/500ms`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("'{s}' is not a limit like 40/20s");
        let (n, window) = s.split_once('/').ok_or_else(bad)?;
        let requests = n.trim().parse().map_err(|_| bad())?;
        let window = crate::period::parse_duration(window.trim()).ok_or_else(bad)?;
        if window.is_zero() {
            return Err(bad());
        }
        Ok(Limit { requests, window })
    }
}

/// The limits of every scope; Graph's by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// One application, all tenants.
    pub app: Limit,
    /// One tenant, all applications.
    pub tenant: Limit,
    /// One application in one tenant.
    pub app_tenant: Limit,
    /// One call record (with its sessions and participants).
    pub record: Limit,
    /// Listing call records (per application in a tenant).
    pub list: Limit,
    /// PSTN and direct routing log functions, per tenant.
    pub pstn_tenant: Limit,
    /// PSTN and direct routing log functions, per application in a tenant.
    pub pstn_app_tenant: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            app: Limit::new(15_000, 20),
            tenant: Limit::new(10_000, 20),
            app_tenant: Limit::new(1_500, 20),
            record: Limit::new(40, 20),
            list: Limit::new(40, 20),
            pstn_tenant: Limit::new(1_000, 60),
            pstn_app_tenant: Limit::new(200, 60),
        }
    }
}

impl Limits {
    /// The names `--throttle-limit NAME=N/WINDOW` accepts.
    pub const NAMES: [&'static str; 7] = [
        "app",
        "tenant",
        "app-tenant",
        "record",
        "list",
        "pstn-tenant",
        "pstn-app-tenant",
    ];

    /// Applies one `--throttle-limit` setting.
    pub fn apply(&mut self, setting: &LimitSetting) {
        let slot = match setting.name {
            "app" => &mut self.app,
            "tenant" => &mut self.tenant,
            "app-tenant" => &mut self.app_tenant,
            "record" => &mut self.record,
            "list" => &mut self.list,
            "pstn-tenant" => &mut self.pstn_tenant,
            _ => &mut self.pstn_app_tenant,
        };
        *slot = setting.limit;
    }
}

/// One `--throttle-limit NAME=N/WINDOW`, its name one of [`Limits::NAMES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitSetting {
    name: &'static str,
    limit: Limit,
}

impl FromStr for LimitSetting {
    type Err = String;

    /// `record=40/20s`.
    fn from_str(setting: &str) -> Result<Self, String> {
        let (name, limit) = setting
            .split_once('=')
            .ok_or_else(|| format!("'{setting}' is not NAME=N/WINDOW"))?;
        let name = Limits::NAMES
            .into_iter()
            .find(|n| *n == name.trim())
            .ok_or_else(|| {
                format!(
                    "unknown limit '{}'; known: {}",
                    name.trim(),
                    Limits::NAMES.join(", ")
                )
            })?;
        Ok(LimitSetting {
            name,
            limit: limit.parse()?,
        })
    }
}

/// A scope requests are counted in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Scope {
    App(String),
    Tenant(String),
    AppTenant(String, String),
    Record(String, String),
    List(String, String),
    PstnTenant(String),
    PstnAppTenant(String, String),
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    length: Duration,
    count: u32,
}

/// Windows are dropped once this many are held and some have ended.
const PRUNE_ABOVE: usize = 10_000;

/// The counters of one process.
#[derive(Debug)]
pub struct Throttle {
    limits: Limits,
    windows: Mutex<HashMap<Scope, Window>>,
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        Throttle {
            limits,
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Counts a request; `Err` carries how long to wait when it is over a limit.
    pub fn admit(
        &self,
        caller: &Caller,
        resource: &Resource,
        now: Instant,
    ) -> Result<(), Duration> {
        let scopes = self.scopes(caller, resource);
        if scopes.is_empty() {
            return Ok(());
        }
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, w| now.duration_since(w.start) < w.length);
        }
        let mut wait = Duration::ZERO;
        for (scope, limit) in scopes {
            let window = windows.entry(scope).or_insert(Window {
                start: now,
                length: limit.window,
                count: 0,
            });
            if now.duration_since(window.start) >= window.length {
                *window = Window {
                    start: now,
                    length: limit.window,
                    count: 0,
                };
            }
            window.count = window.count.saturating_add(1);
            if window.count > limit.requests {
                wait = wait.max(window.length - now.duration_since(window.start));
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    fn scopes(&self, caller: &Caller, resource: &Resource) -> Vec<(Scope, Limit)> {
        let l = &self.limits;
        let app = caller.app.clone().unwrap_or_default();
        let tenant = caller.tenant.clone();
        let mut scopes = Vec::with_capacity(4);
        match resource {
            Resource::RecordList | Resource::Record { .. } => {
                scopes.push((Scope::App(app.clone()), l.app));
                scopes.push((Scope::Tenant(tenant.clone()), l.tenant));
                scopes.push((Scope::AppTenant(app.clone(), tenant.clone()), l.app_tenant));
                match resource {
                    Resource::Record { id } => {
                        scopes.push((Scope::Record(tenant, id.clone()), l.record));
                    }
                    _ => scopes.push((Scope::List(app, tenant), l.list)),
                }
            }
            Resource::LogFunction => {
                scopes.push((Scope::PstnTenant(tenant.clone()), l.pstn_tenant));
                scopes.push((Scope::PstnAppTenant(app, tenant), l.pstn_app_tenant));
            }
            Resource::Public
            | Resource::OtherRead
            | Resource::LogRow
            | Resource::Write
            | Resource::Admin
            | Resource::Batch => {}
        }
        scopes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(tenant: &str, app: &str) -> Caller {
        Caller {
            tenant: tenant.to_owned(),
            app: Some(app.to_owned()),
            roles: Vec::new(),
        }
    }

    fn record(id: &str) -> Resource {
        Resource::Record { id: id.to_owned() }
    }

    #[test]
    fn limits_parse() {
        assert_eq!("40/20s".parse::<Limit>(), Ok(Limit::new(40, 20)));
        assert_eq!("5/1m".parse::<Limit>(), Ok(Limit::new(5, 60)));
        assert_eq!(
            "3/500ms".parse::<Limit>().unwrap().window,
            Duration::from_millis(500)
        );
        assert!("40".parse::<Limit>().is_err());
        assert!("40/0s".parse::<Limit>().is_err());
        assert!("x/20s".parse::<Limit>().is_err());
        let mut limits = Limits::default();
        limits.apply(&"record=2/1s".parse().unwrap());
        assert_eq!(limits.record, Limit::new(2, 1));
        limits.apply(&"pstn-app-tenant=3/1m".parse().unwrap());
        assert_eq!(limits.pstn_app_tenant, Limit::new(3, 60));
        assert_eq!(
            "nope=2/1s".parse::<LimitSetting>(),
            Err("unknown limit 'nope'; known: app, tenant, app-tenant, record, list, pstn-tenant, pstn-app-tenant".to_owned())
        );
    }

    #[test]
    fn a_record_is_limited_alone_and_its_window_ends() {
        let throttle = Throttle::new(Limits {
            record: Limit::new(2, 10),
            ..Limits::default()
        });
        let t0 = Instant::now();
        let c = caller("t", "a");
        assert_eq!(throttle.admit(&c, &record("r1"), t0), Ok(()));
        assert_eq!(throttle.admit(&c, &record("r1"), t0), Ok(()));
        let wait = throttle
            .admit(&c, &record("r1"), t0 + Duration::from_secs(4))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(6));
        // Another record, and the same record in another tenant, have their own windows.
        assert_eq!(throttle.admit(&c, &record("r2"), t0), Ok(()));
        assert_eq!(throttle.admit(&caller("u", "a"), &record("r1"), t0), Ok(()));
        assert_eq!(
            throttle.admit(&c, &record("r1"), t0 + Duration::from_secs(10)),
            Ok(())
        );
    }

    #[test]
    fn the_tenant_limit_covers_every_app_and_the_app_limit_every_tenant() {
        let throttle = Throttle::new(Limits {
            tenant: Limit::new(3, 20),
            app: Limit::new(5, 20),
            ..Limits::default()
        });
        let t0 = Instant::now();
        for (i, app) in ["a", "b", "c"].into_iter().enumerate() {
            assert_eq!(
                throttle.admit(&caller("t", app), &record(&format!("r{i}")), t0),
                Ok(())
            );
        }
        assert!(throttle.admit(&caller("t", "d"), &record("x"), t0).is_err());
        // App "a" has made 1 request; 4 more in other tenants reach its limit of 5.
        for tenant in ["u1", "u2", "u3", "u4"] {
            assert_eq!(
                throttle.admit(&caller(tenant, "a"), &record("x"), t0),
                Ok(())
            );
        }
        assert!(
            throttle
                .admit(&caller("u5", "a"), &record("x"), t0)
                .is_err()
        );
    }

    #[test]
    fn writes_and_public_documents_are_not_counted() {
        let throttle = Throttle::new(Limits {
            app: Limit::new(0, 20),
            ..Limits::default()
        });
        let c = caller("t", "a");
        let t0 = Instant::now();
        assert_eq!(throttle.admit(&c, &Resource::Write, t0), Ok(()));
        assert_eq!(throttle.admit(&c, &Resource::Public, t0), Ok(()));
        assert!(throttle.admit(&c, &Resource::RecordList, t0).is_err());
    }
}
