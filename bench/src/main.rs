//! `vl-bench`: the generator and the ledger's side of `make bench`.
//!
//! ```text
//! vl-bench gen --size medium --seed 8 --out target/bench-data/medium
//! vl-bench run --data target/bench-data/medium --runs 3 > ledger.json
//! ```

// A benchmark tool: indexing into its own generated tables is checked by construction.
#![allow(clippy::indexing_slicing)]

mod generator;
mod run;

use std::path::PathBuf;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let num = |name: &str, default: usize| {
        arg(&args, name)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    match args.get(1).map(String::as_str) {
        Some("gen") => {
            let name = arg(&args, "--size").unwrap_or_else(|| "medium".into());
            let size = generator::size(&name).ok_or(format!(
                "unknown size '{name}': demo, small, medium or large"
            ))?;
            let seed = num("--seed", 8) as u64;
            let out = PathBuf::from(arg(&args, "--out").ok_or("--out DIR is required")?);
            let t = std::time::Instant::now();
            let d = generator::generate(size, seed);
            eprintln!(
                "gen: {} records, {} volunteers, {} orgs, {} teams in {:.1} s",
                d.records.len(),
                d.volunteers.len(),
                d.orgs.len(),
                d.teams.len(),
                t.elapsed().as_secs_f64()
            );
            d.write(&out, seed)?;
        }
        Some("run") => {
            let dir = PathBuf::from(arg(&args, "--data").ok_or("--data DIR is required")?);
            let out = run::run(
                &dir,
                num("--runs", 3).max(1),
                num("--fresh-iters", 2000).max(1),
                num("--alt-fresh", 10).max(1),
                arg(&args, "--only").as_deref(),
            )?;
            println!("{}", serde_json::to_string(&out)?);
        }
        _ => return Err("usage: vl-bench gen --size SIZE [--seed N] --out DIR | vl-bench run --data DIR [--runs N] [--only reopen,file,csv,fresh,upload]".into()),
    }
    Ok(())
}
