//! Delivery: SMTP through lettre when `TIEPDAN_SMTP_URL` is set (TLS per lettre's URL syntax:
//! `smtps://` or `?tls=required|opportunistic`, through rustls), otherwise one `.eml` file per
//! message in the mail folder. The outbox id becomes the `Message-ID` (REL-08), so a message
//! re-sent after a crash between the SMTP 250 and the `sent` update can be recognised.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::templates::RenderedMail;
use crate::config::Settings;

/// How long one SMTP exchange may take; well under the outbox lease, so that no other worker
/// takes over a row that is still being sent.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// One message to deliver.
#[derive(Debug, Clone, Copy)]
pub struct OutgoingMail<'a> {
    pub outbox_id: i64,
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub content: &'a RenderedMail,
}

/// Why a delivery failed, as the retry rules need it (REL-08).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: 4xx answers, refused connections, timeouts, network errors.
    #[error("{0}")]
    Transient(String),
    /// Trying again cannot help: 5xx answers, an address that cannot be parsed.
    #[error("{0}")]
    Permanent(String),
}

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox, server: String },
    Files { dir: PathBuf, from: Mailbox },
}

impl std::fmt::Debug for Mailer {
    // The SMTP URL may hold a password: only the host is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The `Message-ID` of an outbox row.
pub fn message_id(outbox_id: i64) -> String {
    format!("<outbox-{outbox_id}@tiepdan>")
}

impl Mailer {
    /// The mailer the settings ask for. Nothing is contacted yet.
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let from: Mailbox =
            settings.mail_from.parse().map_err(|e| format!("TIEPDAN_MAIL_FROM is not a mailbox: {e}"))?;
        match &settings.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| format!("TIEPDAN_SMTP_URL: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                let server = url::host_of(url.expose());
                Ok(Mailer::Smtp { transport, from, server })
            }
            None => Ok(Mailer::Files { dir: settings.mail_dir.clone(), from }),
        }
    }

    /// For the log: the SMTP host or the folder, never credentials.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp { server, .. } => format!("smtp {server}"),
            Mailer::Files { dir, .. } => format!("files in {}", dir.display()),
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Files { from, .. } => from,
        }
    }

    /// Builds the MIME message: UTF-8 plain text and HTML alternatives; lettre encodes the
    /// subject and display names (RFC 2047) and picks the body transfer encoding.
    pub fn message(&self, mail: &OutgoingMail<'_>) -> Result<Message, SendError> {
        let address = mail
            .to_email
            .trim()
            .parse()
            .map_err(|e| SendError::Permanent(format!("the recipient address is not valid: {e}")))?;
        let to = Mailbox::new(Some(mail.to_name.to_owned()).filter(|n| !n.trim().is_empty()), address);
        Message::builder()
            .message_id(Some(message_id(mail.outbox_id)))
            .from(self.from().clone())
            .to(to)
            .subject(mail.content.subject.clone())
            .multipart(MultiPart::alternative_plain_html(mail.content.text.clone(), mail.content.html.clone()))
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
    }

    /// Delivers one message. Success means the SMTP server answered 250 to the data (or the
    /// file is complete on disk).
    pub async fn send(&self, mail: &OutgoingMail<'_>) -> Result<(), SendError> {
        let message = self.message(mail)?;
        match self {
            Mailer::Smtp { transport, .. } => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) => Err(classify(&e)),
            },
            Mailer::Files { dir, .. } => {
                let dir = dir.clone();
                let name = format!("outbox-{}.eml", mail.outbox_id);
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_file(&dir, &name, &bytes))
                    .await
                    .map_err(|e| SendError::Transient(format!("the file writer stopped: {e}")))?
            }
        }
    }
}

/// lettre's classification (REL-08): 5xx and client-side errors are permanent; 4xx, refused
/// connections, timeouts, network and TLS trouble are transient.
fn classify(error: &lettre::transport::smtp::Error) -> SendError {
    let text = describe_error(error);
    if error.is_permanent() || error.is_client() { SendError::Permanent(text) } else { SendError::Transient(text) }
}

/// The error with its causes, on one line.
fn describe_error(error: &lettre::transport::smtp::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Writes the file under a temporary name and renames it, so that a reader never sees half a
/// message; a re-sent message replaces its own file.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), SendError> {
    let fail = |e: std::io::Error| SendError::Transient(format!("cannot write {}: {e}", dir.join(name).display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let temporary = dir.join(format!(".{name}.tmp"));
    std::fs::write(&temporary, bytes).map_err(fail)?;
    std::fs::rename(&temporary, dir.join(name)).map_err(fail)
}

mod url {
    /// `host[:port]` of an SMTP URL, without user or password.
    pub fn host_of(url: &str) -> String {
        let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        authority.rsplit_once('@').map(|(_, host)| host).unwrap_or(authority).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())).unwrap()
    }

    fn content() -> RenderedMail {
        RenderedMail {
            subject: "[KN-2026-000001] Vụ việc được giao".into(),
            text: "Kính gửi đồng chí Bình".into(),
            html: "<p>Kính gửi đồng chí Bình</p>".into(),
        }
    }

    // The SMTP pool starts a background task, so it needs a runtime.
    #[tokio::test]
    async fn the_smtp_host_is_described_without_credentials() {
        let mailer = Mailer::from_settings(&settings(&[(
            "TIEPDAN_SMTP_URL",
            "smtp://user:hunter2@mail.example.gov.vn:587?tls=required",
        )]))
        .unwrap();
        assert_eq!(mailer.describe(), "smtp mail.example.gov.vn:587");
        assert!(!format!("{mailer:?}").contains("hunter2"));
    }

    #[test]
    fn messages_carry_the_outbox_id_and_encoded_headers() {
        let mailer =
            Mailer::from_settings(&settings(&[("TIEPDAN_MAIL_FROM", "Ban Tiếp công dân <no-reply@example.gov.vn>")]))
                .unwrap();
        let content = content();
        let mail = OutgoingMail {
            outbox_id: 17,
            to_name: "Trần Thị Bình",
            to_email: "binh@example.gov.vn",
            content: &content,
        };
        let text = String::from_utf8(mailer.message(&mail).unwrap().formatted()).unwrap();
        assert!(text.contains("Message-ID: <outbox-17@tiepdan>"), "{text}");
        assert!(text.is_ascii(), "headers and bodies are encoded: {text}");
        let subject = text.lines().find(|l| l.starts_with("Subject: ")).unwrap();
        assert!(subject.starts_with("Subject: [KN-2026-000001] =?utf-8?b?"), "{subject}");
        assert!(text.contains("charset=utf-8"), "{text}");
    }

    #[test]
    fn a_bad_recipient_address_is_permanent() {
        let mailer = Mailer::from_settings(&settings(&[])).unwrap();
        let content = content();
        let mail = OutgoingMail { outbox_id: 1, to_name: "x", to_email: "not an address", content: &content };
        assert!(matches!(mailer.message(&mail), Err(SendError::Permanent(_))));
    }
}
