//! The CSV form of the reports (DOMAIN.md §11): UTF-8 with a byte-order mark so that spreadsheet
//! programs show Vietnamese, a header row first, then each table of the report one after another,
//! each with a title row and its own header row, labelled in Vietnamese (vocabulary `label_vi`).

use super::Official;
use super::backlog::Backlog;
use super::period::PeriodReport;
use super::prolonged::ProlongedReport;

const BOM: &str = "\u{feff}";

/// A CSV document built table by table.
#[derive(Debug, Default)]
struct Sheet {
    lines: Vec<String>,
}

impl Sheet {
    fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let line = cells.iter().map(|c| quote(c.as_ref())).collect::<Vec<_>>().join(",");
        self.lines.push(line);
    }

    /// A table: a blank line, its title, its header and its rows.
    fn table(&mut self, title: &str, header: &[&str], rows: Vec<Vec<String>>) {
        self.lines.push(String::new());
        self.row(&[title]);
        self.row(header);
        for row in rows {
            self.row(&row);
        }
    }

    fn finish(self) -> String {
        let mut text = String::from(BOM);
        for line in self.lines {
            text.push_str(&line);
            text.push_str("\r\n");
        }
        text
    }
}

/// RFC 4180 quoting; a cell that a spreadsheet would take for a formula is prefixed with `'`
/// (OWASP CSV injection).
fn quote(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell }
}

fn official(official: &Option<Official>) -> String {
    official.as_ref().map_or_else(|| "Chưa phân công".to_owned(), |o| o.full_name.clone())
}

fn figure(label: &str, value: impl ToString) -> Vec<String> {
    vec![label.to_owned(), value.to_string()]
}

pub fn backlog(report: &Backlog) -> String {
    let mut sheet = Sheet::default();
    sheet.row(&["Chỉ tiêu", "Giá trị"]);
    let rate = report.on_time.rate.map_or_else(String::new, |r| format!("{:.4}", r));
    for row in [
        figure("Báo cáo", "Tồn đọng vụ việc"),
        figure("Tính đến ngày", report.as_of),
        figure("Tổng số vụ việc đang giải quyết", report.open_total),
        figure("Số vụ việc quá hạn", report.overdue.total),
        figure("Số vụ việc sắp đến hạn", report.due_soon.total),
        figure("Kỳ tính đúng hạn từ ngày", report.on_time.from),
        figure("Kỳ tính đúng hạn đến ngày", report.on_time.to),
        figure("Giải quyết đúng hạn", report.on_time.on_time),
        figure("Giải quyết trễ hạn", report.on_time.late),
        figure("Tỷ lệ đúng hạn", rate),
    ] {
        sheet.row(&row);
    }
    sheet.table(
        "Theo loại và trạng thái",
        &["Loại vụ việc", "Trạng thái", "Số vụ việc"],
        report
            .by_kind_status
            .iter()
            .map(|c| vec![c.kind.label_vi().to_owned(), c.status.label_vi().to_owned(), c.count.to_string()])
            .collect(),
    );
    sheet.table(
        "Theo lĩnh vực",
        &["Lĩnh vực", "Số vụ việc"],
        report.by_field.iter().map(|c| vec![c.field.label_vi().to_owned(), c.count.to_string()]).collect(),
    );
    sheet.table(
        "Theo cán bộ xử lý",
        &["Cán bộ xử lý", "Đang giải quyết", "Quá hạn"],
        report
            .by_handler
            .iter()
            .map(|h| vec![official(&h.handler), h.open.to_string(), h.overdue.to_string()])
            .collect(),
    );
    for (title, counts) in
        [("Thời hạn quá hạn theo loại", &report.overdue), ("Thời hạn sắp đến hạn theo loại", &report.due_soon)]
    {
        sheet.table(
            title,
            &["Thời hạn", "Số thời hạn"],
            counts.by_clock.iter().map(|c| vec![c.clock.label_vi().to_owned(), c.count.to_string()]).collect(),
        );
    }
    sheet.table(
        "Thời gian tồn đọng (ngày kể từ khi tiếp nhận)",
        &["Nhóm ngày", "Số vụ việc"],
        report.aging.iter().map(|a| vec![a.bucket.clone(), a.count.to_string()]).collect(),
    );
    sheet.table(
        "Vụ việc quá hạn lâu nhất",
        &["Mã vụ việc", "Tiêu đề", "Hạn giải quyết", "Số ngày quá hạn", "Cán bộ xử lý"],
        report
            .most_overdue
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    c.title.clone(),
                    c.due_on.to_string(),
                    c.days_overdue.to_string(),
                    official(&c.assignee),
                ]
            })
            .collect(),
    );
    sheet.finish()
}

fn flag_label(name: &str) -> &str {
    match name {
        "prolonged" => "Kéo dài",
        "repeat" => "Nhiều lần",
        "mass" => "Đông người",
        other => other,
    }
}

