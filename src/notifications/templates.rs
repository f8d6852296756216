//! The Vietnamese templates: a subject, a plain-text body and an HTML body per notification,
//! written as plain Rust so that every interpolated value goes through `escape_html` in the HTML
//! part. Links are built on the configured public address (`TIEPDAN_PUBLIC_URL`).

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::Notification;

/// A message ready for the mailer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

const SIGNATURE: &str = "Ban Tiếp công dân tỉnh. Thư này được gửi tự động, xin đừng trả lời.";

/// Renders a notification; `public_url` has no trailing slash.
pub fn render(notification: &Notification, public_url: &str) -> RenderedMail {
    match notification {
        Notification::CaseAssigned { case_id, code, title, status, due_on, handler } => {
            let link = format!("{public_url}/cases/{case_id}");
            let due = due_on.map(vietnamese_date).unwrap_or_else(|| "chưa xác định".to_owned());
            let subject = format!("[{code}] Vụ việc được giao cho đồng chí xử lý: {}", shorten(title, 80));
            let facts = [
                ("Mã vụ việc", code.as_str()),
                ("Tiêu đề", title.as_str()),
                ("Trạng thái", status.label_vi()),
                ("Hạn giải quyết", due.as_str()),
            ];
            let intro = format!("Vụ việc {code} vừa được giao cho đồng chí xử lý.");
            let todo = "Việc cần làm: mở hồ sơ vụ việc, kiểm tra thời hạn và thực hiện bước xử lý tiếp theo \
                        theo quy trình.";
            RenderedMail {
                subject: one_line(&subject),
                text: text_body(handler, &intro, &facts, todo, &link),
                html: html_body(&subject, handler, &intro, &facts, todo, &link),
            }
        }
    }
}

fn text_body(name: &str, intro: &str, facts: &[(&str, &str)], todo: &str, link: &str) -> String {
    let mut out = format!("Kính gửi đồng chí {},\n\n{intro}\n\n", one_line(name));
    for (label, value) in facts {
        let _ = writeln!(out, "{label}: {}", one_line(value));
    }
    let _ = write!(out, "\n{todo}\nXem vụ việc: {link}\n\n-- \n{SIGNATURE}\n");
    out
}

fn html_body(subject: &str, name: &str, intro: &str, facts: &[(&str, &str)], todo: &str, link: &str) -> String {
    let mut rows = String::new();
    for (label, value) in facts {
        let _ = write!(
            rows,
            "<tr><th style=\"text-align:left;padding-right:1em\">{}</th><td>{}</td></tr>",
            escape_html(label),
            escape_html(value)
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n\
         <p>Kính gửi đồng chí {name},</p>\n<p>{intro}</p>\n<table>{rows}</table>\n<p>{todo}</p>\n\
         <p><a href=\"{href}\">Xem vụ việc</a></p>\n<hr><p style=\"color:#666\">{signature}</p>\n</body></html>\n",
        title = escape_html(subject),
        name = escape_html(name),
        intro = escape_html(intro),
        todo = escape_html(todo),
        href = escape_html(link),
        signature = escape_html(SIGNATURE),
    )
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `dd/mm/yyyy`, the way Vietnamese documents write dates.
pub fn vietnamese_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Control characters (line breaks above all) become spaces: a value never starts a new header
/// or a new line of the plain-text body.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocab::CaseStatus;

    fn assigned(title: &str) -> Notification {
        Notification::CaseAssigned {
            case_id: 42,
            code: "KN-2026-000042".into(),
            title: title.into(),
            status: CaseStatus::Accepted,
            due_on: NaiveDate::from_ymd_opt(2026, 12, 31),
            handler: "Nguyễn <Văn> An".into(),
        }
    }

    #[test]
    fn case_assigned_names_the_case_status_due_date_and_link() {
        let mail = render(&assigned("Khiếu nại quyết định thu hồi đất"), "https://tiepdan.example.gov.vn");
        assert_eq!(
            mail.subject,
            "[KN-2026-000042] Vụ việc được giao cho đồng chí xử lý: Khiếu nại quyết định thu hồi đất"
        );
        for body in [&mail.text, &mail.html] {
            assert!(body.contains("KN-2026-000042"), "{body}");
            assert!(body.contains("Đã thụ lý"), "{body}");
            assert!(body.contains("31/12/2026"), "{body}");
            assert!(body.contains("https://tiepdan.example.gov.vn/cases/42"), "{body}");
            assert!(body.contains("Việc cần làm"), "{body}");
        }
        assert!(mail.text.contains("Kính gửi đồng chí Nguyễn <Văn> An,"));
    }

    #[test]
    fn every_value_is_escaped_in_html_and_kept_on_one_line() {
        let mail = render(&assigned("<script>alert(\"x\")</script>\r\nBcc: evil@example.com"), "http://h");
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
        assert!(mail.html.contains("Nguyễn &lt;Văn&gt; An"));
        assert!(!mail.subject.contains('\n') && !mail.subject.contains('\r'));
        assert!(!mail.text.contains("\r\nBcc"));
    }

    #[test]
    fn long_titles_are_shortened_in_the_subject_only() {
        let title = "đ".repeat(200);
        let mail = render(&assigned(&title), "http://h");
        assert!(mail.subject.ends_with('…'));
        assert!(mail.subject.chars().count() < 140);
        assert!(mail.text.contains(&title));
    }
}
