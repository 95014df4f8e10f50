//! What the suite reads from the machine: its description for the report, and a process's memory.
//!
//! Linux only: figures come from `/proc`, which is where the targets were measured.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The machine a run happened on, as the report describes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_bytes: u64,
    pub kernel: String,
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name")
                    .and_then(|r| r.split_once(':'))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_bytes = kib_field(&meminfo, "MemTotal:").unwrap_or(0) * 1024;
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
            .to_owned();
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            memory_bytes,
            kernel,
        }
    }
}

/// A process's resident memory now and at its peak, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    pub rss: u64,
    pub peak_rss: u64,
}

/// Reads VmRSS and VmHWM of a live process; `None` once it is gone.
pub fn memory_of(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    Some(Memory {
        rss: kib_field(&status, "VmRSS:")? * 1024,
        peak_rss: kib_field(&status, "VmHWM:")? * 1024,
    })
}

/// Reads a `Name:   1234 kB` line of a /proc file.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// What a process used while it was watched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// The highest resident size sampled, and the highest peak the kernel reported.
    pub memory: Memory,
    /// User + system CPU seconds at the last sample.
    pub cpu_secs: f64,
}

/// User + system CPU seconds of a live process so far.
pub fn cpu_secs_of(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime) are 12 and 13 after the name; Linux counts them in
    // USER_HZ, which is 100 on every architecture it runs on.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Samples a process's memory and CPU time until `stop` is set or the process is gone.
pub fn watch(pid: u32, every: Duration, stop: &std::sync::atomic::AtomicBool) -> Usage {
    let mut usage = Usage::default();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let Some(m) = memory_of(pid) else { break };
        usage.memory.rss = usage.memory.rss.max(m.rss);
        usage.memory.peak_rss = usage.memory.peak_rss.max(m.peak_rss);
        if let Some(cpu) = cpu_secs_of(pid) {
            usage.cpu_secs = cpu;
        }
        std::thread::sleep(every);
    }
    usage
}

/// A loopback port free at the moment of asking.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_fields() {
        let status = "Name:\tcallrec\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n";
        assert_eq!(kib_field(status, "VmRSS:"), Some(102_400));
        assert_eq!(kib_field(status, "VmHWM:"), Some(204_800));
        assert_eq!(kib_field(status, "VmSwap:"), None);
    }

    #[test]
    fn reads_own_memory() {
        let m = memory_of(std::process::id()).expect("this process is alive");
        assert!(m.rss > 0 && m.peak_rss >= m.rss);
        // Spin until the kernel has counted at least one tick of this process's CPU time.
        let busy = std::time::Instant::now();
        let mut x = 0u64;
        while cpu_secs_of(std::process::id()).expect("this process is alive") == 0.0 {
            assert!(
                busy.elapsed() < Duration::from_secs(10),
                "no CPU time counted after 10 s of spinning"
            );
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(1));
            }
        }
    }
}