pub fn prolonged(report: &ProlongedReport) -> String {
    let mut sheet = Sheet::default();
    sheet.row(&["Chỉ tiêu", "Giá trị"]);
    sheet.row(&figure("Báo cáo", "Vụ việc phức tạp, kéo dài, đông người"));
    sheet.row(&figure("Tính đến ngày", report.as_of));
    sheet.row(&figure("Số vụ việc", report.items.len()));
    sheet.table(
        "Danh sách vụ việc",
        &[
            "Mã vụ việc",
            "Loại vụ việc",
            "Lần",
            "Trạng thái",
            "Đặc điểm",
            "Tiếp nhận lần đầu",
            "Số ngày",
            "Lượt tiếp",
            "Đơn thư",
            "Cán bộ xử lý",
            "Vụ việc liên quan",
        ],
        report
            .items
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    c.kind.label_vi().to_owned(),
                    c.round.to_string(),
                    c.status.label_vi().to_owned(),
                    c.flags.iter().map(|f| flag_label(f)).collect::<Vec<_>>().join("; "),
                    crate::time::vietnam_date(c.first_received_at).to_string(),
                    c.days_open.to_string(),
                    c.visits.to_string(),
                    c.letters.to_string(),
                    official(&c.assignee),
                    c.linked
                        .iter()
                        .map(|l| format!("{} (lần {}, {})", l.code, l.round, l.status.label_vi()))
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            })
            .collect(),
    );
    sheet.table(
        "Điểm nóng (lĩnh vực, địa bàn)",
        &["Lĩnh vực", "Địa bàn", "Đang giải quyết", "Nhiều lần", "Đông người", "Kéo dài"],
        report
            .hotspots
            .iter()
            .map(|h| {
                vec![
                    h.field.label_vi().to_owned(),
                    h.locality.clone().unwrap_or_else(|| "Không rõ".to_owned()),
                    h.open.to_string(),
                    h.repeat.to_string(),
                    h.mass.to_string(),
                    h.prolonged.to_string(),
                ]
            })
            .collect(),
    );
    sheet.finish()
}

pub fn period(report: &PeriodReport) -> String {
    let mut sheet = Sheet::default();
    sheet.row(&["Chỉ tiêu", "Giá trị"]);
    sheet.row(&figure("Báo cáo", "Kết quả tiếp công dân, xử lý đơn, giải quyết (Thông tư 01/2024/TT-TTCP)"));
    sheet.row(&figure("Từ ngày", report.from));
    sheet.row(&figure("Đến ngày", report.to));
    let r = &report.reception;
    sheet.table(
        "Biểu 01/TCD: Tiếp công dân",
        &["Chỉ tiêu", "Giá trị"],
        vec![
            figure("Số lượt tiếp", r.visits),
            figure("Số người được tiếp", r.persons),
            figure("Vụ việc tiếp lần đầu", r.cases_first),
            figure("Vụ việc tiếp nhiều lần", r.cases_repeat),
            figure("Số đoàn đông người", r.delegations),
        ],
    );
    sheet.table(
        "Tiếp công dân theo hình thức",
        &["Hình thức tiếp", "Số lượt tiếp", "Số người"],
        r.by_mode
            .iter()
            .map(|m| vec![m.mode.label_vi().to_owned(), m.visits.to_string(), m.persons.to_string()])
            .collect(),
    );
    let l = &report.letters;
    sheet.table(
        "Biểu 01/XLD: Xử lý đơn",
        &["Chỉ tiêu", "Giá trị"],
        vec![
            figure("Kỳ trước chuyển sang", l.carried_over),
            figure("Tiếp nhận trong kỳ", l.received),
            figure("Đã xử lý", l.processed),
            figure("Đủ điều kiện xử lý", l.eligible),
            figure("Thuộc thẩm quyền (đã thụ lý)", l.in_competence),
            figure("Hướng dẫn", l.guided),
            figure("Chuyển đơn", l.transferred),
            figure("Văn bản trả lời nhận được", l.replies_received),
        ],
    );
    sheet.table(
        "Đơn tiếp nhận theo loại",
        &["Loại vụ việc", "Số đơn"],
        l.by_kind.iter().map(|k| vec![k.kind.label_vi().to_owned(), k.count.to_string()]).collect(),
    );
    let s = &report.resolution;
    sheet.table(
        "Biểu 01/KQGQ: Kết quả giải quyết",
        &["Chỉ tiêu", "Giá trị"],
        vec![
            figure("Đã thụ lý", s.accepted),
            figure("Đã giải quyết", s.resolved),
            figure("Đúng thời hạn", s.on_time),
            figure("Quá thời hạn", s.late),
        ],
    );
    sheet.table(
        "Kết quả giải quyết theo nội dung",
        &["Kết quả", "Số vụ việc"],
        s.outcomes.iter().map(|o| vec![o.outcome.label_vi().to_owned(), o.count.to_string()]).collect(),
    );
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(quote("Khiếu nại"), "Khiếu nại");
        assert_eq!(quote("a, b"), "\"a, b\"");
        assert_eq!(quote("nói \"không\""), "\"nói \"\"không\"\"\"");
        assert_eq!(quote("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(quote("-5"), "-5");
    }

    #[test]
    fn a_sheet_starts_with_the_byte_order_mark_and_a_header() {
        let mut sheet = Sheet::default();
        sheet.row(&["Chỉ tiêu", "Giá trị"]);
        sheet.table("Bảng", &["A", "B"], vec![vec!["1".into(), "2".into()]]);
        assert_eq!(sheet.finish(), "\u{feff}Chỉ tiêu,Giá trị\r\n\r\nBảng\r\nA,B\r\n1,2\r\n");
    }
}
