//! The API side of the read benchmarks (`bench/run`): GETs one path over one keep-alive
//! connection and prints the timings as JSON, each from the request's first byte sent to the
//! body's last byte received.
//!
//! A compiled client, so that the client's own work is not counted as the server's: a Python
//! client on a socket takes about 0.1 ms longer to read a list page of 69 kB.
//!
//! Input on stdin, one JSON object:
//! `{"address": "127.0.0.1:18080", "path": "/api/v1/me", "token": …, "warmup": 1, "runs": 20}`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Task {
    address: String,
    path: String,
    token: String,
    #[serde(default)]
    warmup: usize,
    runs: usize,
}

/// One connection, and the buffer every response is read into.
struct Client {
    stream: TcpStream,
    request: Vec<u8>,
    buffer: Vec<u8>,
}

impl Client {
    fn connect(task: &Task) -> Client {
        let stream = TcpStream::connect(&task.address).expect("connect to the server");
        stream.set_nodelay(true).expect("set TCP_NODELAY");
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\nAuthorization: Bearer {}\r\n\r\n",
            task.path, task.address, task.token
        );
        Client { stream, request: request.into_bytes(), buffer: vec![0; 1 << 20] }
    }

    /// Sends the request and reads the response to its last byte; panics on an error status.
    fn get(&mut self) {
        self.stream.write_all(&self.request).expect("send the request");
        let mut filled = 0;
        let mut body_end = None;
        loop {
            if filled == self.buffer.len() {
                self.buffer.resize(self.buffer.len() * 2, 0);
            }
            let read = self.stream.read(&mut self.buffer[filled..]).expect("read the response");
            assert!(read > 0, "the server closed the connection");
            filled += read;
            if body_end.is_none() {
                body_end = head_end(&self.buffer[..filled]).map(|end| {
                    let head = String::from_utf8_lossy(&self.buffer[..end]);
                    let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
                    assert!(status < 400, "GET: {head}");
                    end + content_length(&head).expect("a Content-Length")
                });
            }
            if body_end.is_some_and(|end| filled >= end) {
                return;
            }
        }
    }
}

/// Where the head ends (after its blank line), once all of it has arrived.
fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn content_length(head: &str) -> Option<usize> {
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
    })
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("read the task");
    let task: Task = serde_json::from_str(&input).expect("a task as JSON");
    let mut client = Client::connect(&task);
    for _ in 0..task.warmup {
        client.get();
    }
    let mut samples: Vec<f64> = (0..task.runs)
        .map(|_| {
            let start = Instant::now();
            client.get();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    let samples_ms: Vec<f64> = samples.iter().map(|ms| (ms * 1000.0).round() / 1000.0).collect();
    println!("{}", json!({ "samples_ms": samples_ms }));
}
