#![allow(clippy::unwrap_used, clippy::print_stdout)]
use candle_core::{Device, Tensor, DType};
use std::time::Instant;

fn time(name: &str, iters: usize, mut f: impl FnMut() -> Tensor) {
    for _ in 0..5 { f(); }
    let t = Instant::now();
    for _ in 0..iters { std::hint::black_box(f()); }
    println!("{name}: {:.1} us", t.elapsed().as_secs_f64() * 1e6 / iters as f64);
}

fn main() {
    let dev = Device::Cpu;
    for (n, k) in [(1536usize, 384usize), (384, 1536), (384, 384)] {
        let w = Tensor::randn(0f32, 1.0, (n, k), &dev).unwrap();
        let wt = w.t().unwrap().contiguous().unwrap();
        let w16 = w.to_dtype(DType::F16).unwrap();
        for m in [6usize, 16, 200] {
            let x = Tensor::randn(0f32, 1.0, (m, k), &dev).unwrap();
            let x16 = x.to_dtype(DType::F16).unwrap();
            println!("n={n} k={k} m={m}");
            time("  a x@W.t()", 200, || x.matmul(&w.t().unwrap()).unwrap());
            time("  b x@Wt   ", 200, || x.matmul(&wt).unwrap());
            time("  c (Wt.t()@x.t()).t()", 200, || wt.t().unwrap().matmul(&x.t().unwrap()).unwrap().t().unwrap().contiguous().unwrap());
            time("  d W@x.t() ", 200, || w.matmul(&x.t().unwrap()).unwrap().t().unwrap().contiguous().unwrap());
            time("  e f16 x@W.t()", 50, || x16.matmul(&w16.t().unwrap()).unwrap());
        }
    }
}
