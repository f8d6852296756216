//! The Vietnamese templates: a subject, a plain-text body and an HTML body per notification,
//! written as plain Rust so that every interpolated value goes through `escape_html` in the HTML
//! part. Links are built on the configured public address (`TIEPDAN_PUBLIC_URL`).

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{CaseFacts, CitizenLetter, ClockReminder, DialogueChange, Notification};

/// A message ready for the mailer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

const SIGNATURE: &str = "Ban Tiếp công dân tỉnh. Thư này được gửi tự động, xin đừng trả lời.";

/// What a message says, before it is laid out as plain text and HTML.
struct Letter {
    subject: String,
    /// "Kính gửi …".
    greeting: String,
    intro: String,
    facts: Vec<(String, String)>,
    /// Lines after the facts (the digest's list of overdue cases).
    list: Vec<String>,
    todo: String,
    /// (label, address).
    link: (String, String),
}

fn due_text(due_on: Option<NaiveDate>) -> String {
    due_on.map(vietnamese_date).unwrap_or_else(|| "chưa xác định".to_owned())
}

fn case_facts(case: &CaseFacts) -> Vec<(String, String)> {
    vec![
        ("Mã vụ việc".into(), case.code.clone()),
        ("Tiêu đề".into(), case.title.clone()),
        ("Trạng thái".into(), case.status.label_vi().into()),
        ("Hạn giải quyết".into(), due_text(case.due_on)),
    ]
}

fn staff_greeting(name: &str) -> String {
    format!("Kính gửi đồng chí {},", one_line(name))
}

fn citizen_greeting(name: &str) -> String {
    format!("Kính gửi Ông/Bà {},", one_line(name))
}

/// The citizen letters: what happened, and what the citizen may do next.
fn citizen_letter(notification: &Notification, letter: &CitizenLetter, public_url: &str) -> Letter {
    let code = &letter.case.code;
    let (headline, intro, todo) = match notification {
        Notification::CitizenReceipt(_) => (
            "Giấy báo đã tiếp nhận đơn",
            format!("Ban Tiếp công dân tỉnh đã tiếp nhận đơn của Ông/Bà; vụ việc được ghi số {code}."),
            "Ông/Bà vui lòng giữ mã vụ việc để tra cứu và ghi mã này khi liên hệ. Kết quả xử lý đơn \
             sẽ được thông báo trong thời hạn luật định.",
        ),
        Notification::CitizenAccepted(_) => (
            "Thông báo thụ lý",
            format!("Đơn của Ông/Bà (vụ việc {code}) đã được thụ lý giải quyết."),
            "Ông/Bà không cần làm gì thêm; khi cần, cơ quan giải quyết sẽ mời Ông/Bà cung cấp thông tin, \
             tài liệu. Kết quả giải quyết sẽ được gửi đến Ông/Bà.",
        ),
        Notification::CitizenNotAccepted(_) => (
            "Thông báo không thụ lý",
            format!("Đơn của Ông/Bà (vụ việc {code}) không được thụ lý giải quyết."),
            "Lý do được nêu trong văn bản thông báo gửi kèm theo đường bưu điện. Nếu có tài liệu, \
             chứng cứ mới, Ông/Bà có thể gửi lại đơn theo quy định.",
        ),
        Notification::CitizenTransferred(_) => (
            "Thông báo chuyển đơn",
            format!("Đơn của Ông/Bà (vụ việc {code}) đã được chuyển đến cơ quan có thẩm quyền giải quyết."),
            "Ông/Bà vui lòng theo dõi và liên hệ với cơ quan tiếp nhận đơn nêu dưới đây.",
        ),
        Notification::CitizenGuided(_) => (
            "Hướng dẫn gửi đơn",
            format!("Đơn của Ông/Bà (vụ việc {code}) không thuộc thẩm quyền giải quyết của cơ quan chúng tôi."),
            "Ông/Bà vui lòng gửi đơn đến cơ quan có thẩm quyền nêu dưới đây.",
        ),
        _ => (
            "Thông báo kết quả giải quyết",
            format!("Vụ việc {code} của Ông/Bà đã có quyết định / kết luận / trả lời."),
            "Ông/Bà vui lòng xem văn bản gửi kèm. Nếu không đồng ý với kết quả, Ông/Bà có quyền khiếu nại, \
             tố cáo tiếp hoặc khởi kiện theo quy định của pháp luật.",
        ),
    };
    let mut facts = case_facts(&letter.case);
    facts.extend(letter.details.iter().cloned());
    Letter {
        subject: format!("[{code}] {headline}"),
        greeting: citizen_greeting(&letter.citizen),
        intro,
        facts,
        list: Vec::new(),
        todo: format!("Việc cần làm: {todo}"),
        link: ("Ban Tiếp công dân tỉnh".into(), public_url.to_owned()),
    }
}

