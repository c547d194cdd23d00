//! A small hand-written SVG chart of the per-stream time series: jitter, bit rate and loss
//! over time, one panel each, one colour per stream.

use std::fmt::Write as _;

use super::streams::{IntervalPoint, StreamSummary};

/// A panel: its title and the value it plots.
type Panel = (&'static str, fn(&IntervalPoint) -> f64);

const COLOURS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
];

/// The SVG document.
#[must_use]
pub fn svg(streams: &[StreamSummary]) -> String {
    let (w, panel_h, margin) = (900.0_f64, 200.0_f64, 50.0_f64);
    let panels: [Panel; 3] = [
        ("jitter (ms)", |p| p.jitter_ms),
        ("bit rate (kbit/s)", |p| p.bitrate / 1000.0),
        ("lost packets", |p| p.lost as f64),
    ];
    let t_max = streams
        .iter()
        .flat_map(|s| s.intervals.iter().map(|p| p.start))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let height = margin + panels.len() as f64 * (panel_h + margin) + 20.0 * streams.len() as f64;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    for (i, (title, value)) in panels.iter().enumerate() {
        let top = margin + i as f64 * (panel_h + margin);
        let v_max = streams
            .iter()
            .flat_map(|s| s.intervals.iter().map(value))
            .fold(0.0_f64, f64::max)
            .max(1e-9);
        let _ = writeln!(
            out,
            r##"<text x="{margin}" y="{}">{title} (max {v_max:.3})</text><rect x="{margin}" y="{top}" width="{}" height="{panel_h}" fill="none" stroke="#999"/>"##,
            top - 6.0,
            w - 2.0 * margin
        );
        for (k, s) in streams.iter().enumerate() {
            let points: Vec<String> = s
                .intervals
                .iter()
                .map(|p| {
                    let x = margin + p.start / t_max * (w - 2.0 * margin);
                    let y = top + panel_h - value(p).max(0.0) / v_max * panel_h;
                    format!("{x:.1},{y:.1}")
                })
                .collect();
            let _ = writeln!(
                out,
                r#"<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>"#,
                COLOURS[k % COLOURS.len()],
                points.join(" ")
            );
        }
    }
    let legend_top = margin + panels.len() as f64 * (panel_h + margin);
    for (k, s) in streams.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{margin}" y="{}" fill="{}">ssrc {:#010x} {} → {} pt {}</text>"#,
            legend_top + 20.0 * k as f64,
            COLOURS[k % COLOURS.len()],
            s.ssrc,
            s.src,
            s.dst,
            s.payload_type
        );
    }
    out.push_str("</svg>\n");
    out
}
