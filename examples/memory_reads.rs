//! What a random memory read costs on this machine, for the clusterer's budget (record/2026-11-benchmarks-history.md,
//! "Why nearest-neighbour clustering missed its goal", and the table after "A worst case"): reads that do not
//! depend on each other (their misses overlap) and reads that each wait for the one before (a pointer chase), over
//! arrays of 1 to 256 MB.
//!
//! ```text
//! cargo run --release --example memory_reads
//! ```

use std::time::Instant;

fn main() {
    let mut x: u64 = 88_172_645_463_325_252;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    println!("| array | independent reads | dependent reads |\n|---:|---:|---:|");
    for mb in [1usize, 4, 16, 64, 256] {
        let n = mb * 1024 * 1024 / 8;
        // A random permutation: following v[p] from any p visits a cycle in random order.
        let mut v: Vec<u64> = (0..n as u64).collect();
        for i in (1..n).rev() {
            let j = (rnd() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
        let at: Vec<usize> = (0..4_000_000).map(|_| (rnd() % n as u64) as usize).collect();
        let t = Instant::now();
        let mut sum = 0u64;
        for &i in &at {
            sum = sum.wrapping_add(v[i]);
        }
        let independent = t.elapsed().as_nanos() as f64 / at.len() as f64;
        let steps = 2_000_000;
        let t = Instant::now();
        let mut p = 0usize;
        for _ in 0..steps {
            p = v[p] as usize;
        }
        let dependent = t.elapsed().as_nanos() as f64 / steps as f64;
        std::hint::black_box((sum, p));
        println!("| {mb} MB | {independent:.1} ns | {dependent:.1} ns |");
    }
}
