//! A small SMTP server for the tests: binds 127.0.0.1 on a free port, one thread per
//! connection, speaks 220, EHLO/HELO, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP and QUIT,
//! and keeps what it received. It can refuse connections for a while, or answer the next
//! transactions with 421 (transient, closing the connection) or 550 (permanent). It stops when
//! dropped.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent, dot-unstuffed, CRLF line ends.
    pub data: String,
}

/// An answer to give instead of accepting a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `421` to MAIL, then the connection is closed (the server is going away).
    Unavailable,
    /// `550` to RCPT (no such mailbox).
    Rejected,
}

#[derive(Default)]
struct State {
    messages: Vec<ReceivedMail>,
    faults: VecDeque<Fault>,
    refusing: bool,
    /// Transactions started (MAIL commands), faulty or not.
    transactions: usize,
}

struct Shared {
    state: Mutex<State>,
    arrived: Condvar,
    stop: AtomicBool,
}

pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl SmtpSink {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the sink");
        let port = listener.local_addr().unwrap().port();
        let shared =
            Arc::new(Shared { state: Mutex::default(), arrived: Condvar::new(), stop: AtomicBool::new(false) });
        let acceptor = {
            let shared = shared.clone();
            std::thread::spawn(move || accept_loop(Some(listener), port, &shared))
        };
        SmtpSink { port, shared, acceptor: Some(acceptor) }
    }

    /// `smtp://127.0.0.1:PORT`: plain SMTP, no TLS, no authentication.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Answers the next `n` transactions with `fault`.
    pub fn fail_next(&self, fault: Fault, n: usize) {
        let mut state = self.shared.state.lock().unwrap();
        state.faults.extend(std::iter::repeat_n(fault, n));
    }

    /// Stops listening (connections are refused) or listens again on the same port.
    pub fn refuse_connections(&self, refuse: bool) {
        self.shared.state.lock().unwrap().refusing = refuse;
        // Let the acceptor notice.
        std::thread::sleep(Duration::from_millis(50));
    }

    pub fn transactions(&self) -> usize {
        self.shared.state.lock().unwrap().transactions
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.state.lock().unwrap().messages.clone()
    }

    /// Waits until at least `n` messages have arrived, or panics after `timeout`.
    #[track_caller]
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.state.lock().unwrap();
        while state.messages.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "expected {n} messages within {timeout:?}, got {}", state.messages.len());
            state = self.shared.arrived.wait_timeout(state, left).unwrap().0;
        }
        state.messages.clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept_loop(mut listener: Option<TcpListener>, port: u16, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        let refusing = shared.state.lock().unwrap().refusing;
        if refusing {
            // Closing the socket makes connection attempts fail with "connection refused".
            listener = None;
        } else if listener.is_none() {
            listener = TcpListener::bind(("127.0.0.1", port)).ok();
        }
        let Some(open) = listener.as_ref() else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        open.set_nonblocking(true).unwrap();
        match open.accept() {
            Ok((stream, _)) => {
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared);
                });
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Reads one CRLF-terminated line, checking the stop flag while idle; `None` at end of stream
/// or when the sink stops.
fn read_line(reader: &mut BufReader<TcpStream>, shared: &Shared) -> Option<String> {
    let mut line = String::new();
    loop {
        match reader.read_line(&mut line) {
            Ok(0) => return None,
            Ok(_) if line.ends_with('\n') => return Some(line),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if shared.stop.load(Ordering::SeqCst) {
                    return None;
                }
            }
            Err(_) => return None,
        }
    }
}

fn serve(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_millis(100)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = |text: &str| writer.write_all(format!("{text}\r\n").as_bytes());
    reply("220 sink.test ESMTP ready")?;
    let mut from = String::new();
    let mut to: Vec<String> = Vec::new();
    let mut reject_recipients = false;
    while let Some(line) = read_line(&mut reader, shared) {
        let command = line.trim_end_matches(['\r', '\n']);
        let verb = command.split([' ', ':']).next().unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => reply("250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 ENHANCEDSTATUSCODES")?,
            "HELO" => reply("250 sink.test")?,
            "MAIL" => {
                let fault = {
                    let mut state = shared.state.lock().unwrap();
                    state.transactions += 1;
                    state.faults.pop_front()
                };
                match fault {
                    Some(Fault::Unavailable) => {
                        reply("421 4.3.2 Service not available, closing transmission channel")?;
                        return Ok(());
                    }
                    Some(Fault::Rejected) => reject_recipients = true,
                    None => reject_recipients = false,
                }
                from = address(command);
                to.clear();
                reply("250 2.1.0 OK")?;
            }
            "RCPT" if reject_recipients => reply("550 5.1.1 Mailbox unavailable")?,
            "RCPT" => {
                to.push(address(command));
                reply("250 2.1.5 OK")?;
            }
            "DATA" => {
                reply("354 End data with <CR><LF>.<CR><LF>")?;
                let mut data = String::new();
                loop {
                    let Some(line) = read_line(&mut reader, shared) else { return Ok(()) };
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    // RFC 5321 §4.5.2: a leading dot was doubled by the client.
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                {
                    let mut state = shared.state.lock().unwrap();
                    state.messages.push(ReceivedMail { from: from.clone(), to: to.clone(), data });
                    shared.arrived.notify_all();
                }
                reply("250 2.0.0 OK queued")?;
            }
            "RSET" => {
                from.clear();
                to.clear();
                reject_recipients = false;
                reply("250 2.0.0 OK")?;
            }
            "NOOP" => reply("250 2.0.0 OK")?,
            "QUIT" => {
                reply("221 2.0.0 Bye")?;
                return Ok(());
            }
            _ => reply("502 5.5.2 Command not recognised")?,
        }
    }
    Ok(())
}

/// The address between angle brackets of `MAIL FROM:<a@b> …` or `RCPT TO:<a@b>`.
fn address(command: &str) -> String {
    match (command.find('<'), command.find('>')) {
        (Some(start), Some(end)) if start < end => command[start + 1..end].to_owned(),
        _ => String::new(),
    }
}

#[test]
fn the_sink_unstuffs_dots_and_keeps_envelopes() {
    let sink = SmtpSink::start();
    let stream = TcpStream::connect(("127.0.0.1", sink.port)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut expect = |code: &str, reader: &mut BufReader<TcpStream>| loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with(code), "expected {code}, got {line}");
        if line.as_bytes().get(3) == Some(&b' ') {
            break;
        }
    };
    expect("220", &mut reader);
    for (command, code) in [
        ("EHLO client.test", "250"),
        ("MAIL FROM:<a@example.vn>", "250"),
        ("RCPT TO:<b@example.vn>", "250"),
        ("DATA", "354"),
    ] {
        writer.write_all(format!("{command}\r\n").as_bytes()).unwrap();
        expect(code, &mut reader);
    }
    writer.write_all(b"Subject: x\r\n\r\n..leading dot\r\n.\r\n").unwrap();
    expect("250", &mut reader);
    writer.write_all(b"QUIT\r\n").unwrap();
    expect("221", &mut reader);
    let mail = sink.wait_for(1, Duration::from_secs(5)).remove(0);
    assert_eq!((mail.from.as_str(), mail.to.as_slice()), ("a@example.vn", &["b@example.vn".to_owned()][..]));
    assert_eq!(mail.data, "Subject: x\r\n\r\n.leading dot\r\n");
}
