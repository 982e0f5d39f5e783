//! A loopback TCP proxy between the client and the sync server that misbehaves on demand: it
//! passes traffic, cuts each connection after a number of bytes of the request or of the
//! answer, or stalls (accepts, reads everything, never answers). Plain threads and std::net, so
//! what the client meets is a real socket doing exactly that.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// What the proxy does with the connections it accepts from now on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pass,
    /// Forwards this many bytes of each request, then closes both sides.
    CutRequestAfter(usize),
    /// Forwards whole requests and this many bytes of each answer, then closes both sides.
    CutAnswerAfter(usize),
    /// Reads what the client sends and never answers (nor connects to the server).
    Stall,
    /// Forwards requests at about this many bytes a second, like a poor mobile connection.
    Slow(usize),
}

pub struct Proxy {
    pub url: String,
    address: SocketAddr,
    mode: Arc<Mutex<Mode>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Proxy {
    /// A proxy on `127.0.0.1:0` in front of `target`, passing traffic.
    pub fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let mode = Arc::new(Mutex::new(Mode::Pass));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (mode, stop) = (Arc::clone(&mode), Arc::clone(&stop));
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(client) = client else { continue };
                    let mode = *mode.lock().unwrap();
                    std::thread::spawn(move || handle(client, target, mode));
                }
            })
        };
        Self { url: format!("http://{address}"), address, mode, stop, accept: Some(accept) }
    }

    pub fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn handle(client: TcpStream, target: SocketAddr, mode: Mode) {
    if mode == Mode::Stall {
        let mut client = client;
        let mut sink = [0u8; 16 * 1024];
        // Until the client gives up and closes.
        while matches!(client.read(&mut sink), Ok(n) if n > 0) {}
        return;
    }
    let Ok(server) = TcpStream::connect(target) else { return };
    let (up, down) = match mode {
        Mode::CutRequestAfter(n) => (Some(n), None),
        Mode::CutAnswerAfter(n) => (None, Some(n)),
        Mode::Pass | Mode::Stall | Mode::Slow(_) => (None, None),
    };
    let rate = match mode {
        Mode::Slow(rate) => Some(rate),
        _ => None,
    };
    let (client_r, server_w) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let upstream = std::thread::spawn(move || pump(client_r, server_w, up, rate));
    pump(server, client, down, None);
    let _ = upstream.join();
}

/// Copies `from` to `to` until the end, or until `limit` bytes have passed: then both
/// connections are closed, cutting the exchange mid-way. With a `rate`, at about that many bytes
/// a second.
fn pump(mut from: TcpStream, mut to: TcpStream, limit: Option<usize>, rate: Option<usize>) {
    let mut buf = vec![0u8; rate.map_or(16 * 1024, |r| (r / 20).clamp(1, 16 * 1024))];
    let mut passed = 0;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => n,
        };
        let allowed = limit.map_or(n, |limit| n.min(limit.saturating_sub(passed)));
        if to.write_all(&buf[..allowed]).is_err() {
            let _ = from.shutdown(Shutdown::Both);
            return;
        }
        passed += allowed;
        if let Some(rate) = rate {
            std::thread::sleep(std::time::Duration::from_secs_f64(allowed as f64 / rate as f64));
        }
        if allowed < n || limit.is_some_and(|limit| passed >= limit) {
            let _ = to.shutdown(Shutdown::Both);
            let _ = from.shutdown(Shutdown::Both);
            return;
        }
    }
}
