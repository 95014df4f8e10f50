//! A real headless Chromium driven over WebDriver (chromedriver on a free loopback port), for the web UI's
//! tests and for `examples/ui_screenshots.rs`, which includes this file too.
//!
//! Nothing is installed here: when `chromium` or `chromedriver` is absent (from `PATH`, or named by
//! `CALLREC_CHROMIUM` and `CALLREC_CHROMEDRIVER`), [`Browser::start`] says that the test is skipped and
//! gives `None`. [`run`] runs one browser at a time, so a parallel test run does not start several on two cores.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long a page may take to reach a state before a test fails.
const PATIENCE: Duration = Duration::from_secs(30);

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A chromedriver process and a browser session of it.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

/// A program from the variable `variable`, else the first of `names` on `PATH`.
fn program(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium window of `width` × `height`, or says why not.
    pub async fn start(test: &str, width: u32, height: u32) -> Option<Browser> {
        let chromium = program("CALLREC_CHROMIUM", &["chromium", "chromium-browser"]);
        let driver = program("CALLREC_CHROMEDRIVER", &["chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            println!(
                "skipped {test}: Chromium or chromedriver is not installed \
                 (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = free_port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-extensions", "--no-first-run", "--hide-scrollbars",
                         format!("--window-size={width},{height}")],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&url)
            .await
            .expect("a WebDriver session of Chromium");
        Some(Browser { client, driver })
    }

    /// Polls the JavaScript expression `expression` until it is truthy and returns its value.
    pub async fn until(&self, expression: &str) -> Value {
        let script = format!("return ({expression});");
        let deadline = Instant::now() + PATIENCE;
        loop {
            let value = self
                .client
                .execute(&script, vec![])
                .await
                .unwrap_or(Value::Null);
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return value;
            }
            let shown = self.text("main").await;
            assert!(
                Instant::now() < deadline,
                "the page never had `{expression}`; it shows: {shown}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Waits until view `view` has drawn (`main[data-state=ready]`); panics with the page's text if it
    /// shows an error instead.
    pub async fn ready(&self, view: &str) {
        let state = self
            .until(&format!(
                "document.querySelector('main[data-view=\"{view}\"][data-state=\"ready\"], \
                 main[data-state=\"error\"]')?.dataset.state"
            ))
            .await;
        if state != "ready" {
            panic!("view {view} failed: {}", self.text("main").await);
        }
    }

    /// Waits until the page shows an error in view `view` and returns its text.
    pub async fn error(&self, view: &str) -> String {
        self.until(&format!(
            "document.querySelector('main[data-view=\"{view}\"][data-state=\"error\"]')"
        ))
        .await;
        self.text("main .error").await
    }

    /// Opens `url` (with a `#/view?...` fragment) and waits for its view.
    pub async fn open(&self, url: &str, view: &str) {
        self.client.goto(url).await.expect("navigate");
        self.ready(view).await;
    }

    /// The text of the first element matching `css`, or "" when there is none.
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// The texts of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut out = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.expect("find") {
            out.push(element.text().await.expect("text"));
        }
        out
    }

    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Ends the browser session (which closes Chromium) and chromedriver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A test that panicked did not reach `close`: at least chromedriver goes.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Runs a browser test on `runtime`: starts the browser (or returns when it is absent), runs `test` in a
/// task of its own, closes the browser whether or not the test panicked, then fails as the test did.
pub fn run<F, Fut>(runtime: &tokio::runtime::Runtime, name: &str, test: F)
where
    F: FnOnce(std::sync::Arc<Browser>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    runtime.block_on(async {
        let Some(browser) = Browser::start(name, 1280, 900).await else {
            return;
        };
        let browser = std::sync::Arc::new(browser);
        let outcome = tokio::spawn(test(browser.clone())).await;
        if let Ok(browser) = std::sync::Arc::try_unwrap(browser) {
            browser.close().await;
        }
        if let Err(failure) = outcome {
            match failure.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(failure) => panic!("{name}: {failure}"),
            }
        }
    });
}
