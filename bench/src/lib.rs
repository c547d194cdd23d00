//! Shared inputs and the measurement of the criterion comparisons in `benches/`.
#![forbid(unsafe_code)]

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Path of a file in the repository's real-world corpus (`corpus/` at the workspace root).
pub fn corpus_path(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(relative)
}

/// Thread CPU time (`CLOCK_THREAD_CPUTIME_ID`) instead of wall time: on a shared 2-core
/// machine, other processes' load changes wall-clock results by ±50 % between runs, while
/// the CPU time this thread spends is close to what the code costs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadCpuTime;

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = cpu_time::ThreadTime;
    type Value = Duration;

    fn start(&self) -> Self::Intermediate {
        cpu_time::ThreadTime::now()
    }

    fn end(&self, i: Self::Intermediate) -> Self::Value {
        i.elapsed()
    }

    fn add(&self, v1: &Self::Value, v2: &Self::Value) -> Self::Value {
        *v1 + *v2
    }

    fn zero(&self) -> Self::Value {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Self::Value) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

/// Criterion configured with [`ThreadCpuTime`] and the command-line arguments.
pub fn criterion() -> criterion::Criterion<ThreadCpuTime> {
    criterion::Criterion::default()
        .with_measurement(ThreadCpuTime)
        .configure_from_args()
}