fn clock_reminder(reminder: &ClockReminder, overdue: bool, public_url: &str) -> Letter {
    let code = &reminder.case.code;
    let clock = reminder.clock.label_vi().to_lowercase();
    let due = vietnamese_date(reminder.clock_due_on);
    let (subject, intro, todo) = if overdue {
        (
            format!("[{code}] Quá hạn {clock} {} ngày: {}", reminder.days_overdue, shorten(&reminder.case.title, 80)),
            format!(
                "Thời hạn {clock} của vụ việc {code} đã hết ngày {due}; vụ việc đã quá hạn {} ngày.",
                reminder.days_overdue
            ),
            "Việc cần làm: hoàn thành ngay bước xử lý còn lại, hoặc gia hạn, tạm đình chỉ theo quy định \
             và ghi rõ lý do vào hồ sơ.",
        )
    } else {
        (
            format!("[{code}] Sắp đến hạn {clock} ({due}): {}", shorten(&reminder.case.title, 80)),
            format!("Thời hạn {clock} của vụ việc {code} sẽ hết vào ngày {due}."),
            "Việc cần làm: kiểm tra hồ sơ và hoàn thành bước xử lý trước hạn.",
        )
    };
    let mut facts = case_facts(&reminder.case);
    facts.push(("Thời hạn".into(), reminder.clock.label_vi().into()));
    facts.push(("Ngày hết hạn".into(), due));
    if overdue {
        facts.push(("Số ngày quá hạn".into(), reminder.days_overdue.to_string()));
    }
    Letter {
        subject,
        greeting: staff_greeting(&reminder.recipient),
        intro,
        facts,
        list: Vec::new(),
        todo: todo.into(),
        link: ("Xem vụ việc".into(), format!("{public_url}/cases/{}", reminder.case.case_id)),
    }
}

fn letter(notification: &Notification, public_url: &str) -> Letter {
    match notification {
        Notification::CaseAssigned { case_id, code, title, status, due_on, handler } => {
            let case = CaseFacts {
                case_id: *case_id,
                code: code.clone(),
                title: title.clone(),
                status: *status,
                due_on: *due_on,
            };
            Letter {
                subject: format!("[{code}] Vụ việc được giao cho đồng chí xử lý: {}", shorten(title, 80)),
                greeting: staff_greeting(handler),
                intro: format!("Vụ việc {code} vừa được giao cho đồng chí xử lý."),
                facts: case_facts(&case),
                list: Vec::new(),
                todo: "Việc cần làm: mở hồ sơ vụ việc, kiểm tra thời hạn và thực hiện bước xử lý tiếp theo \
                       theo quy trình."
                    .into(),
                link: ("Xem vụ việc".into(), format!("{public_url}/cases/{case_id}")),
            }
        }
        Notification::DeadlineSoon(reminder) => clock_reminder(reminder, false, public_url),
        Notification::DeadlineOverdue(reminder) => clock_reminder(reminder, true, public_url),
        Notification::CitizenReceipt(l)
        | Notification::CitizenAccepted(l)
        | Notification::CitizenNotAccepted(l)
        | Notification::CitizenTransferred(l)
        | Notification::CitizenGuided(l)
        | Notification::CitizenDecided(l) => citizen_letter(notification, l, public_url),
        Notification::DialogueInvitation { case, change, scheduled_at, location, chair, participant, .. } => {
            let at = scheduled_at.with_timezone(&crate::time::vietnam()).format("%H:%M ngày %d/%m/%Y").to_string();
            let code = &case.code;
            let (headline, intro, todo) = match change {
                DialogueChange::Scheduled => (
                    "Giấy mời đối thoại",
                    format!("Trân trọng kính mời Ông/Bà tham dự buổi đối thoại về vụ việc {code}."),
                    "Việc cần làm: Ông/Bà vui lòng có mặt đúng giờ, mang theo giấy tờ tùy thân và tài liệu liên \
                     quan; nếu vắng mặt, xin báo trước và nêu lý do.",
                ),
                DialogueChange::Rescheduled => (
                    "Thay đổi lịch đối thoại",
                    format!("Buổi đối thoại về vụ việc {code} đã thay đổi; thời gian và địa điểm mới như sau."),
                    "Việc cần làm: Ông/Bà vui lòng tham dự theo lịch mới; nếu vắng mặt, xin báo trước và nêu \
                     lý do.",
                ),
                DialogueChange::Cancelled => (
                    "Hủy buổi đối thoại",
                    format!("Buổi đối thoại về vụ việc {code} dự kiến dưới đây đã bị hủy."),
                    "Việc cần làm: Ông/Bà không phải đến theo lịch này; lịch mới (nếu có) sẽ được thông báo sau.",
                ),
            };
            let mut facts = case_facts(case);
            facts.push(("Thời gian".into(), at.clone()));
            facts.push(("Địa điểm".into(), location.clone()));
            facts.push(("Chủ trì".into(), chair.clone()));
            Letter {
                subject: format!("[{code}] {headline}: {at}"),
                greeting: citizen_greeting(participant),
                intro,
                facts,
                list: Vec::new(),
                todo: todo.into(),
                link: ("Ban Tiếp công dân tỉnh".into(), public_url.to_owned()),
            }
        }
        Notification::WeeklyBacklog { week, head, figures } => {
            let as_of = figures.as_of.map(vietnamese_date).unwrap_or_default();
            let mut facts = vec![("Tổng số vụ việc đang giải quyết".to_owned(), figures.open_total.to_string())];
            for (kind, count) in &figures.by_kind {
                facts.push((format!("– {}", kind.label_vi()), count.to_string()));
            }
            facts.push(("Quá hạn".into(), figures.overdue.to_string()));
            facts.push(("Sắp đến hạn".into(), figures.due_soon.to_string()));
            let list = figures
                .most_overdue
                .iter()
                .map(|line| {
                    format!("{}: hạn {}, quá hạn {} ngày", line.code, vietnamese_date(line.due_on), line.days_overdue)
                })
                .collect();
            Letter {
                subject: format!("Báo cáo tồn đọng tuần {week}: {} vụ việc quá hạn", figures.overdue),
                greeting: staff_greeting(head),
                intro: format!("Tình hình vụ việc đang giải quyết tính đến ngày {as_of}."),
                facts,
                list,
                todo: "Việc cần làm: chỉ đạo xử lý các vụ việc quá hạn, ưu tiên các vụ việc quá hạn lâu nhất \
                       nêu trên."
                    .into(),
                link: ("Xem danh sách vụ việc".into(), format!("{public_url}/cases")),
            }
        }
    }
}

/// Renders a notification; `public_url` has no trailing slash.
pub fn render(notification: &Notification, public_url: &str) -> RenderedMail {
    let letter = letter(notification, public_url);
    RenderedMail { subject: one_line(&letter.subject), text: text_body(&letter), html: html_body(&letter) }
}

fn text_body(letter: &Letter) -> String {
    let mut out = format!("{}\n\n{}\n\n", letter.greeting, letter.intro);
    for (label, value) in &letter.facts {
        let _ = writeln!(out, "{label}: {}", one_line(value));
    }
    if !letter.list.is_empty() {
        out.push('\n');
        for line in &letter.list {
            let _ = writeln!(out, "- {}", one_line(line));
        }
    }
    let (label, link) = &letter.link;
    let _ = write!(out, "\n{}\n{label}: {link}\n\n-- \n{SIGNATURE}\n", letter.todo);
    out
}

fn html_body(letter: &Letter) -> String {
    let mut rows = String::new();
    for (label, value) in &letter.facts {
        let _ = write!(
            rows,
            "<tr><th style=\"text-align:left;padding-right:1em\">{}</th><td>{}</td></tr>",
            escape_html(label),
            escape_html(value)
        );
    }
    let mut list = String::new();
    if !letter.list.is_empty() {
        list.push_str("<ul>");
        for line in &letter.list {
            let _ = write!(list, "<li>{}</li>", escape_html(line));
        }
        list.push_str("</ul>\n");
    }
    let (label, link) = &letter.link;
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n\
         <p>{greeting}</p>\n<p>{intro}</p>\n<table>{rows}</table>\n{list}<p>{todo}</p>\n\
         <p><a href=\"{href}\">{label}</a></p>\n<hr><p style=\"color:#666\">{signature}</p>\n</body></html>\n",
        title = escape_html(&letter.subject),
        greeting = escape_html(&letter.greeting),
        intro = escape_html(&letter.intro),
        todo = escape_html(&letter.todo),
        href = escape_html(link),
        label = escape_html(label),
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
