//! Demonstration data (`tiepdan seed-demo`): the reception board of Thanh Hóa province after
//! some fifteen months of work, so that a newcomer sees a living system at once.
//!
//! Every case is told as a story of dated steps (received fourteen months ago, accepted a few
//! days later, a dialogue, a decision…) and the steps of all stories are replayed in time order
//! through the use cases, each at its own instant. Codes, register numbers, timelines, due
//! dates, flags, audit entries and queued notifications are therefore exactly what the
//! application writes. The dates are counted back from today, and the decisions of this and the
//! previous official quarter from the quarters' cut-off, so that the backlog, the prolonged
//! cases and the quarterly tables have something to show whatever the day.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::Value;

use crate::auth::password::generate_password;
use crate::domain::case::{CaseInput, CasePatch, FlagChanges, PersonInput, principal_role};
use crate::domain::citizen::CitizenInput;
use crate::domain::dialogue::{ChangeInput, DialogueStatus, MinutesInput, ParticipantInput, ScheduleInput};
use crate::domain::rounds::PartInput;
use crate::domain::visit::{NewCaseInput, VisitInput};
use crate::domain::vocab::{
    CaseKind, CaseSource, CaseStatus, ComplaintRejectGround, DenunciationRejectGround, DialogueRole, Field, FileReason,
    Gender, Outcome, PetitionRejectGround, Role, SuspensionGround, TerminationGround, VisitMode, VisitOutcome,
};
use crate::domain::workflow::{self, Command, RejectGround, Verifier};
use crate::persistence::{cases as case_store, dialogues as dialogue_store, users as user_store};
use crate::service::cases::{CaseView, IntakeInput};
use crate::service::rounds::FollowUpInput;
use crate::service::users::CreateUser;
use crate::service::{self, Actor, Context, ServiceError};
use crate::time::{vietnam_date, vietnam_day_start_utc};

/// An account of the demonstration staff, as shown to the person trying the system.
#[derive(Debug, Clone)]
pub struct Login {
    pub role: Role,
    pub username: String,
    pub full_name: String,
    /// The generated password; `None` when the account already existed and keeps its own.
    pub password: Option<String>,
}

/// What one run of `seed-demo` added.
#[derive(Debug, Clone, Default)]
pub struct Seeded {
    pub logins: Vec<Login>,
    pub cases_by_kind: BTreeMap<CaseKind, usize>,
    pub cases_by_status: BTreeMap<CaseStatus, usize>,
    pub citizens_registered: usize,
    /// Citizens of the demonstration already registered (a second run with `--force`).
    pub citizens_found: usize,
    pub visits: usize,
    pub group_visits: usize,
    pub dialogues_by_status: BTreeMap<&'static str, usize>,
}

impl Seeded {
    pub fn cases(&self) -> usize {
        self.cases_by_kind.values().sum()
    }

    pub fn dialogues(&self) -> usize {
        self.dialogues_by_status.values().sum()
    }

    /// The text printed on the console: what was added, then one login per role. Passwords are
    /// credentials: this goes to standard output only, never to the log.
    pub fn render(&self, bind: &str) -> String {
        let mut out = String::new();
        let list = |items: Vec<String>| items.join(", ");
        let _ = writeln!(out, "Demonstration data added:");
        let _ = writeln!(
            out,
            "  cases       {:>3}  ({})",
            self.cases(),
            list(self.cases_by_kind.iter().map(|(kind, n)| format!("{kind} {n}")).collect())
        );
        let _ = writeln!(
            out,
            "              by status: {}",
            list(self.cases_by_status.iter().map(|(status, n)| format!("{status} {n}")).collect())
        );
        let found = if self.citizens_found > 0 {
            format!(" (and {} already registered)", self.citizens_found)
        } else {
            String::new()
        };
        let _ = writeln!(out, "  citizens    {:>3}  registered{found}", self.citizens_registered);
        let _ = writeln!(out, "  visits      {:>3}  ({} of a group of five or more)", self.visits, self.group_visits);
        let _ = writeln!(
            out,
            "  dialogues   {:>3}  ({})",
            self.dialogues(),
            list(self.dialogues_by_status.iter().map(|(status, n)| format!("{status} {n}")).collect())
        );
        let _ = writeln!(out);
        let new_accounts = self.logins.iter().filter(|l| l.password.is_some()).count();
        let accounts = match new_accounts {
            0 => "Sign-in accounts, one per role (they already existed and keep their passwords):",
            n if n == self.logins.len() => "Sign-in accounts, one per role. The passwords are shown only this once:",
            _ => "Sign-in accounts, one per role. The new passwords are shown only this once:",
        };
        let _ = writeln!(out, "{accounts}");
        let _ = writeln!(out);
        let width = self.logins.iter().map(|l| l.username.len()).max().unwrap_or(8).max(8);
        let _ = writeln!(out, "  {:<13} {:<width$}  password", "role", "username");
        for login in &self.logins {
            let password = login.password.as_deref().unwrap_or("(existing account, password unchanged)");
            let _ = writeln!(out, "  {:<13} {:<width$}  {password}", login.role.as_str(), login.username);
        }
        let _ = writeln!(out);
        let head = self.logins.iter().find(|l| l.role == Role::Head).map_or("demo.head", |l| l.username.as_str());
        let _ = writeln!(out, "Start the service (`tiepdan serve`) and sign in, for example as the head:");
        let _ = writeln!(
            out,
            "  curl -s -X POST http://{bind}/api/v1/auth/login -H 'Content-Type: application/json' \\\n    -d '{{\"username\":\"{head}\",\"password\":\"<the password above>\"}}'"
        );
        out
    }
}

/// Fills the database with the demonstration: the staff accounts, then every story replayed in
/// time order up to `now`. A database that already holds cases is refused unless `force`.
pub fn seed(ctx: &Context, force: bool, now: DateTime<Utc>) -> Result<Seeded, ServiceError> {
    let held = super::case_count(ctx)?;
    if held > 0 && !force {
        let cases = if held == 1 { "case" } else { "cases" };
        return Err(ServiceError::conflict(
            "database_not_empty",
            format!(
                "the database already holds {held} {cases}; seed-demo fills an empty database \
                 (use --force to add the demonstration data anyway)"
            ),
        ));
    }
    let mut plan = Plan::new(ctx, now);
    // The staff were at work before the first story begins.
    let staff_since = plan.instant(STAFF_SINCE_DAYS, 7 * 60);
    let (staff, logins) = enrol_staff(ctx, staff_since)?;
    tell_stories(&mut plan);
    let Plan { mut steps, cases: case_slots, dialogues: dialogue_slots, .. } = plan;
    steps.sort_by_key(|step| (step.at, step.order));

    let mut desk = Desk::new(ctx, staff, case_slots, dialogue_slots);
    for step in steps {
        let Step { at, story, work, .. } = step;
        work(&mut desk, at).map_err(|err| {
            ServiceError::Internal(format!("the demonstration case “{story}” failed on {}: {err}", vietnam_date(at)))
        })?;
    }
    let mut seeded = desk.finish()?;
    seeded.logins = logins;
    tracing::info!(cases = seeded.cases(), visits = seeded.visits, "demonstration data added");
    Ok(seeded)
}

// ---------------------------------------------------------------------------------------------
// The staff

/// The first account is made this many days before today, before the oldest story.
const STAFF_SINCE_DAYS: i64 = 460;

struct StaffMember {
    role: Role,
    username: &'static str,
    full_name: &'static str,
    email: &'static str,
}

/// One account per role, and three handlers so that the loads differ.
const STAFF: [StaffMember; 7] = [
    StaffMember {
        role: Role::Receptionist,
        username: "demo.receptionist",
        full_name: "Phạm Thu Hà",
        email: "ha.pt@bantiepdan.example.gov.vn",
    },
    StaffMember {
        role: Role::Handler,
        username: "demo.handler1",
        full_name: "Nguyễn Văn Minh",
        email: "minh.nv@bantiepdan.example.gov.vn",
    },
    StaffMember {
        role: Role::Handler,
        username: "demo.handler2",
        full_name: "Trần Thị Lan",
        email: "lan.tt@bantiepdan.example.gov.vn",
    },
    StaffMember {
        role: Role::Handler,
        username: "demo.handler3",
        full_name: "Lê Quốc Bảo",
        email: "bao.lq@bantiepdan.example.gov.vn",
    },
    StaffMember {
        role: Role::Head,
        username: "demo.head",
        full_name: "Hoàng Văn Thắng",
        email: "thang.hv@bantiepdan.example.gov.vn",
    },
    StaffMember {
        role: Role::Auditor,
        username: "demo.auditor",
        full_name: "Đỗ Thị Hạnh",
        email: "hanh.dt@thanhtra.example.gov.vn",
    },
    StaffMember {
        role: Role::Admin,
        username: "demo.admin",
        full_name: "Vũ Đức Anh",
        email: "anh.vd@bantiepdan.example.gov.vn",
    },
];

/// The people who act in the stories.
struct Staff {
    receptionist: Actor,
    handlers: Vec<Actor>,
    head: Actor,
}

fn actor_of(user: &service::users::User) -> Actor {
    Actor {
        user_id: user.id,
        username: user.username.clone(),
        full_name: user.full_name.clone(),
        email: user.email.clone(),
        role: user.role,
        must_change_password: false,
        session_id: "seed-demo".into(),
        ip: None,
    }
}

/// Creates the staff accounts with random passwords, or takes an account of the same name and
/// role that a previous run made (it keeps its password).
fn enrol_staff(ctx: &Context, since: DateTime<Utc>) -> Result<(Staff, Vec<Login>), ServiceError> {
    let mut logins = Vec::new();
    let mut actors = Vec::new();
    for member in &STAFF {
        let existing = ctx.db.read(|conn| user_store::find_by_username(conn, member.username))?;
        let (user, password) = match existing {
            Some(user) if user.role == member.role && user.active => (user, None),
            Some(user) => {
                return Err(ServiceError::conflict(
                    "username_taken",
                    format!(
                        "the account `{}` already exists as {} {}; seed-demo needs it as an active {}",
                        user.username,
                        if user.active { "an active" } else { "an inactive" },
                        user.role,
                        member.role
                    ),
                ));
            }
            None => {
                let password = generate_password();
                let request = CreateUser {
                    username: member.username.into(),
                    full_name: member.full_name.into(),
                    email: Some(member.email.into()),
                    role: member.role,
                    password: password.clone(),
                    must_change_password: false,
                };
                (service::users::create(ctx, None, &request, since)?, Some(password))
            }
        };
        logins.push(Login {
            role: user.role,
            username: user.username.clone(),
            full_name: user.full_name.clone(),
            password,
        });
        actors.push(actor_of(&user));
    }
    let take = |role: Role| actors.iter().filter(move |a| a.role == role).cloned();
    let staff = Staff {
        receptionist: take(Role::Receptionist).next().expect("STAFF has a receptionist"),
        handlers: take(Role::Handler).collect(),
        head: take(Role::Head).next().expect("STAFF has a head"),
    };
    Ok((staff, logins))
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Receptionist,
    Handler(usize),
    Head,
}

const RECEPTION: Who = Who::Receptionist;
const HEAD: Who = Who::Head;
/// Nguyễn Văn Minh, the busiest handler.
const MINH: Who = Who::Handler(0);
/// Trần Thị Lan.
const LAN: Who = Who::Handler(1);
/// Lê Quốc Bảo, the newest, with the lightest load.
const BAO: Who = Who::Handler(2);

// ---------------------------------------------------------------------------------------------
// The citizens

struct Resident {
    name: &'static str,
    gender: Gender,
    born: i32,
    address: &'static str,
    email: Option<&'static str>,
}

const fn man(name: &'static str, born: i32, address: &'static str) -> Resident {
    Resident { name, gender: Gender::Male, born, address, email: None }
}

const fn woman(name: &'static str, born: i32, address: &'static str) -> Resident {
    Resident { name, gender: Gender::Female, born, address, email: None }
}

const fn with_email(resident: Resident, email: &'static str) -> Resident {
    Resident { email: Some(email), ..resident }
}

/// The citizens of the stories; a story names them by their place in this list.
#[rustfmt::skip]
const RESIDENTS: [Resident; 76] = [
    man("Nguyễn Văn Hùng", 1961, "Thôn Phú Khê, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    woman("Lê Thị Mai", 1969, "Thôn Phú Khê, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    man("Trần Văn Thành", 1957, "Thôn Phú Khê, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    woman("Phạm Thị Hương", 1974, "Thôn Nghĩa Trang, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    with_email(man("Hoàng Văn Nam", 1979, "Số 18 phố Trần Phú, phường Đông Sơn, tỉnh Thanh Hóa"), "hoangvannam.ds@example.com"),
    woman("Vũ Thị Thu", 1966, "Khu phố 3, phường Hạc Thành, tỉnh Thanh Hóa"),
    man("Đặng Văn Long", 1955, "Thôn Tân Lập, xã Triệu Sơn, tỉnh Thanh Hóa"),
    with_email(woman("Bùi Thị Lan Anh", 1988, "Thôn Trung Thành, xã Nga Sơn, tỉnh Thanh Hóa"), "lananh.bui88@example.com"),
    man("Đỗ Quang Huy", 1978, "Thôn 5, xã Thọ Xuân, tỉnh Thanh Hóa"),
    woman("Ngô Thị Hồng", 1963, "Thôn Yên Trường, xã Yên Định, tỉnh Thanh Hóa"),
    man("Dương Văn Tú", 1972, "Khu phố Bắc Sơn, phường Nghi Sơn, tỉnh Thanh Hóa"),
    woman("Lý Thị Ngọc", 1983, "Khu phố Bắc Sơn, phường Nghi Sơn, tỉnh Thanh Hóa"),
    man("Mai Văn Sơn", 1960, "Khu phố Bắc Sơn, phường Nghi Sơn, tỉnh Thanh Hóa"),
    man("Hà Văn Thiêm", 1976, "Bản Chiềng Nưa, xã Quan Sơn, tỉnh Thanh Hóa"),
    man("Lò Văn Pắn", 1971, "Bản Pù Quăn, xã Mường Lát, tỉnh Thanh Hóa"),
    woman("Trịnh Thị Nga", 1968, "Tổ dân phố Quang Trung, phường Sầm Sơn, tỉnh Thanh Hóa"),
    man("Lê Văn Quyết", 1952, "Số 7 ngõ 12 phố Lý Thường Kiệt, phường Hạc Thành, tỉnh Thanh Hóa"),
    woman("Nguyễn Thị Hạnh", 1977, "Thôn Đông Hải, xã Quảng Xương, tỉnh Thanh Hóa"),
    man("Cao Văn Đức", 1969, "Thôn Hậu Hiền, xã Thiệu Hóa, tỉnh Thanh Hóa"),
    woman("Hà Thị Thanh", 1981, "Khu phố 6, phường Hạc Thành, tỉnh Thanh Hóa"),
    man("Lương Văn Bình", 1957, "Số 41 phố Phan Chu Trinh, phường Hạc Thành, tỉnh Thanh Hóa"),
    with_email(woman("Phan Thị Yến", 1990, "Thôn Phú Khê, xã Hoằng Hóa, tỉnh Thanh Hóa"), "phanyen90@example.com"),
    man("Tống Văn Hải", 1974, "Thôn Phú Lương, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    man("Lê Đình Phúc", 1965, "Số 9 phố Bà Triệu, phường Hạc Thành, tỉnh Thanh Hóa"),
    woman("Nguyễn Thị Xuân", 1959, "Thôn Phú Khê, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    man("Trần Quốc Việt", 1985, "Thôn 3, xã Thọ Xuân, tỉnh Thanh Hóa"),
    woman("Hoàng Thị Lụa", 1962, "Thôn Trung Thành, xã Nga Sơn, tỉnh Thanh Hóa"),
    man("Phạm Văn Khăm", 1968, "Bản Lặn Ngoài, xã Bá Thước, tỉnh Thanh Hóa"),
    man("Đinh Văn Tuấn", 1980, "Thôn Hậu Trạch, xã Nga Sơn, tỉnh Thanh Hóa"),
    woman("Quách Thị Hoa", 1986, "Thôn Đông Hải, xã Quảng Xương, tỉnh Thanh Hóa"),
    with_email(woman("Lê Thị Hà", 1973, "Khu phố 2, phường Hạc Thành, tỉnh Thanh Hóa"), "lethiha73@example.com"),
    man("Vũ Văn Khoa", 1964, "Thôn Hậu Hiền, xã Thiệu Hóa, tỉnh Thanh Hóa"),
    man("Nguyễn Hữu Lợi", 1970, "Thôn Tân Lập, xã Triệu Sơn, tỉnh Thanh Hóa"),
    woman("Đào Thị Minh Tâm", 1979, "Tổ dân phố Trung Sơn, phường Sầm Sơn, tỉnh Thanh Hóa"),
    man("Trương Văn Lâm", 1958, "Thôn Yên Trường, xã Yên Định, tỉnh Thanh Hóa"),
    woman("Hồ Thị Bích", 1984, "Thôn Phú Lương, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    man("Lại Văn Toàn", 1967, "Số 25 phố Trần Phú, phường Đông Sơn, tỉnh Thanh Hóa"),
    woman("Mạc Thị Duyên", 1975, "Thôn Hậu Trạch, xã Nga Sơn, tỉnh Thanh Hóa"),
    man("Kiều Văn Hòa", 1962, "Thôn Tân Lập, xã Triệu Sơn, tỉnh Thanh Hóa"),
    woman("Chu Thị Loan", 1971, "Thôn 5, xã Thọ Xuân, tỉnh Thanh Hóa"),
    man("Phí Văn Dũng", 1966, "Thôn Hậu Hiền, xã Thiệu Hóa, tỉnh Thanh Hóa"),
    woman("Ninh Thị Thảo", 1987, "Thôn Đông Hải, xã Quảng Xương, tỉnh Thanh Hóa"),
    man("Vương Văn Hiếu", 1960, "Bản Lặn Ngoài, xã Bá Thước, tỉnh Thanh Hóa"),
    woman("Lưu Thị Hằng", 1978, "Khu phố Bắc Sơn, phường Nghi Sơn, tỉnh Thanh Hóa"),
    man("Tạ Văn Quang", 1956, "Thôn Nghĩa Trang, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    woman("Bạch Thị Nhung", 1982, "Tổ dân phố Quang Trung, phường Sầm Sơn, tỉnh Thanh Hóa"),
    man("Thân Văn Kiên", 1969, "Thôn Đông Hải, xã Quảng Xương, tỉnh Thanh Hóa"),
    woman("Khúc Thị Oanh", 1976, "Thôn Định Tân, xã Yên Định, tỉnh Thanh Hóa"),
    man("Doãn Văn Lộc", 1963, "Tổ dân phố Trung Sơn, phường Sầm Sơn, tỉnh Thanh Hóa"),
    woman("Âu Thị Phượng", 1959, "Thôn Hậu Hiền, xã Thiệu Hóa, tỉnh Thanh Hóa"),
    man("Giang Văn Nghĩa", 1984, "Khu phố 6, phường Hạc Thành, tỉnh Thanh Hóa"),
    woman("Lã Thị Tuyết", 1972, "Số 3 phố Nguyễn Trãi, phường Đông Sơn, tỉnh Thanh Hóa"),
    man("Nguyễn Văn Tiến", 1975, "Thôn Hậu Hiền, xã Thiệu Hóa, tỉnh Thanh Hóa"),
    woman("Trần Thị Hoa", 1980, "Số 12 phố Trần Phú, phường Đông Sơn, tỉnh Thanh Hóa"),
    man("Lê Văn Hoàng", 1968, "Khu phố 4, phường Hạc Thành, tỉnh Thanh Hóa"),
    man("Phạm Văn Cường", 1971, "Khu phố Bắc Sơn, phường Nghi Sơn, tỉnh Thanh Hóa"),
    woman("Đỗ Thị Huyền", 1985, "Thôn Định Tân, xã Yên Định, tỉnh Thanh Hóa"),
    man("Hoàng Minh Châu", 1990, "Tổ dân phố Quang Trung, phường Sầm Sơn, tỉnh Thanh Hóa"),
    woman("Nguyễn Thị Thúy", 1966, "Thôn Tân Lập, xã Triệu Sơn, tỉnh Thanh Hóa"),
    man("Bùi Văn Thịnh", 1959, "Số 30 phố Nguyễn Trãi, phường Đông Sơn, tỉnh Thanh Hóa"),
    with_email(woman("Lê Thị Kim Oanh", 1983, "Số 5 phố Trần Phú, phường Đông Sơn, tỉnh Thanh Hóa"), "kimoanh.le@example.com"),
    man("Trần Văn Mạnh", 1977, "Thôn Phú Lương, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    woman("Vũ Thị Hòa", 1970, "Thôn 3, xã Thọ Xuân, tỉnh Thanh Hóa"),
    man("Nguyễn Đức Thuận", 1964, "Tổ dân phố Trung Sơn, phường Sầm Sơn, tỉnh Thanh Hóa"),
    woman("Phạm Thị Liên", 1962, "Khu phố 3, phường Hạc Thành, tỉnh Thanh Hóa"),
    man("Hà Văn Chung", 1973, "Bản Chiềng Nưa, xã Quan Sơn, tỉnh Thanh Hóa"),
    man("Nguyễn Văn Thái", 1979, "Thôn Phú Khê, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    woman("Đặng Thị Vân", 1988, "Thôn Định Tân, xã Yên Định, tỉnh Thanh Hóa"),
    man("Lê Hữu Nghị", 1955, "Tổ dân phố Quang Trung, phường Sầm Sơn, tỉnh Thanh Hóa"),
    man("Trịnh Văn Hưng", 1969, "Thôn Hậu Hiền, xã Thiệu Hóa, tỉnh Thanh Hóa"),
    woman("Mai Thị Sen", 1974, "Thôn Định Tân, xã Yên Định, tỉnh Thanh Hóa"),
    woman("Cao Thị Lý", 1980, "Bản Pù Quăn, xã Mường Lát, tỉnh Thanh Hóa"),
    man("Phùng Văn Hậu", 1970, "Thôn 5, xã Thọ Xuân, tỉnh Thanh Hóa"),
    woman("Nguyễn Thị Lành", 1961, "Thôn Trung Thành, xã Nga Sơn, tỉnh Thanh Hóa"),
    woman("Lò Thị Xuyến", 1992, "Bản Lặn Ngoài, xã Bá Thước, tỉnh Thanh Hóa"),
    man("Hoàng Văn Sỹ", 1966, "Số 48 phố Nguyễn Trãi, phường Đông Sơn, tỉnh Thanh Hóa"),
];

/// Mobile prefixes of the Vietnamese networks.
const PHONE_PREFIXES: [&str; 12] = ["091", "098", "097", "096", "094", "088", "086", "083", "035", "036", "039", "077"];

impl Resident {
    /// A CCCD laid out as the real ones: the province code of Thanh Hóa (038), the digit for
    /// gender and century, the year of birth, then six digits (distinct for each resident).
    fn id_number(&self, index: usize) -> String {
        let century = if self.born >= 2000 { 2 } else { 0 };
        let gender = u8::from(self.gender == Gender::Female);
        let serial = (index as u64 * 7_919 + 104_729) % 1_000_000;
        format!("038{}{:02}{serial:06}", century + gender, self.born % 100)
    }

    fn phone(index: usize) -> String {
        let prefix = PHONE_PREFIXES[index % PHONE_PREFIXES.len()];
        format!("{prefix}{:07}", (index as u64 * 7_654_321 + 1_234_567) % 10_000_000)
    }

    fn input(&self, index: usize) -> CitizenInput {
        let month = (index % 12) as u32 + 1;
        let day = (index * 7 % 28) as u32 + 1;
        CitizenInput {
            full_name: self.name.into(),
            id_number: Some(self.id_number(index)),
            date_of_birth: NaiveDate::from_ymd_opt(self.born, month, day),
            gender: Some(self.gender),
            address: self.address.into(),
            phone: Some(Self::phone(index)),
            email: self.email.map(str::to_owned),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Places and bodies

const HAC_THANH: &str = "Phường Hạc Thành";
const DONG_SON: &str = "Phường Đông Sơn";
const SAM_SON: &str = "Phường Sầm Sơn";
const NGHI_SON: &str = "Phường Nghi Sơn";
const HOANG_HOA: &str = "Xã Hoằng Hóa";
const TRIEU_SON: &str = "Xã Triệu Sơn";
const NGA_SON: &str = "Xã Nga Sơn";
const THO_XUAN: &str = "Xã Thọ Xuân";
const YEN_DINH: &str = "Xã Yên Định";
const QUANG_XUONG: &str = "Xã Quảng Xương";
const THIEU_HOA: &str = "Xã Thiệu Hóa";
// Mountain communes: remote areas with difficult travel (longer terms).
const QUAN_SON: &str = "Xã Quan Sơn";
const MUONG_LAT: &str = "Xã Mường Lát";
const BA_THUOC: &str = "Xã Bá Thước";

const DELEGATION_OF_DEPUTIES: &str = "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh Thanh Hóa";
const DIALOGUE_ROOM: &str = "Phòng tiếp công dân, Trụ sở Ban Tiếp công dân tỉnh, phường Hạc Thành";
const DIALOGUE_CHAIR: &str = "Ông Hoàng Văn Thắng, Trưởng Ban Tiếp công dân tỉnh";
const AGREED_WITH_VERIFICATION: &str =
    "Kết quả xác minh thống nhất với yêu cầu của người khiếu nại, không cần tổ chức đối thoại";

/// What a case is about.
#[derive(Debug, Clone, Copy)]
struct Matter {
    kind: CaseKind,
    field: Field,
    locality: &'static str,
    respondent: &'static str,
    title: &'static str,
    summary: &'static str,
    flags: FlagChanges,
}

fn matter(
    kind: CaseKind,
    field: Field,
    locality: &'static str,
    respondent: &'static str,
    title: &'static str,
    summary: &'static str,
) -> Matter {
    Matter { kind, field, locality, respondent, title, summary, flags: FlagChanges::default() }
}

impl Matter {
    fn remote(mut self) -> Self {
        self.flags.remote_area = Some(true);
        self
    }

    fn multi_site(mut self) -> Self {
        self.flags.multi_site = Some(true);
        self
    }

    fn very_complex(mut self) -> Self {
        self.flags.very_complex = Some(true);
        self
    }

    fn input(&self, people: Vec<PersonInput>, source: Source, received_at: DateTime<Utc>) -> CaseInput {
        let (source, forwarded_by) = match source {
            Source::Post => (CaseSource::Post, None),
            Source::Online => (CaseSource::Online, None),
            Source::Forwarded(body) => (CaseSource::Forwarded, Some(body.to_owned())),
        };
        CaseInput {
            kind: self.kind,
            round: None,
            parent_id: None,
            field: self.field,
            locality: Some(self.locality.into()),
            title: self.title.into(),
            summary: self.summary.into(),
            source,
            forwarded_by,
            received_at,
            people,
            respondent: self.respondent.into(),
            group_size: None,
            flags: self.flags,
        }
    }
}

/// How a letter reached the board.
#[derive(Debug, Clone, Copy)]
enum Source {
    Post,
    Online,
    Forwarded(&'static str),
}

/// A row of the reception register as the officer fills it in.
#[derive(Debug, Clone, Copy)]
struct Visit {
    mode: VisitMode,
    citizen: usize,
    group_size: i32,
    representatives: &'static [usize],
    summary: &'static str,
    handled_before_by: Option<&'static str>,
    about: &'static [CaseKind],
}

fn visit(mode: VisitMode, citizen: usize, summary: &'static str) -> Visit {
    Visit { mode, citizen, group_size: 1, representatives: &[], summary, handled_before_by: None, about: &[] }
}

impl Visit {
    fn group(mut self, size: i32, representatives: &'static [usize]) -> Self {
        self.group_size = size;
        self.representatives = representatives;
        self
    }

    fn handled_before_by(mut self, body: &'static str) -> Self {
        self.handled_before_by = Some(body);
        self
    }

    fn about(mut self, kinds: &'static [CaseKind]) -> Self {
        self.about = kinds;
        self
    }
}

/// What became of a visit that opened no case and reached none.
#[derive(Debug, Clone, Copy)]
enum Disposal {
    Guided(&'static str),
    Transferred(&'static str),
    /// Luật Tiếp công dân Art 9, clause 1 to 4.
    Refused(i32),
}

/// Someone taking part in a dialogue.
#[derive(Debug, Clone, Copy)]
enum Party {
    Citizen(usize, DialogueRole),
    Official(&'static str, DialogueRole),
}

impl Party {
    fn name(self) -> &'static str {
        match self {
            Party::Citizen(index, _) => RESIDENTS[index].name,
            Party::Official(name, _) => name,
        }
    }

    fn role(self) -> DialogueRole {
        match self {
            Party::Citizen(_, role) | Party::Official(_, role) => role,
        }
    }
}

/// The minutes of a dialogue; by default everyone came and signed.
#[derive(Debug, Clone, Copy)]
struct Minutes {
    opinions: &'static str,
    result: &'static str,
    agreed: Option<&'static str>,
    disagreed: Option<&'static str>,
    /// A party (by position) that did not come, with the reason given.
    absent: Option<(usize, &'static str)>,
    /// A party (by position) that came and would not sign, with the reason.
    refused_to_sign: Option<(usize, &'static str)>,
}

fn minutes(opinions: &'static str, result: &'static str) -> Minutes {
    Minutes { opinions, result, agreed: None, disagreed: None, absent: None, refused_to_sign: None }
}

impl Minutes {
    fn agreed(mut self, text: &'static str) -> Self {
        self.agreed = Some(text);
        self
    }

    fn disagreed(mut self, text: &'static str) -> Self {
        self.disagreed = Some(text);
        self
    }

    fn absent(mut self, party: usize, reason: &'static str) -> Self {
        self.absent = Some((party, reason));
        self
    }

    fn refused_to_sign(mut self, party: usize, reason: &'static str) -> Self {
        self.refused_to_sign = Some((party, reason));
        self
    }
}

// ---------------------------------------------------------------------------------------------
// The plan: stories as dated steps

/// A case of a story, before and after it exists.
#[derive(Debug, Clone, Copy)]
struct CaseRef(usize);

/// A dialogue of a story.
#[derive(Debug, Clone, Copy)]
struct DialogueRef(usize);

/// A story dialogue once scheduled.
#[derive(Debug, Clone, Copy)]
struct ScheduledDialogue {
    case: CaseRef,
    id: i64,
    version: i32,
    parties: &'static [Party],
}

type Work = Box<dyn FnOnce(&mut Desk<'_>, DateTime<Utc>) -> Result<(), ServiceError>>;

struct Step {
    at: DateTime<Utc>,
    order: usize,
    story: &'static str,
    work: Work,
}

/// Where in the official quarters the decisions of the stories fall, in days before today.
#[derive(Debug, Clone, Copy)]
struct Quarters {
    /// Early and late in the current quarter (today when it has only just begun).
    this_early: i64,
    this_late: i64,
    /// Early and late in the previous quarter.
    last_early: i64,
    last_late: i64,
}

/// The first day of the official quarter that holds `date`: quarters run from the 15th of the
/// last month of the previous quarter (Thông tư 01/2024/TT-TTCP; see `reports::Period`).
fn official_quarter_start(date: NaiveDate) -> NaiveDate {
    let (year, month) = (date.year(), date.month());
    let (year, month) = if month % 3 == 0 && date.day() >= 15 {
        (year, month)
    } else {
        match (month - 1) / 3 * 3 {
            0 => (year - 1, 12),
            last => (year, last),
        }
    };
    NaiveDate::from_ymd_opt(year, month, 15).unwrap_or(date)
}

impl Quarters {
    fn around(today: NaiveDate) -> Self {
        let elapsed = (today - official_quarter_start(today)).num_days();
        let (this_early, this_late) = if elapsed >= 6 { (elapsed * 2 / 3, elapsed / 3) } else { (0, 0) };
        Quarters { this_early, this_late, last_early: elapsed + 65, last_late: elapsed + 25 }
    }
}

struct Plan<'c> {
    ctx: &'c Context,
    now: DateTime<Utc>,
    today: NaiveDate,
    quarters: Quarters,
    steps: Vec<Step>,
    stories: usize,
    cases: usize,
    dialogues: usize,
}

impl<'c> Plan<'c> {
    fn new(ctx: &'c Context, now: DateTime<Utc>) -> Self {
        let today = vietnam_date(now);
        Plan {
            ctx,
            now,
            today,
            quarters: Quarters::around(today),
            steps: Vec::new(),
            stories: 0,
            cases: 0,
            dialogues: 0,
        }
    }

    /// The working day `days_ago` days before today (after it when negative): a day off moves
    /// to the working day before (after), so that the board acts on working days. Today stays.
    fn day(&self, days_ago: i64) -> NaiveDate {
        let calendar = self.ctx.calendar();
        let mut date = self.today - Duration::days(days_ago);
        for _ in 0..31 {
            if days_ago == 0 || calendar.is_working_day(date) {
                break;
            }
            let next = if days_ago > 0 { date.pred_opt() } else { date.succ_opt() };
            date = next.unwrap_or(date);
        }
        date
    }

    /// An instant `minutes` after the start of that day, Vietnam time.
    fn instant(&self, days_ago: i64, minutes: i64) -> DateTime<Utc> {
        vietnam_day_start_utc(self.day(days_ago)) + Duration::minutes(minutes)
    }

    fn story(&mut self, title: &'static str) -> Story<'_, 'c> {
        self.stories += 1;
        let number = self.stories;
        Story { plan: self, title, number, steps: 0, last: None }
    }
}

/// The steps of one case (or of a few linked cases), in their order.
struct Story<'p, 'c> {
    plan: &'p mut Plan<'c>,
    title: &'static str,
    number: usize,
    steps: i64,
    last: Option<DateTime<Utc>>,
}

impl Story<'_, '_> {
    fn new_case(&mut self) -> CaseRef {
        self.plan.cases += 1;
        CaseRef(self.plan.cases - 1)
    }

    fn new_dialogue(&mut self) -> DialogueRef {
        self.plan.dialogues += 1;
        DialogueRef(self.plan.dialogues - 1)
    }

    /// The instant of the next step: office hours on that day, after the story's previous step
    /// and never after now.
    fn settle(&mut self, wanted: DateTime<Utc>) -> DateTime<Utc> {
        let mut at = wanted;
        if let Some(last) = self.last {
            at = at.max(last + Duration::minutes(20));
        }
        let latest = self.plan.now - Duration::minutes(1);
        if at > latest {
            at = self.last.map_or(latest, |last| latest.max(last));
        }
        self.last = Some(at);
        self.steps += 1;
        at
    }

    fn step(
        &mut self,
        days_ago: i64,
        work: impl FnOnce(&mut Desk<'_>, DateTime<Utc>) -> Result<(), ServiceError> + 'static,
    ) {
        let minutes = 7 * 60 + 30 + (self.number as i64 * 37 + self.steps * 53) % 450;
        let at = self.settle(self.plan.instant(days_ago, minutes));
        self.push(at, work);
    }

    fn step_at(
        &mut self,
        wanted: DateTime<Utc>,
        work: impl FnOnce(&mut Desk<'_>, DateTime<Utc>) -> Result<(), ServiceError> + 'static,
    ) {
        let at = self.settle(wanted);
        self.push(at, work);
    }

    fn push(
        &mut self,
        at: DateTime<Utc>,
        work: impl FnOnce(&mut Desk<'_>, DateTime<Utc>) -> Result<(), ServiceError> + 'static,
    ) {
        let order = self.plan.steps.len();
        self.plan.steps.push(Step { at, order, story: self.title, work: Box::new(work) });
    }

    // ---- how cases arrive

    /// A letter: by post, online, or forwarded by another body.
    fn letter(&mut self, days_ago: i64, by: Who, source: Source, matter: Matter, people: &[usize]) -> CaseRef {
        let case = self.new_case();
        let people = people.to_vec();
        self.step(days_ago, move |desk, at| {
            let people = desk.people(matter.kind, &people, at)?;
            let input = matter.input(people, source, at);
            let view =
                desk.ctx.db.write(|conn| service::cases::create_in(conn, desk.ctx, desk.actor(by), input, None, at))?;
            desk.opened(case, &view);
            Ok(())
        });
        case
    }

    /// A visit to the reception desk that opens a case.
    fn walk_in(&mut self, days_ago: i64, by: Who, visit: Visit, matter: Matter) -> CaseRef {
        let case = self.new_case();
        self.step(days_ago, move |desk, at| {
            let new_case = NewCaseInput {
                kind: matter.kind,
                round: None,
                parent_id: None,
                field: matter.field,
                locality: Some(matter.locality.into()),
                title: matter.title.into(),
                summary: matter.summary.into(),
                people: None,
                respondent: matter.respondent.into(),
                group_size: None,
                forwarded_by: None,
                flags: matter.flags,
            };
            let mut input = desk.visit_input(&visit, VisitOutcome::CaseOpened, at)?;
            input.new_case = Some(new_case);
            let views = desk.record_visit(by, input, visit.group_size, at)?;
            let view = views.first().ok_or_else(|| ServiceError::Internal("the visit opened no case".into()))?;
            desk.opened(case, view);
            Ok(())
        });
        case
    }

    /// A visit about cases already on file (a repeat visit).
    fn revisit(&mut self, days_ago: i64, by: Who, visit: Visit, cases: Vec<CaseRef>) {
        self.step(days_ago, move |desk, at| {
            let mut input = desk.visit_input(&visit, VisitOutcome::LinkedExisting, at)?;
            input.case_ids = cases.iter().map(|&case| desk.case(case)).collect::<Result<_, _>>()?;
            desk.record_visit(by, input, visit.group_size, at)?;
            Ok(())
        });
    }

    /// A visit settled at the desk: guidance, a transfer, or a refusal.
    fn visit_only(&mut self, days_ago: i64, by: Who, visit: Visit, disposal: Disposal) {
        self.step(days_ago, move |desk, at| {
            let outcome = match disposal {
                Disposal::Guided(_) => VisitOutcome::Guided,
                Disposal::Transferred(_) => VisitOutcome::Transferred,
                Disposal::Refused(_) => VisitOutcome::Refused,
            };
            let mut input = desk.visit_input(&visit, outcome, at)?;
            match disposal {
                Disposal::Guided(body) => {
                    input.target_body = Some(body.into());
                    input.document_no = Some(desk.number("HD-BTCD"));
                }
                Disposal::Transferred(body) => {
                    input.target_body = Some(body.into());
                    input.document_no = Some(desk.number("PC-BTCD"));
                }
                Disposal::Refused(ground) => {
                    input.refusal_ground = Some(ground);
                    input.document_no = Some(desk.number("TB-BTCD"));
                }
            }
            desk.record_visit(by, input, visit.group_size, at)?;
            Ok(())
        });
    }

    /// Another letter about the same matter.
    fn letter_again(&mut self, days_ago: i64, by: Who, case: CaseRef, channel: CaseSource, summary: &'static str) {
        self.step(days_ago, move |desk, at| {
            let id = desk.case(case)?;
            let intake = IntakeInput { received_at: at, channel, summary: Some(summary.into()) };
            service::cases::add_intake(desk.ctx, desk.actor(by), id, &intake, at)?;
            Ok(())
        });
    }

    /// The second round of a complaint, or a re-denunciation.
    fn follow_up(
        &mut self,
        days_ago: i64,
        by: Who,
        parent: CaseRef,
        source: CaseSource,
        summary: &'static str,
    ) -> CaseRef {
        let case = self.new_case();
        self.step(days_ago, move |desk, at| {
            let parent_id = desk.case(parent)?;
            let input = FollowUpInput { received_at: at, summary: summary.into(), source, forwarded_by: None };
            let view = service::rounds::follow_up(desk.ctx, desk.actor(by), parent_id, &input, at)?;
            desk.opened(case, &view);
            Ok(())
        });
        case
    }

    /// A letter with two contents becomes two cases; the letter is filed.
    fn split(&mut self, days_ago: i64, letter: CaseRef, parts: [PartInput; 2]) -> [CaseRef; 2] {
        let refs = [self.new_case(), self.new_case()];
        self.step(days_ago, move |desk, at| {
            let id = desk.case(letter)?;
            let version = desk.version(id)?;
            let by = desk.holder(letter);
            let views = service::rounds::split(desk.ctx, desk.actor(by), id, version, parts.to_vec(), at)?;
            for (case, view) in refs.iter().zip(&views) {
                desk.opened(*case, view);
            }
            Ok(())
        });
        refs
    }

    // ---- what the board does with a case

    fn assign(&mut self, days_ago: i64, case: CaseRef, handler: Who) {
        self.step(days_ago, move |desk, at| {
            let id = desk.case(case)?;
            let version = desk.version(id)?;
            let assignee = desk.actor(handler).user_id;
            service::cases::assign(desk.ctx, desk.actor(HEAD), id, version, Some(assignee), at)?;
            desk.holders[case.0] = Some(handler);
            Ok(())
        });
    }

    /// The head puts the case on the list of the central inspectorate.
    fn put_on_central_list(&mut self, days_ago: i64, case: CaseRef) {
        self.step(days_ago, move |desk, at| {
            let id = desk.case(case)?;
            let version = desk.version(id)?;
            let patch = CasePatch {
                flags: FlagChanges { central_list: Some(true), ..FlagChanges::default() },
                ..CasePatch::default()
            };
            service::cases::patch(desk.ctx, desk.actor(HEAD), id, version, patch, at)?;
            Ok(())
        });
    }

    fn act(
        &mut self,
        days_ago: i64,
        case: CaseRef,
        command: impl FnOnce(&mut Desk<'_>, NaiveDate) -> Command + 'static,
    ) {
        self.step(days_ago, move |desk, at| {
            let command = command(desk, vietnam_date(at));
            desk.transition(case, command, at)
        });
    }

    fn accept(&mut self, days_ago: i64, case: CaseRef) {
        self.act(days_ago, case, |desk, on| Command::Accept {
            decision_no: desk.number("TB-UBND"),
            accepted_on: on,
            complex: false,
            remote_area: false,
        });
    }

    fn verify(&mut self, days_ago: i64, case: CaseRef, verifier: &'static str) {
        self.act(days_ago, case, move |desk, _| Command::StartVerification {
            verifier: Verifier::Named(verifier.into()),
            document_no: desk.number("QĐ-UBND"),
        });
    }

    fn extend(&mut self, days_ago: i64, case: CaseRef, reason: &'static str) {
        self.act(days_ago, case, move |desk, _| Command::Extend {
            reason: reason.into(),
            document_no: desk.number("QĐ-UBND"),
        });
    }

    fn suspend(&mut self, days_ago: i64, case: CaseRef, ground: SuspensionGround) {
        self.act(days_ago, case, move |desk, on| Command::Suspend {
            ground,
            document_no: desk.number("QĐ-UBND"),
            effective_on: on,
        });
    }

    fn resume(&mut self, days_ago: i64, case: CaseRef) {
        self.act(days_ago, case, |desk, on| Command::Resume { document_no: desk.number("QĐ-UBND"), effective_on: on });
    }

    /// The decision, conclusion or answer (a complaint's after its dialogue).
    fn decide(&mut self, days_ago: i64, case: CaseRef, outcome: Outcome) {
        self.act(days_ago, case, move |desk, on| Command::Decide {
            decision_no: desk.decision_number(case),
            decided_on: on,
            outcome,
            dialogue_not_needed_reason: None,
        });
    }

    /// A complaint decided without a dialogue: the verification agreed with the request.
    fn decide_as_verified(&mut self, days_ago: i64, case: CaseRef, outcome: Outcome) {
        self.act(days_ago, case, move |desk, on| Command::Decide {
            decision_no: desk.decision_number(case),
            decided_on: on,
            outcome,
            dialogue_not_needed_reason: Some(AGREED_WITH_VERIFICATION.into()),
        });
    }

    fn close(&mut self, days_ago: i64, case: CaseRef, summary: &'static str) {
        self.act(days_ago, case, move |_, _| Command::Close { summary: summary.into() });
    }

    fn guide(&mut self, days_ago: i64, case: CaseRef, body: &'static str) {
        self.act(days_ago, case, move |desk, _| Command::Guide {
            target_body: body.into(),
            document_no: desk.number("HD-BTCD"),
        });
    }

    fn transfer(&mut self, days_ago: i64, case: CaseRef, body: &'static str) {
        self.act(days_ago, case, move |desk, _| Command::Transfer {
            target_body: body.into(),
            document_no: desk.number("PC-BTCD"),
        });
    }

    fn record_reply(&mut self, days_ago: i64, case: CaseRef, summary: &'static str) {
        self.act(days_ago, case, move |desk, on| Command::RecordReply {
            document_no: desk.number("CV-TL"),
            reply_date: on,
            summary: summary.into(),
        });
    }

    fn file(&mut self, days_ago: i64, case: CaseRef, reason: FileReason) {
        self.act(days_ago, case, move |_, _| Command::File { reason, duplicate_of: None });
    }

    fn file_as_duplicate(&mut self, days_ago: i64, case: CaseRef, of: CaseRef) {
        self.step(days_ago, move |desk, at| {
            let original = desk.case(of)?;
            desk.transition(case, Command::File { reason: FileReason::Duplicate, duplicate_of: Some(original) }, at)
        });
    }

    fn reject(&mut self, days_ago: i64, case: CaseRef, ground: RejectGround, reason: &'static str) {
        self.act(days_ago, case, move |_, _| Command::Reject { ground, reason: reason.into() });
    }

    /// The citizen withdraws; a denunciation may still be resolved (Luật Tố cáo Art 33.3).
    fn withdraw(&mut self, days_ago: i64, case: CaseRef, resolve_anyway: bool) {
        self.act(days_ago, case, move |_, on| Command::Withdraw {
            document_no: format!("Đơn rút ngày {}", on.format("%d/%m/%Y")),
            continue_despite_withdrawal: resolve_anyway,
        });
    }

    fn terminate(&mut self, days_ago: i64, case: CaseRef, ground: TerminationGround) {
        self.act(days_ago, case, move |desk, _| Command::Terminate { ground, document_no: desk.number("QĐ-UBND") });
    }

    // ---- dialogues

    /// Schedules a dialogue `days_ago` for a session `session_days_ago` (negative: to come).
    fn dialogue(
        &mut self,
        days_ago: i64,
        case: CaseRef,
        session_days_ago: i64,
        parties: &'static [Party],
    ) -> DialogueRef {
        let dialogue = self.new_dialogue();
        let session = self.plan.instant(session_days_ago, 8 * 60 + 30);
        self.step(days_ago, move |desk, at| {
            let id = desk.case(case)?;
            let mut participants = Vec::with_capacity(parties.len());
            for party in parties {
                let (citizen_id, email) = match *party {
                    Party::Citizen(index, _) => {
                        (Some(desk.citizen(index, at)?), RESIDENTS[index].email.map(str::to_owned))
                    }
                    Party::Official(..) => (None, None),
                };
                participants.push(ParticipantInput {
                    name: Some(party.name().into()),
                    role: Some(party.role()),
                    citizen_id,
                    email,
                    ..ParticipantInput::default()
                });
            }
            let input = ScheduleInput {
                scheduled_at: session,
                location: DIALOGUE_ROOM.into(),
                chair: DIALOGUE_CHAIR.into(),
                participants,
            };
            let by = desk.holder(case);
            let view = service::dialogues::schedule(desk.ctx, desk.actor(by), id, input, at)?;
            desk.dialogues[dialogue.0] = Some(ScheduledDialogue { case, id: view.id, version: view.version, parties });
            Ok(())
        });
        dialogue
    }

    /// Records the session of a dialogue, the same day.
    fn hold(&mut self, dialogue: DialogueRef, session_days_ago: i64, minutes: Minutes) {
        let session = self.plan.instant(session_days_ago, 8 * 60 + 30);
        self.step_at(session + Duration::minutes(150), move |desk, at| {
            let scheduled = desk.dialogue(dialogue)?;
            let participants = scheduled
                .parties
                .iter()
                .enumerate()
                .map(|(position, party)| {
                    let absent = minutes.absent.filter(|(p, _)| *p == position).map(|(_, reason)| reason);
                    let refused = minutes.refused_to_sign.filter(|(p, _)| *p == position).map(|(_, reason)| reason);
                    ParticipantInput {
                        name: Some(party.name().into()),
                        role: Some(party.role()),
                        attended: Some(absent.is_none()),
                        signed: absent.is_none().then_some(refused.is_none()),
                        refusal_reason: refused.map(str::to_owned),
                        absence_reason: absent.map(str::to_owned),
                        ..ParticipantInput::default()
                    }
                })
                .collect();
            let change = ChangeInput {
                status: Some(DialogueStatus::Held),
                held_at: Some(session),
                minutes: Some(MinutesInput {
                    opinions: Some(minutes.opinions.into()),
                    result: Some(minutes.result.into()),
                    agreed: minutes.agreed.map(str::to_owned),
                    disagreed: minutes.disagreed.map(str::to_owned),
                }),
                participants: Some(participants),
                ..ChangeInput::default()
            };
            let by = desk.holder(scheduled.case);
            service::dialogues::change(desk.ctx, desk.actor(by), scheduled.id, Some(scheduled.version), change, at)?;
            Ok(())
        });
    }

    fn cancel(&mut self, days_ago: i64, dialogue: DialogueRef, reason: &'static str) {
        self.step(days_ago, move |desk, at| {
            let scheduled = desk.dialogue(dialogue)?;
            let change = ChangeInput {
                status: Some(DialogueStatus::Cancelled),
                reason: Some(reason.into()),
                ..ChangeInput::default()
            };
            let by = desk.holder(scheduled.case);
            service::dialogues::change(desk.ctx, desk.actor(by), scheduled.id, Some(scheduled.version), change, at)?;
            Ok(())
        });
    }
}

/// `days` days after `day` (both counted back from today), not later than today.
fn later(day: i64, days: i64) -> i64 {
    (day - days).max(0)
}

// ---------------------------------------------------------------------------------------------
// Replaying the plan

/// The state of the replay: who acts, and what the stories' cases and dialogues became.
struct Desk<'c> {
    ctx: &'c Context,
    staff: Staff,
    citizens: Vec<Option<i64>>,
    cases: Vec<Option<i64>>,
    /// The handler of each story case, once assigned.
    holders: Vec<Option<Who>>,
    dialogues: Vec<Option<ScheduledDialogue>>,
    documents: HashMap<&'static str, u32>,
    created: Vec<(i64, CaseKind)>,
    citizens_registered: usize,
    citizens_found: usize,
    visits: usize,
    group_visits: usize,
}

impl<'c> Desk<'c> {
    fn new(ctx: &'c Context, staff: Staff, cases: usize, dialogues: usize) -> Self {
        Desk {
            ctx,
            staff,
            citizens: vec![None; RESIDENTS.len()],
            cases: vec![None; cases],
            holders: vec![None; cases],
            dialogues: vec![None; dialogues],
            documents: HashMap::new(),
            created: Vec::new(),
            citizens_registered: 0,
            citizens_found: 0,
            visits: 0,
            group_visits: 0,
        }
    }

    fn actor(&self, who: Who) -> &Actor {
        match who {
            Who::Receptionist => &self.staff.receptionist,
            Who::Handler(n) => &self.staff.handlers[n % self.staff.handlers.len()],
            Who::Head => &self.staff.head,
        }
    }

    /// The citizen's id, registering them at their first appearance. A citizen a previous run
    /// registered (same ID number) is taken as registered.
    fn citizen(&mut self, index: usize, at: DateTime<Utc>) -> Result<i64, ServiceError> {
        if let Some(id) = self.citizens[index] {
            return Ok(id);
        }
        let input = RESIDENTS[index].input(index);
        let id = match service::citizens::create(self.ctx, &self.staff.receptionist, &input, at) {
            Ok(citizen) => {
                self.citizens_registered += 1;
                citizen.id
            }
            Err(ServiceError::Conflict { code: "citizen_exists", extra, detail }) => {
                let existing = extra.get("existing_id").and_then(Value::as_i64);
                self.citizens_found += 1;
                existing.ok_or(ServiceError::Conflict { code: "citizen_exists", detail, extra })?
            }
            Err(other) => return Err(other),
        };
        self.citizens[index] = Some(id);
        Ok(id)
    }

    /// The people of a new case, each in the principal role of its kind.
    fn people(
        &mut self,
        kind: CaseKind,
        people: &[usize],
        at: DateTime<Utc>,
    ) -> Result<Vec<PersonInput>, ServiceError> {
        people
            .iter()
            .map(|&index| Ok(PersonInput { citizen_id: self.citizen(index, at)?, role: principal_role(kind) }))
            .collect()
    }

    fn case(&self, case: CaseRef) -> Result<i64, ServiceError> {
        self.cases[case.0].ok_or_else(|| ServiceError::Internal("a step came before its case was opened".into()))
    }

    fn opened(&mut self, case: CaseRef, view: &CaseView) {
        self.cases[case.0] = Some(view.id);
        self.created.push((view.id, view.kind));
    }

    fn version(&self, id: i64) -> Result<i32, ServiceError> {
        self.ctx
            .db
            .read(|conn| case_store::find(conn, id))?
            .map(|row| row.version)
            .ok_or(ServiceError::NotFound("case"))
    }

    /// The assigned handler, or the head in the place of one.
    fn holder(&self, case: CaseRef) -> Who {
        self.holders[case.0].unwrap_or(HEAD)
    }

    fn dialogue(&self, dialogue: DialogueRef) -> Result<ScheduledDialogue, ServiceError> {
        self.dialogues[dialogue.0]
            .ok_or_else(|| ServiceError::Internal("a dialogue was changed before it was scheduled".into()))
    }

    /// A document number of a series, as the offices number them (`125/QĐ-UBND`).
    fn number(&mut self, series: &'static str) -> String {
        let next = self.documents.entry(series).or_insert(17);
        *next += 1 + *next % 4;
        format!("{next}/{series}")
    }

    /// A decision (complaint), conclusion (denunciation) or answer (petition, feedback).
    fn decision_number(&mut self, case: CaseRef) -> String {
        let kind = self.case(case).ok().and_then(|id| self.created.iter().find(|(c, _)| *c == id).map(|(_, k)| *k));
        match kind {
            Some(CaseKind::Denunciation) => self.number("KL-UBND"),
            Some(CaseKind::Petition | CaseKind::Feedback) => self.number("UBND-VP"),
            _ => self.number("QĐ-UBND"),
        }
    }

    /// A workflow action by whom DOMAIN.md §4 names: the head, or the assigned handler (the
    /// head in the place of one).
    fn transition(&mut self, case: CaseRef, command: Command, at: DateTime<Utc>) -> Result<(), ServiceError> {
        let id = self.case(case)?;
        let by = match workflow::action_rule(command.action()).actor {
            workflow::Actor::Head => HEAD,
            workflow::Actor::Handler => self.holder(case),
        };
        let version = self.version(id)?;
        service::transitions::transition(self.ctx, self.actor(by), id, version, &command, at)?;
        Ok(())
    }

    fn visit_input(
        &mut self,
        visit: &Visit,
        outcome: VisitOutcome,
        at: DateTime<Utc>,
    ) -> Result<VisitInput, ServiceError> {
        let citizen_id = self.citizen(visit.citizen, at)?;
        let representative_ids =
            visit.representatives.iter().map(|&index| self.citizen(index, at)).collect::<Result<Vec<_>, _>>()?;
        Ok(VisitInput {
            received_at: at,
            mode: visit.mode,
            citizen_id,
            group_size: Some(visit.group_size),
            representative_ids,
            summary: visit.summary.into(),
            handled_before_by: visit.handled_before_by.map(str::to_owned),
            content_kinds: (!visit.about.is_empty()).then(|| visit.about.to_vec()),
            outcome,
            case_ids: Vec::new(),
            new_case: None,
            document_no: None,
            target_body: None,
            refusal_ground: None,
        })
    }

    fn record_visit(
        &mut self,
        by: Who,
        input: VisitInput,
        group_size: i32,
        at: DateTime<Utc>,
    ) -> Result<Vec<CaseView>, ServiceError> {
        let created =
            self.ctx.db.write(|conn| service::visits::create_in(conn, self.ctx, self.actor(by), input, at))?;
        self.visits += 1;
        if crate::domain::visit::is_delegation(group_size) {
            self.group_visits += 1;
        }
        Ok(created.cases)
    }

    /// What the replay added, read back from the database.
    fn finish(self) -> Result<Seeded, ServiceError> {
        let ids: Vec<i64> = self.created.iter().map(|(id, _)| *id).collect();
        let rows = self.ctx.db.read(|conn| case_store::find_many(conn, &ids))?;
        let mut seeded = Seeded {
            citizens_registered: self.citizens_registered,
            citizens_found: self.citizens_found,
            visits: self.visits,
            group_visits: self.group_visits,
            ..Seeded::default()
        };
        for (_, kind) in &self.created {
            *seeded.cases_by_kind.entry(*kind).or_default() += 1;
        }
        for row in rows {
            let status: CaseStatus = row
                .status
                .parse()
                .map_err(|_| ServiceError::Internal(format!("unknown status `{}` in the database", row.status)))?;
            *seeded.cases_by_status.entry(status).or_default() += 1;
        }
        for scheduled in self.dialogues.iter().flatten() {
            let row = self.ctx.db.read(|conn| dialogue_store::find(conn, scheduled.id))?;
            let status = match row.as_ref().map(|r| r.status.as_str()) {
                Some("held") => DialogueStatus::Held.as_str(),
                Some("cancelled") => DialogueStatus::Cancelled.as_str(),
                _ => DialogueStatus::Scheduled.as_str(),
            };
            *seeded.dialogues_by_status.entry(status).or_default() += 1;
        }
        Ok(seeded)
    }
}

// ---------------------------------------------------------------------------------------------
// The stories

fn tell_stories(plan: &mut Plan<'_>) {
    long_running(plan);
    open_backlog(plan);
    this_quarter(plan);
    last_quarter(plan);
    at_the_desk(plan);
    for routine in routine_cases(plan.quarters) {
        routine.tell(plan);
    }
}

/// The matters that drag on: a mass complaint over land compensation for more than a year, a
/// second round, a suspended denunciation, a re-denunciation, a decision not carried out.
fn long_running(plan: &mut Plan<'_>) {
    // Fourteen households against the compensation of an industrial park.
    let mut s = plan.story("Khiếu nại đông người về bồi thường khu công nghiệp");
    let case = s.walk_in(
        430,
        RECEPTION,
        visit(
            VisitMode::Adhoc,
            0,
            "Đoàn 14 hộ dân thôn Phú Khê đến khiếu nại đơn giá bồi thường đất nông nghiệp bị thu hồi cho khu công nghiệp",
        )
        .group(14, &[1, 2, 3])
        .handled_before_by("UBND xã Hoằng Hóa (Thông báo số 85/TB-UBND)"),
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            HOANG_HOA,
            "UBND xã Hoằng Hóa",
            "Khiếu nại về đơn giá bồi thường đất nông nghiệp thu hồi cho dự án Khu công nghiệp Hoằng Long",
            "14 hộ dân thôn Phú Khê không đồng ý với phương án bồi thường, hỗ trợ khi Nhà nước thu hồi 6,2 ha đất \
             nông nghiệp cho dự án Khu công nghiệp Hoằng Long: đơn giá bồi thường thấp hơn giá chuyển nhượng thực tế \
             tại địa phương, chưa được hỗ trợ chuyển đổi nghề và tạo việc làm. Đề nghị xem xét lại phương án đã \
             được phê duyệt.",
        ),
    );
    s.assign(428, case, MINH);
    s.accept(424, case);
    s.verify(415, case, "Tổ xác minh do Thanh tra tỉnh chủ trì");
    const PARTIES: &[Party] = &[
        Party::Citizen(0, DialogueRole::Complainant),
        Party::Citizen(1, DialogueRole::Representative),
        Party::Official("Ông Lê Đình Hùng, Phó Chủ tịch UBND xã Hoằng Hóa", DialogueRole::Respondent),
        Party::Official("Đại diện Trung tâm Phát triển quỹ đất tỉnh", DialogueRole::Agency),
    ];
    let first = s.dialogue(405, case, 396, PARTIES);
    s.cancel(399, first, "Đại diện các hộ dân đề nghị lùi lịch vì trùng thời vụ thu hoạch lúa");
    s.extend(
        397,
        case,
        "Vụ việc phức tạp, liên quan nhiều hộ dân, phải đối chiếu hồ sơ đo đạc và giá đất qua nhiều thời kỳ",
    );
    let second = s.dialogue(390, case, 381, PARTIES);
    s.hold(
        second,
        381,
        minutes(
            "Các hộ dân đề nghị áp dụng đơn giá bồi thường theo giá chuyển nhượng thực tế và bổ sung hỗ trợ \
             chuyển đổi nghề; đại diện UBND xã trình bày căn cứ xác định giá đất cụ thể đã được phê duyệt.",
            "Thống nhất đo đạc lại diện tích của 3 hộ có sai lệch; chưa thống nhất về đơn giá bồi thường.",
        )
        .agreed("Đo đạc lại diện tích đất của 3 hộ có sai lệch")
        .disagreed("Đơn giá bồi thường đất nông nghiệp")
        .refused_to_sign(1, "Không đồng ý với kết luận về đơn giá bồi thường"),
    );
    s.revisit(
        300,
        RECEPTION,
        visit(
            VisitMode::Adhoc,
            0,
            "Đoàn 20 người dân thôn Phú Khê tiếp tục đến đề nghị giải quyết dứt điểm khiếu nại về bồi thường",
        )
        .group(20, &[1, 21]),
        vec![case],
    );
    s.put_on_central_list(250, case);
    s.letter_again(
        200,
        RECEPTION,
        case,
        CaseSource::Post,
        "Các hộ dân tiếp tục gửi đơn đề nghị sớm ban hành quyết định giải quyết",
    );
    s.revisit(
        120,
        HEAD,
        visit(
            VisitMode::PeriodicHead,
            2,
            "Đại diện các hộ dân thôn Phú Khê dự buổi tiếp công dân định kỳ của lãnh đạo tỉnh",
        )
        .group(6, &[3]),
        vec![case],
    );
    s.revisit(
        25,
        RECEPTION,
        visit(VisitMode::Regular, 3, "Đại diện các hộ dân hỏi tiến độ giải quyết khiếu nại về bồi thường")
            .group(3, &[1]),
        vec![case],
    );

    // A decided first round, then the second round to the province, still open.
    let mut s = plan.story("Khiếu nại lần hai về thu hồi đất phố Trần Phú");
    let first = s.letter(
        402,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            DONG_SON,
            "Chủ tịch UBND phường Đông Sơn",
            "Khiếu nại quyết định thu hồi đất để thực hiện dự án chỉnh trang đô thị phố Trần Phú",
            "Người khiếu nại cho rằng quyết định thu hồi 86 m² đất ở của gia đình không đúng diện tích thực tế sử \
             dụng, chưa xem xét phần đất gia đình sử dụng ổn định trước năm 1993; đề nghị hủy quyết định và lập lại \
             phương án bồi thường.",
        ),
        &[4],
    );
    s.assign(400, first, LAN);
    s.accept(396, first);
    s.verify(390, first, "Tổ công tác của UBND phường Đông Sơn");
    const WARD: &[Party] = &[
        Party::Citizen(4, DialogueRole::Complainant),
        Party::Official("Bà Nguyễn Thị Vân, Phó Chủ tịch UBND phường Đông Sơn", DialogueRole::Respondent),
    ];
    let session = s.dialogue(375, first, 368, WARD);
    s.hold(
        session,
        368,
        minutes(
            "Người khiếu nại đề nghị công nhận toàn bộ 86 m² là đất ở; đại diện UBND phường trình bày hồ sơ địa \
             chính qua các thời kỳ.",
            "Người khiếu nại giữ nguyên yêu cầu; UBND phường giữ nguyên diện tích thu hồi đã xác định.",
        )
        .disagreed("Diện tích đất ở được công nhận"),
    );
    s.decide(362, first, Outcome::Incorrect);
    let second = s.follow_up(
        344,
        RECEPTION,
        first,
        CaseSource::Post,
        "Không đồng ý với quyết định giải quyết khiếu nại lần đầu, người khiếu nại khiếu nại lần hai lên Chủ tịch \
         UBND tỉnh.",
    );
    s.assign(342, second, MINH);
    s.accept(338, second);
    s.verify(330, second, "Thanh tra tỉnh");
    const PROVINCE: &[Party] = &[
        Party::Citizen(4, DialogueRole::Complainant),
        Party::Official("Bà Nguyễn Thị Vân, Phó Chủ tịch UBND phường Đông Sơn", DialogueRole::Respondent),
        Party::Official("Đại diện Sở Nông nghiệp và Môi trường", DialogueRole::Agency),
    ];
    let session = s.dialogue(310, second, 301, PROVINCE);
    s.hold(
        session,
        301,
        minutes(
            "Người khiếu nại đề nghị trích đo lại thửa đất; đại diện UBND phường đồng ý phối hợp.",
            "Thống nhất đề nghị Văn phòng Đăng ký đất đai tỉnh trích đo lại thửa đất; kết quả trích đo là căn cứ \
             ban hành quyết định giải quyết lần hai.",
        )
        .agreed("Trích đo lại thửa đất")
        .absent(2, "Có công văn xin vắng mặt, gửi ý kiến bằng văn bản"),
    );
    s.letter_again(
        150,
        RECEPTION,
        second,
        CaseSource::Online,
        "Đề nghị sớm ban hành quyết định giải quyết khiếu nại lần hai",
    );

    // A denunciation waiting for an expert assessment, open for more than a year.
    let mut s = plan.story("Tố cáo công chức địa chính xã Triệu Sơn");
    let case = s.letter(
        382,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Denunciation,
            Field::Corruption,
            TRIEU_SON,
            "Ông Trịnh Văn Khải, công chức địa chính – xây dựng UBND xã Triệu Sơn",
            "Tố cáo công chức địa chính xã nhận tiền để hợp thức hóa đất lấn chiếm",
            "Người tố cáo phản ánh công chức địa chính – xây dựng xã đã nhận tiền của một số hộ để xác nhận nguồn \
             gốc đất, hợp thức hóa hồ sơ cấp Giấy chứng nhận đối với diện tích đất công bị lấn chiếm ven kênh Bắc.",
        ),
        &[6],
    );
    s.assign(380, case, MINH);
    s.accept(375, case);
    s.verify(368, case, "Tổ xác minh của Thanh tra tỉnh");
    s.extend(342, case, "Cần thu thập thêm hồ sơ cấp Giấy chứng nhận của 11 hộ có liên quan");
    s.suspend(330, case, SuspensionGround::AwaitingExpertAssessment);

    // A conclusion, then a re-denunciation to the province.
    let mut s = plan.story("Tố cáo tiếp về hồ sơ hỗ trợ khống sau bão");
    let first = s.letter(
        152,
        RECEPTION,
        Source::Online,
        matter(
            CaseKind::Denunciation,
            Field::Corruption,
            NGA_SON,
            "Bà Lưu Thị Nhàn, kế toán UBND xã Nga Sơn",
            "Tố cáo kế toán xã lập hồ sơ khống để nhận tiền hỗ trợ khắc phục hậu quả bão",
            "Người tố cáo cho rằng trong đợt chi hỗ trợ khắc phục hậu quả bão, kế toán xã đã lập danh sách khống 9 \
             hộ không bị thiệt hại để nhận tiền hỗ trợ; đề nghị xác minh, xử lý nghiêm và thu hồi tiền cho ngân sách.",
        ),
        &[7],
    );
    s.assign(150, first, LAN);
    s.accept(146, first);
    s.verify(140, first, "Tổ xác minh của Thanh tra tỉnh");
    s.decide(96, first, Outcome::PartlyCorrect);
    s.close(
        90,
        first,
        "Đã kiến nghị xử lý kỷ luật người vi phạm và thu hồi 54 triệu đồng nộp ngân sách; đã thông báo kết quả cho \
         người tố cáo.",
    );
    s.follow_up(
        70,
        RECEPTION,
        first,
        CaseSource::Post,
        "Người tố cáo không đồng ý với kết luận, cho rằng còn bỏ sót nhiều hộ được lập hồ sơ khống, tố cáo tiếp lên \
         Chủ tịch UBND tỉnh.",
    );

    // Decided, but the decision is not carried out: the citizen writes and comes again.
    let mut s = plan.story("Khiếu nại cưỡng chế ki-ốt chợ Sầm Sơn");
    let case = s.letter(
        190,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            SAM_SON,
            "UBND phường Sầm Sơn",
            "Khiếu nại việc cưỡng chế tháo dỡ ki-ốt kinh doanh tại khu vực chợ Sầm Sơn",
            "Người khiếu nại cho rằng ki-ốt được xây dựng theo hợp đồng thuê với Ban quản lý chợ còn thời hạn, việc \
             cưỡng chế tháo dỡ không có quyết định cưỡng chế và không được bồi thường tài sản.",
        ),
        &[45],
    );
    s.assign(188, case, LAN);
    s.accept(184, case);
    s.verify(175, case, "Thanh tra tỉnh");
    s.decide_as_verified(125, case, Outcome::Correct);
    s.letter_again(
        58,
        RECEPTION,
        case,
        CaseSource::Post,
        "Quyết định giải quyết khiếu nại chưa được thực hiện, người khiếu nại đề nghị UBND phường bồi thường tài sản",
    );
    s.revisit(
        30,
        RECEPTION,
        visit(
            VisitMode::Regular,
            45,
            "Công dân đến đề nghị tổ chức thực hiện quyết định giải quyết khiếu nại đã có hiệu lực",
        ),
        vec![case],
    );

    // Suspended for another body, resumed, then extended twice as very complex.
    let mut s = plan.story("Tố cáo giao đất trái thẩm quyền tại Quảng Xương");
    let case = s.letter(
        125,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Denunciation,
            Field::LandHousing,
            QUANG_XUONG,
            "Ông Nguyễn Hữu Đạt, nguyên Chủ tịch UBND xã Quảng Xương",
            "Tố cáo việc giao đất, thu tiền sử dụng đất trái thẩm quyền giai đoạn 2015–2019",
            "Người tố cáo cho rằng nguyên Chủ tịch UBND xã đã giao 27 lô đất ở cho các hộ và thu tiền sử dụng đất \
             không nộp vào ngân sách, trong khi việc giao đất thuộc thẩm quyền của cấp huyện.",
        )
        .very_complex(),
        &[46],
    );
    s.assign(123, case, MINH);
    s.accept(119, case);
    s.verify(115, case, "Đoàn xác minh của Thanh tra tỉnh");
    s.suspend(95, case, SuspensionGround::AwaitingOtherBody);
    s.resume(60, case);
    s.extend(40, case, "Vụ việc rất phức tạp, liên quan nhiều thời kỳ và nhiều cơ quan");
}

/// Open cases of every age, some overdue, one due soon, the unassigned queue.
fn open_backlog(plan: &mut Plan<'_>) {
    let mut s = plan.story("Khiếu nại chế độ con liệt sĩ");
    let case = s.letter(
        161,
        RECEPTION,
        Source::Online,
        matter(
            CaseKind::Complaint,
            Field::Policy,
            HAC_THANH,
            "Sở Nội vụ tỉnh Thanh Hóa",
            "Khiếu nại việc không giải quyết chế độ trợ cấp đối với con của liệt sĩ",
            "Người khiếu nại là con của liệt sĩ, đã nộp đủ hồ sơ đề nghị hưởng trợ cấp hằng tháng nhưng bị trả lại \
             với lý do thiếu giấy tờ chứng minh quan hệ nhân thân; đề nghị xem xét lại.",
        ),
        &[5],
    );
    s.assign(158, case, BAO);
    s.accept(152, case);
    s.verify(145, case, "Phòng Người có công, Sở Nội vụ");
    const POLICY: &[Party] = &[
        Party::Citizen(5, DialogueRole::Complainant),
        Party::Official("Đại diện Sở Nội vụ tỉnh Thanh Hóa", DialogueRole::Respondent),
    ];
    s.dialogue(3, case, -6, POLICY);

    let mut s = plan.story("Tố cáo cán bộ công an xã Thọ Xuân");
    let case = s.walk_in(
        76,
        RECEPTION,
        visit(
            VisitMode::Regular,
            8,
            "Công dân đến tố cáo cán bộ công an xã gây khó khăn khi làm thủ tục đăng ký thường trú",
        ),
        matter(
            CaseKind::Denunciation,
            Field::CivilService,
            THO_XUAN,
            "Ông Lê Văn Hạ, Phó Trưởng Công an xã Thọ Xuân",
            "Tố cáo cán bộ công an xã sách nhiễu khi giải quyết thủ tục đăng ký thường trú",
            "Người tố cáo trình bày đã nhiều lần nộp hồ sơ đăng ký thường trú cho con nhưng bị yêu cầu bổ sung giấy \
             tờ không có trong quy định và được gợi ý nộp thêm tiền để giải quyết nhanh.",
        ),
    );
    s.assign(74, case, LAN);
    s.accept(69, case);
    s.verify(62, case, "Thanh tra Công an tỉnh");
    s.extend(36, case, "Cần làm việc với các hộ dân đã làm thủ tục trong cùng thời gian");
    // The denouncer withdrew, but the facts point to a violation: the resolution goes on.
    s.withdraw(20, case, true);

    let mut s = plan.story("Khiếu nại cấp giấy chứng nhận chồng lấn tại Yên Định");
    let case = s.walk_in(
        40,
        RECEPTION,
        visit(
            VisitMode::Regular,
            9,
            "Công dân khiếu nại việc cấp Giấy chứng nhận quyền sử dụng đất chồng lấn thửa đất của gia đình",
        ),
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            YEN_DINH,
            "UBND xã Yên Định",
            "Khiếu nại việc cấp Giấy chứng nhận quyền sử dụng đất chồng lấn lên thửa đất của gia đình",
            "Người khiếu nại cho rằng UBND xã đã xác nhận hồ sơ cấp Giấy chứng nhận cho hộ liền kề có khoảng 40 m² \
             chồng lấn lên thửa đất gia đình sử dụng ổn định từ năm 1990.",
        ),
    );
    s.assign(38, case, MINH);
    s.accept(28, case);

    let mut s = plan.story("Phản ánh ô nhiễm tại Nghi Sơn");
    s.walk_in(
        0,
        RECEPTION,
        visit(
            VisitMode::Adhoc,
            10,
            "Đoàn 8 người dân khu phố Bắc Sơn phản ánh bụi và tiếng ồn từ nhà máy sản xuất vật liệu xây dựng",
        )
        .group(8, &[11, 12]),
        matter(
            CaseKind::Feedback,
            Field::Other,
            NGHI_SON,
            "Công ty Cổ phần Vật liệu xây dựng Bắc Nghi Sơn",
            "Phản ánh bụi, tiếng ồn từ nhà máy sản xuất vật liệu xây dựng ảnh hưởng khu dân cư",
            "Người dân khu phố Bắc Sơn phản ánh nhà máy hoạt động cả ban đêm, bụi phát tán vào khu dân cư, xe chở \
             vật liệu làm hư hỏng đường liên thôn; đề nghị cơ quan chức năng kiểm tra, xử lý.",
        ),
    );

    let mut s = plan.story("Kiến nghị hỗ trợ nhà ở sau sạt lở tại Quan Sơn");
    let case = s.letter(
        18,
        RECEPTION,
        Source::Forwarded(DELEGATION_OF_DEPUTIES),
        matter(
            CaseKind::Petition,
            Field::Policy,
            QUAN_SON,
            "UBND xã Quan Sơn",
            "Kiến nghị hỗ trợ làm lại nhà ở cho các hộ bị ảnh hưởng bởi sạt lở đất",
            "Các hộ bản Chiềng Nưa có nhà ở bị sạt lở sau mưa lũ kiến nghị được hỗ trợ kinh phí làm nhà và bố trí \
             đất tái định cư ở nơi an toàn.",
        )
        .remote(),
        &[13],
    );
    s.assign(16, case, BAO);
    s.accept(12, case);

    let mut s = plan.story("Khiếu nại thu hồi đất rừng giao khoán tại Mường Lát");
    let case = s.letter(
        50,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            MUONG_LAT,
            "Ban Quản lý rừng phòng hộ Mường Lát",
            "Khiếu nại việc thu hồi diện tích đất rừng sản xuất đã giao khoán cho hộ gia đình",
            "Người khiếu nại cho rằng Ban Quản lý rừng phòng hộ thu hồi 2,5 ha đất rừng đã giao khoán cho gia đình \
             từ năm 2008 mà không thông báo trước, không bồi thường cây trồng trên đất.",
        )
        .remote(),
        &[14],
    );
    s.assign(47, case, LAN);

    let mut s = plan.story("Tố cáo đấu thầu kè biển Sầm Sơn");
    let case = s.letter(
        12,
        RECEPTION,
        Source::Online,
        matter(
            CaseKind::Denunciation,
            Field::Corruption,
            SAM_SON,
            "Ban Quản lý dự án đầu tư xây dựng tỉnh Thanh Hóa",
            "Tố cáo sai phạm trong đấu thầu gói thầu xây dựng kè chống sạt lở bờ biển",
            "Người tố cáo cho rằng hồ sơ mời thầu đặt tiêu chí hạn chế nhà thầu, kết quả lựa chọn nhà thầu có dấu \
             hiệu thông thầu; nhiều đoạn kè thi công không đúng thiết kế.",
        )
        .multi_site(),
        &[15],
    );
    s.assign(10, case, MINH);

    // One letter, two contents: a complaint and a feedback.
    let mut s = plan.story("Đơn hai nội dung tại ngõ 12 Lý Thường Kiệt");
    let letter = s.letter(
        6,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            HAC_THANH,
            "UBND phường Hạc Thành",
            "Đơn khiếu nại, phản ánh về cấp phép xây dựng và tình trạng ngập úng tại ngõ 12 phố Lý Thường Kiệt",
            "Đơn có hai nội dung: khiếu nại việc cấp giấy phép xây dựng cho hộ liền kề lấn sang lối đi chung; phản \
             ánh tình trạng ngập úng kéo dài do cống thoát nước không được nạo vét.",
        ),
        &[16],
    );
    s.assign(5, letter, LAN);
    let [complaint, _feedback] = s.split(
        4,
        letter,
        [
            PartInput {
                kind: CaseKind::Complaint,
                field: Field::LandHousing,
                title: "Khiếu nại việc cấp giấy phép xây dựng cho hộ liền kề lấn sang lối đi chung".into(),
                summary: "Người khiếu nại cho rằng giấy phép xây dựng cấp cho hộ liền kề cho phép xây tường rào lấn \
                          0,8 m sang lối đi chung của ngõ; đề nghị thu hồi giấy phép."
                    .into(),
            },
            PartInput {
                kind: CaseKind::Feedback,
                field: Field::Other,
                title: "Phản ánh tình trạng ngập úng kéo dài tại ngõ 12 phố Lý Thường Kiệt".into(),
                summary: "Mỗi khi mưa lớn, ngõ bị ngập sâu 30–40 cm do cống thoát nước bị bồi lấp, chưa được nạo vét."
                    .into(),
            },
        ],
    );
    s.assign(3, complaint, LAN);

    // The same letter sent twice: the second is filed as a duplicate of the first.
    let mut s = plan.story("Khiếu nại chậm chi trả bồi thường đường ven biển");
    let compensation = matter(
        CaseKind::Complaint,
        Field::LandHousing,
        QUANG_XUONG,
        "Trung tâm Phát triển quỹ đất tỉnh Thanh Hóa",
        "Khiếu nại việc chậm chi trả tiền bồi thường giải phóng mặt bằng dự án đường ven biển",
        "Gia đình đã bàn giao mặt bằng từ tháng 3 nhưng đến nay chưa nhận được tiền bồi thường, hỗ trợ theo phương \
         án đã được phê duyệt.",
    );
    let original = s.letter(36, RECEPTION, Source::Post, compensation, &[17]);
    s.assign(34, original, MINH);
    s.accept(29, original);
    s.verify(22, original, "Trung tâm Phát triển quỹ đất tỉnh");
    let duplicate = s.letter(20, RECEPTION, Source::Online, compensation, &[17]);
    s.assign(19, duplicate, MINH);
    s.file_as_duplicate(18, duplicate, original);
}

/// Decisions of the current official quarter, on time and late, and the newest work.
fn this_quarter(plan: &mut Plan<'_>) {
    let q = plan.quarters;

    let mut s = plan.story("Khiếu nại thời gian đóng bảo hiểm xã hội");
    let case = s.letter(
        q.this_late + 27,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Complaint,
            Field::Policy,
            HAC_THANH,
            "Bảo hiểm xã hội tỉnh Thanh Hóa",
            "Khiếu nại việc không tính thời gian công tác tại hợp tác xã vào thời gian đóng bảo hiểm xã hội",
            "Người khiếu nại cho rằng cơ quan bảo hiểm xã hội không tính 4 năm công tác tại hợp tác xã trước năm \
             1995 vào thời gian đóng bảo hiểm xã hội, làm mức lương hưu thấp hơn quy định.",
        ),
        &[30],
    );
    s.assign(q.this_late + 25, case, MINH);
    s.accept(q.this_late + 22, case);
    s.verify(q.this_late + 18, case, "Phòng Chế độ bảo hiểm xã hội");
    const INSURANCE: &[Party] = &[
        Party::Citizen(30, DialogueRole::Complainant),
        Party::Official("Đại diện Bảo hiểm xã hội tỉnh Thanh Hóa", DialogueRole::Respondent),
    ];
    let session = s.dialogue(q.this_late + 12, case, q.this_late + 6, INSURANCE);
    s.hold(
        session,
        q.this_late + 6,
        minutes(
            "Người khiếu nại xuất trình thêm sổ lương của hợp tác xã; cơ quan bảo hiểm xã hội đối chiếu hồ sơ lưu trữ.",
            "Cơ quan bảo hiểm xã hội đồng ý tính bổ sung 2 năm có đủ hồ sơ; 2 năm còn lại chưa có căn cứ.",
        )
        .agreed("Tính bổ sung 2 năm công tác có đủ hồ sơ")
        .disagreed("Hai năm công tác chưa có sổ sách chứng minh"),
    );
    s.decide(q.this_late, case, Outcome::PartlyCorrect);

    let mut s = plan.story("Khiếu nại xử phạt nhà kho nông sản");
    let case = s.letter(
        q.this_early + 64,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            THIEU_HOA,
            "UBND xã Thiệu Hóa",
            "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng nhà kho trên đất nông nghiệp",
            "Người khiếu nại cho rằng việc xử phạt và buộc tháo dỡ nhà kho nông sản xây trên đất nông nghiệp là \
             không đúng vì công trình phục vụ trực tiếp sản xuất nông nghiệp theo quy định.",
        ),
        &[31],
    );
    s.assign(q.this_early + 62, case, BAO);
    s.accept(q.this_early + 58, case);
    s.verify(q.this_early + 50, case, "Thanh tra tỉnh");
    s.decide_as_verified(q.this_early, case, Outcome::Correct);
    s.close(
        later(q.this_early, 1),
        case,
        "UBND xã đã hủy quyết định xử phạt và hoàn trả tiền phạt cho người khiếu nại.",
    );

    let mut s = plan.story("Tố cáo trưởng thôn thu tiền trái quy định");
    let case = s.letter(
        q.this_early + 34,
        RECEPTION,
        Source::Online,
        matter(
            CaseKind::Denunciation,
            Field::CivilService,
            TRIEU_SON,
            "Ông Phạm Văn Cừ, Trưởng thôn Tân Lập, xã Triệu Sơn",
            "Tố cáo trưởng thôn thu các khoản đóng góp trái quy định",
            "Người tố cáo cho rằng trưởng thôn tự đặt ra các khoản thu làm đường, quỹ an ninh mà không qua họp dân, \
             không công khai thu chi.",
        ),
        &[32],
    );
    s.assign(q.this_early + 33, case, MINH);
    s.accept(q.this_early + 28, case);
    s.verify(q.this_early + 24, case, "Tổ xác minh của UBND xã Triệu Sơn");
    s.decide(q.this_early, case, Outcome::Correct);
    s.close(
        later(q.this_early, 1),
        case,
        "Đã yêu cầu hoàn trả các khoản thu sai cho người dân và kiểm điểm trách nhiệm trưởng thôn.",
    );

    let mut s = plan.story("Tố cáo cán bộ bộ phận một cửa Sầm Sơn");
    let case = s.letter(
        q.this_late + 72,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Denunciation,
            Field::CivilService,
            SAM_SON,
            "Ông Đoàn Minh Khoa, cán bộ Bộ phận một cửa UBND phường Sầm Sơn",
            "Tố cáo cán bộ bộ phận một cửa gây phiền hà khi giải quyết hồ sơ đất đai",
            "Người tố cáo cho rằng cán bộ tiếp nhận hồ sơ nhiều lần trả hồ sơ không có lý do và gợi ý nộp thêm tiền \
             để được giải quyết đúng hạn.",
        ),
        &[33],
    );
    s.assign(q.this_late + 70, case, LAN);
    s.accept(q.this_late + 66, case);
    s.verify(q.this_late + 60, case, "Thanh tra tỉnh");
    s.decide(q.this_late, case, Outcome::Incorrect);

    let mut s = plan.story("Kiến nghị sửa cầu tràn liên thôn");
    let case = s.letter(
        q.this_early + 21,
        RECEPTION,
        Source::Forwarded(DELEGATION_OF_DEPUTIES),
        matter(
            CaseKind::Petition,
            Field::Other,
            YEN_DINH,
            "UBND xã Yên Định",
            "Kiến nghị sửa chữa cầu tràn bị hư hỏng trên tuyến đường liên thôn",
            "Cầu tràn nối thôn Yên Trường với trung tâm xã bị sạt mố sau mưa lũ, học sinh và người dân đi lại nguy \
             hiểm; kiến nghị sớm sửa chữa.",
        ),
        &[34],
    );
    s.assign(q.this_early + 20, case, BAO);
    s.accept(q.this_early + 16, case);
    s.decide(q.this_early, case, Outcome::Answered);
    s.close(
        later(q.this_early, 1),
        case,
        "Đã bố trí kinh phí sửa chữa cầu tràn trong kế hoạch năm và thông báo cho người kiến nghị.",
    );

    let mut s = plan.story("Phản ánh thu gom rác thải ven biển");
    let case = s.letter(
        q.this_late + 52,
        RECEPTION,
        Source::Online,
        matter(
            CaseKind::Feedback,
            Field::Other,
            HOANG_HOA,
            "UBND xã Hoằng Hóa",
            "Phản ánh việc thu gom rác thải không thường xuyên tại các thôn ven biển",
            "Rác thải sinh hoạt tồn đọng nhiều ngày tại các điểm tập kết ven đường, gây mùi hôi và ô nhiễm, nhất là \
             trong mùa du lịch.",
        ),
        &[35, 22],
    );
    s.assign(q.this_late + 50, case, MINH);
    s.accept(q.this_late + 46, case);
    s.decide(q.this_late, case, Outcome::Answered);

    // Answered today.
    let mut s = plan.story("Phản ánh đèn chiếu sáng phố Trần Phú");
    let case = s.letter(
        21,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Feedback,
            Field::Other,
            DONG_SON,
            "UBND phường Đông Sơn",
            "Phản ánh đèn chiếu sáng công cộng hư hỏng trên tuyến phố Trần Phú",
            "Nhiều cột đèn chiếu sáng trên phố Trần Phú không hoạt động nhiều tháng, gây mất an toàn giao thông ban \
             đêm.",
        ),
        &[36],
    );
    s.assign(20, case, BAO);
    s.accept(15, case);
    s.decide(0, case, Outcome::Answered);

    // Accepted today.
    let mut s = plan.story("Khiếu nại kỷ luật viên chức trạm y tế");
    let case = s.walk_in(
        4,
        RECEPTION,
        visit(
            VisitMode::Regular,
            37,
            "Công dân khiếu nại quyết định kỷ luật khiển trách đối với viên chức trạm y tế xã",
        ),
        matter(
            CaseKind::Complaint,
            Field::CivilService,
            NGA_SON,
            "Chủ tịch UBND xã Nga Sơn",
            "Khiếu nại quyết định kỷ luật khiển trách đối với viên chức trạm y tế xã",
            "Người khiếu nại không đồng ý với quyết định kỷ luật khiển trách vì cho rằng quy trình xem xét kỷ luật \
             không bảo đảm quyền giải trình của viên chức.",
        ),
    );
    s.assign(3, case, LAN);
    s.accept(0, case);

    // Transferred to the police, who replied.
    let mut s = plan.story("Tố cáo cán bộ cảnh sát giao thông");
    let case = s.letter(
        q.this_early + 38,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Denunciation,
            Field::CivilService,
            HAC_THANH,
            "Cán bộ Cảnh sát giao thông làm nhiệm vụ trên Quốc lộ 1A",
            "Tố cáo cán bộ cảnh sát giao thông nhận tiền khi xử lý vi phạm",
            "Người tố cáo trình bày khi bị dừng xe kiểm tra trên Quốc lộ 1A đoạn qua phường Hạc Thành, cán bộ làm \
             nhiệm vụ đã nhận tiền và không lập biên bản vi phạm.",
        ),
        &[23],
    );
    s.assign(q.this_early + 37, case, LAN);
    s.transfer(q.this_early + 35, case, "Công an tỉnh Thanh Hóa");
    s.record_reply(
        q.this_early,
        case,
        "Công an tỉnh đã xác minh, xử lý kỷ luật cán bộ vi phạm và thông báo kết quả cho người tố cáo.",
    );
}

/// Decisions of the previous official quarter, and a second round decided in it.
fn last_quarter(plan: &mut Plan<'_>) {
    let q = plan.quarters;

    let mut s = plan.story("Khiếu nại không cấp giấy chứng nhận đất giao trước 1993");
    let case = s.walk_in(
        q.last_early + 29,
        MINH,
        visit(
            VisitMode::PeriodicDelegated,
            38,
            "Công dân khiếu nại việc UBND xã không cấp Giấy chứng nhận quyền sử dụng đất",
        ),
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            TRIEU_SON,
            "UBND xã Triệu Sơn",
            "Khiếu nại việc không cấp Giấy chứng nhận quyền sử dụng đất đối với đất được giao trước năm 1993",
            "Người khiếu nại được hợp tác xã giao đất làm nhà năm 1989, sử dụng ổn định, không tranh chấp nhưng bị \
             từ chối cấp Giấy chứng nhận vì không có quyết định giao đất gốc.",
        ),
    );
    s.assign(q.last_early + 27, case, MINH);
    s.accept(q.last_early + 25, case);
    s.verify(q.last_early + 21, case, "Công chức địa chính UBND xã Triệu Sơn");
    const LAND: &[Party] = &[
        Party::Citizen(38, DialogueRole::Complainant),
        Party::Official("Ông Lê Văn Toản, Phó Chủ tịch UBND xã Triệu Sơn", DialogueRole::Respondent),
    ];
    let session = s.dialogue(q.last_early + 16, case, q.last_early + 8, LAND);
    s.hold(
        session,
        q.last_early + 8,
        minutes(
            "Người khiếu nại cung cấp biên lai nộp tiền cho hợp tác xã năm 1989; UBND xã đối chiếu sổ mục kê.",
            "UBND xã thừa nhận thiếu sót, thống nhất hoàn thiện hồ sơ đề nghị cấp Giấy chứng nhận.",
        )
        .agreed("Hoàn thiện hồ sơ đề nghị cấp Giấy chứng nhận"),
    );
    s.decide(q.last_early, case, Outcome::Correct);
    s.close(q.last_late, case, "UBND xã đã hoàn thiện hồ sơ và chuyển Văn phòng Đăng ký đất đai cấp Giấy chứng nhận.");

    let mut s = plan.story("Khiếu nại cắt trợ cấp người cao tuổi");
    let case = s.letter(
        q.last_late + 76,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Complaint,
            Field::Policy,
            THO_XUAN,
            "UBND xã Thọ Xuân",
            "Khiếu nại việc cắt trợ cấp xã hội hằng tháng đối với người cao tuổi",
            "Người khiếu nại 82 tuổi, đang hưởng trợ cấp xã hội thì bị cắt với lý do đã có con có khả năng phụng \
             dưỡng; cho rằng việc cắt trợ cấp không đúng đối tượng quy định.",
        ),
        &[39],
    );
    s.assign(q.last_late + 74, case, LAN);
    s.accept(q.last_late + 70, case);
    s.verify(q.last_late + 60, case, "Phòng Văn hóa – Xã hội UBND xã Thọ Xuân");
    const ELDERLY: &[Party] = &[
        Party::Citizen(39, DialogueRole::Complainant),
        Party::Official("Bà Trịnh Thị Hoa, công chức văn hóa – xã hội xã Thọ Xuân", DialogueRole::Respondent),
    ];
    let session = s.dialogue(q.last_late + 30, case, q.last_late + 20, ELDERLY);
    s.hold(
        session,
        q.last_late + 20,
        minutes(
            "Người khiếu nại trình bày hoàn cảnh sống một mình; đại diện UBND xã trình bày căn cứ cắt trợ cấp.",
            "Không thống nhất; UBND xã giữ nguyên việc cắt trợ cấp.",
        )
        .disagreed("Đối tượng hưởng trợ cấp xã hội hằng tháng"),
    );
    s.decide(q.last_late, case, Outcome::Incorrect);
    s.close(later(q.last_late, 5), case, "Đã giao quyết định giải quyết khiếu nại cho người khiếu nại và UBND xã.");

    let mut s = plan.story("Tố cáo sử dụng sai quỹ hỗ trợ nông dân");
    let case = s.letter(
        q.last_early + 31,
        RECEPTION,
        Source::Online,
        matter(
            CaseKind::Denunciation,
            Field::PartyMassOrg,
            THIEU_HOA,
            "Ông Hoàng Đình Tráng, Chủ tịch Hội Nông dân xã Thiệu Hóa",
            "Tố cáo Chủ tịch Hội Nông dân xã sử dụng sai mục đích Quỹ hỗ trợ nông dân",
            "Người tố cáo cho rằng nhiều khoản vay từ Quỹ hỗ trợ nông dân được giải ngân cho người thân của Chủ tịch \
             Hội, không đúng đối tượng và không có phương án sản xuất.",
        ),
        &[40],
    );
    s.assign(q.last_early + 30, case, BAO);
    s.accept(q.last_early + 27, case);
    s.verify(q.last_early + 22, case, "Ủy ban Kiểm tra Hội Nông dân tỉnh");
    s.decide(q.last_early, case, Outcome::PartlyCorrect);
    s.close(q.last_late, case, "Đã thu hồi các khoản vay sai đối tượng và đề nghị Hội Nông dân tỉnh xử lý kỷ luật.");

    let mut s = plan.story("Tố cáo giao đất trái thẩm quyền tại Quảng Xương năm 2024");
    let case = s.letter(
        q.last_late + 52,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Denunciation,
            Field::LandHousing,
            QUANG_XUONG,
            "Ông Vũ Văn Chiến, Phó Chủ tịch UBND xã Quảng Xương",
            "Tố cáo Phó Chủ tịch UBND xã chỉ đạo cho thuê đất công ích trái quy định",
            "Người tố cáo cho rằng Phó Chủ tịch UBND xã chỉ đạo cho một doanh nghiệp thuê 1,2 ha đất công ích không \
             qua đấu giá, giá thuê thấp hơn nhiều so với giá thị trường.",
        ),
        &[41],
    );
    s.assign(q.last_late + 50, case, MINH);
    s.accept(q.last_late + 46, case);
    s.verify(q.last_late + 40, case, "Thanh tra tỉnh");
    s.decide(q.last_late, case, Outcome::Incorrect);

    let mut s = plan.story("Kiến nghị hỗ trợ giống cây trồng sau lũ quét");
    let case = s.letter(
        q.last_early + 18,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Petition,
            Field::Policy,
            BA_THUOC,
            "UBND xã Bá Thước",
            "Kiến nghị hỗ trợ giống cây trồng cho các hộ bị thiệt hại do lũ quét",
            "Các hộ bản Lặn Ngoài bị lũ quét cuốn trôi hoa màu kiến nghị được hỗ trợ giống ngô, lúa để tái sản xuất \
             kịp thời vụ.",
        )
        .remote(),
        &[42],
    );
    s.assign(q.last_early + 17, case, BAO);
    s.accept(q.last_early + 14, case);
    s.decide(q.last_early, case, Outcome::Answered);
    s.close(q.last_late, case, "Đã cấp hỗ trợ giống ngô, lúa cho 37 hộ bị thiệt hại.");

    let mut s = plan.story("Phản ánh nước thải khu công nghiệp ra kênh tiêu");
    let case = s.letter(
        q.last_late + 48,
        RECEPTION,
        Source::Online,
        matter(
            CaseKind::Feedback,
            Field::Other,
            NGHI_SON,
            "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp",
            "Phản ánh nước thải từ khu công nghiệp chảy ra kênh tiêu nông nghiệp",
            "Nước thải có màu đen, mùi hôi chảy từ khu công nghiệp ra kênh tiêu, làm chết lúa và cá của các hộ dân \
             khu phố Bắc Sơn.",
        ),
        &[43],
    );
    s.assign(q.last_late + 46, case, LAN);
    s.accept(q.last_late + 43, case);
    s.decide(q.last_late, case, Outcome::Answered);
    s.close(
        later(q.last_late, 3),
        case,
        "Doanh nghiệp xả thải đã bị xử phạt và buộc khắc phục; đã trả lời người phản ánh.",
    );

    // A first round decided, then the second round, decided on time with its dialogue.
    let mut s = plan.story("Khiếu nại hai lần về tranh chấp đất liền kề");
    let first = s.letter(
        q.last_early + 125,
        RECEPTION,
        Source::Post,
        matter(
            CaseKind::Complaint,
            Field::LandHousing,
            HOANG_HOA,
            "Chủ tịch UBND xã Hoằng Hóa",
            "Khiếu nại quyết định giải quyết tranh chấp đất đai giữa hai hộ liền kề",
            "Người khiếu nại không đồng ý với quyết định công nhận phần đất 18 m² đang tranh chấp cho hộ liền kề, \
             cho rằng chưa xem xét bản đồ địa chính năm 1995.",
        ),
        &[44],
    );
    s.assign(q.last_early + 123, first, BAO);
    s.accept(q.last_early + 120, first);
    s.verify(q.last_early + 112, first, "Công chức địa chính UBND xã Hoằng Hóa");
    const NEIGHBOURS: &[Party] = &[
        Party::Citizen(44, DialogueRole::Complainant),
        Party::Official("Ông Lê Đình Hùng, Phó Chủ tịch UBND xã Hoằng Hóa", DialogueRole::Respondent),
        Party::Official("Hộ ông Nguyễn Văn Thìn (hộ liền kề)", DialogueRole::RelatedParty),
    ];
    let session = s.dialogue(q.last_early + 100, first, q.last_early + 92, NEIGHBOURS);
    s.hold(
        session,
        q.last_early + 92,
        minutes(
            "Các bên trình bày quá trình sử dụng đất; UBND xã đối chiếu bản đồ địa chính các thời kỳ.",
            "Không thống nhất được ranh giới thửa đất.",
        )
        .disagreed("Ranh giới giữa hai thửa đất"),
    );
    s.decide(q.last_early + 80, first, Outcome::Incorrect);
    s.close(q.last_early + 78, first, "Đã giao quyết định giải quyết khiếu nại lần đầu cho các bên.");
    let second = s.follow_up(
        q.last_early + 62,
        RECEPTION,
        first,
        CaseSource::Post,
        "Người khiếu nại không đồng ý với quyết định lần đầu và khiếu nại lần hai lên Chủ tịch UBND tỉnh.",
    );
    s.assign(q.last_early + 60, second, MINH);
    s.accept(q.last_early + 40, second);
    s.verify(q.last_early + 35, second, "Thanh tra tỉnh");
    let session = s.dialogue(q.last_early + 25, second, q.last_early + 15, NEIGHBOURS);
    s.hold(
        session,
        q.last_early + 15,
        minutes(
            "Thanh tra tỉnh công bố kết quả xác minh và đo đạc lại; các bên nêu ý kiến.",
            "Kết quả đo đạc phù hợp với quyết định giải quyết lần đầu.",
        )
        .refused_to_sign(0, "Không đồng ý với kết quả đo đạc"),
    );
    s.decide(q.last_early, second, Outcome::Upheld);
    s.close(q.last_late, second, "Đã công khai quyết định giải quyết khiếu nại lần hai.");
}

/// Visits settled at the desk without a case: guidance, a transfer, refusals.
fn at_the_desk(plan: &mut Plan<'_>) {
    let q = plan.quarters;
    let mut s = plan.story("Hướng dẫn thủ tục chuyển mục đích sử dụng đất");
    s.visit_only(
        9,
        RECEPTION,
        visit(VisitMode::Regular, 47, "Công dân hỏi thủ tục chuyển mục đích sử dụng đất vườn sang đất ở")
            .about(&[CaseKind::Petition]),
        Disposal::Guided("Bộ phận một cửa UBND xã Yên Định"),
    );
    let mut s = plan.story("Chuyển phản ánh thu phí chợ");
    s.visit_only(
        q.this_late + 3,
        RECEPTION,
        visit(VisitMode::Adhoc, 48, "Công dân phản ánh việc thu phí chỗ ngồi tại chợ không đúng mức quy định")
            .about(&[CaseKind::Feedback]),
        Disposal::Transferred("UBND phường Sầm Sơn"),
    );
    let mut s = plan.story("Từ chối tiếp vụ việc đã giải quyết xong");
    s.visit_only(
        27,
        RECEPTION,
        visit(
            VisitMode::Regular,
            49,
            "Công dân tiếp tục đề nghị giải quyết tranh chấp đất đai đã có quyết định giải quyết cuối cùng và đã được \
             trả lời nhiều lần",
        )
        .about(&[CaseKind::Complaint]),
        Disposal::Refused(3),
    );
    let mut s = plan.story("Từ chối tiếp do vi phạm nội quy");
    s.visit_only(
        140,
        RECEPTION,
        visit(VisitMode::Adhoc, 50, "Công dân có lời lẽ xúc phạm cán bộ, gây mất trật tự tại nơi tiếp công dân")
            .about(&[CaseKind::Complaint]),
        Disposal::Refused(2),
    );
    let mut s = plan.story("Hướng dẫn về thi hành án dân sự");
    s.visit_only(
        q.last_early + 2,
        HEAD,
        visit(VisitMode::PeriodicHead, 51, "Công dân hỏi về việc chậm thi hành bản án dân sự về chia tài sản")
            .about(&[CaseKind::Petition]),
        Disposal::Guided("Thi hành án dân sự tỉnh Thanh Hóa"),
    );
}

// ---------------------------------------------------------------------------------------------
// Routine cases

/// How a routine case arrived.
#[derive(Debug, Clone, Copy)]
enum Arrival {
    Letter(Source),
    InPerson(VisitMode, Who),
}

/// Where a routine case got to; days are counted after its receipt.
#[derive(Debug, Clone, Copy)]
enum Path {
    Waiting,
    Accepted { accepted: i64 },
    Verifying { accepted: i64, verifying: i64 },
    Decided { accepted: i64, decided: i64, outcome: Outcome },
    Closed { accepted: i64, decided: i64, closed: i64, outcome: Outcome },
    Guided { after: i64, to: &'static str },
    Transferred { after: i64, to: &'static str },
    Replied { after: i64, to: &'static str, replied: i64, reply: &'static str },
    Filed { after: i64, reason: FileReason },
    Rejected { after: i64, ground: RejectGround, reason: &'static str },
    WithdrawnWaiting { after: i64 },
    WithdrawnAccepted { accepted: i64, withdrawn: i64 },
    Terminated { accepted: i64, verifying: i64, terminated: i64, ground: TerminationGround },
}

/// An ordinary case: it arrives, is assigned, and goes its way.
struct Routine {
    received: i64,
    arrival: Arrival,
    citizen: usize,
    handler: Option<Who>,
    path: Path,
    matter: Matter,
}

impl Routine {
    fn tell(self, plan: &mut Plan<'_>) {
        let Routine { received, arrival, citizen, handler, path, matter } = self;
        let mut s = plan.story(matter.title);
        let case = match arrival {
            Arrival::Letter(source) => s.letter(received, RECEPTION, source, matter, &[citizen]),
            Arrival::InPerson(mode, by) => s.walk_in(received, by, visit(mode, citizen, matter.title), matter),
        };
        if let Some(handler) = handler {
            s.assign(later(received, 1), case, handler);
        }
        let day = |days: i64| later(received, days);
        const VERIFIER: &str = "Tổ xác minh của Thanh tra tỉnh";
        match path {
            Path::Waiting => {}
            Path::Accepted { accepted } => s.accept(day(accepted), case),
            Path::Verifying { accepted, verifying } => {
                s.accept(day(accepted), case);
                s.verify(day(verifying), case, VERIFIER);
            }
            Path::Decided { accepted, decided, outcome } => {
                s.accept(day(accepted), case);
                decide_routine(&mut s, case, matter.kind, day(decided), outcome);
            }
            Path::Closed { accepted, decided, closed, outcome } => {
                s.accept(day(accepted), case);
                decide_routine(&mut s, case, matter.kind, day(decided), outcome);
                s.close(day(closed), case, "Đã tổ chức thực hiện xong và thông báo kết quả cho công dân.");
            }
            Path::Guided { after, to } => s.guide(day(after), case, to),
            Path::Transferred { after, to } => s.transfer(day(after), case, to),
            Path::Replied { after, to, replied, reply } => {
                s.transfer(day(after), case, to);
                s.record_reply(day(replied), case, reply);
            }
            Path::Filed { after, reason } => s.file(day(after), case, reason),
            Path::Rejected { after, ground, reason } => s.reject(day(after), case, ground, reason),
            Path::WithdrawnWaiting { after } => s.withdraw(day(after), case, false),
            Path::WithdrawnAccepted { accepted, withdrawn } => {
                s.accept(day(accepted), case);
                s.withdraw(day(withdrawn), case, false);
            }
            Path::Terminated { accepted, verifying, terminated, ground } => {
                s.accept(day(accepted), case);
                s.verify(day(verifying), case, VERIFIER);
                s.terminate(day(terminated), case, ground);
            }
        }
    }
}

/// A routine complaint is decided without a dialogue: its verification agreed with it.
fn decide_routine(s: &mut Story<'_, '_>, case: CaseRef, kind: CaseKind, days_ago: i64, outcome: Outcome) {
    if kind == CaseKind::Complaint {
        s.decide_as_verified(days_ago, case, outcome);
    } else {
        s.decide(days_ago, case, outcome);
    }
}

fn routine_cases(q: Quarters) -> Vec<Routine> {
    use Arrival::{InPerson, Letter};
    use CaseKind::{Complaint, Denunciation, Feedback, Petition};
    use Source::{Forwarded, Online, Post};
    let routine = |received, arrival, citizen, handler, path, matter| Routine {
        received,
        arrival,
        citizen,
        handler,
        path,
        matter,
    };
    vec![
        routine(8, Letter(Post), 52, None, Path::Waiting, matter(
            Complaint, Field::LandHousing, THIEU_HOA, "UBND xã Thiệu Hóa",
            "Khiếu nại kết quả đo đạc lại bản đồ địa chính làm giảm diện tích thửa đất",
            "Người khiếu nại cho rằng kết quả đo đạc bản đồ địa chính làm giảm 25 m² so với Giấy chứng nhận đã cấp; \
             đề nghị đo đạc lại có sự chứng kiến của các hộ liền kề.",
        )),
        routine(14, Letter(Online), 53, Some(BAO), Path::Waiting, matter(
            Petition, Field::Policy, DONG_SON, "Bảo hiểm xã hội tỉnh Thanh Hóa",
            "Kiến nghị thanh toán chi phí khám chữa bệnh bảo hiểm y tế khi điều trị trái tuyến",
            "Người kiến nghị điều trị nội trú tại bệnh viện tuyến trung ương nhưng chỉ được thanh toán 40% chi phí; \
             đề nghị xem xét thanh toán theo đúng mức hưởng.",
        )),
        routine(26, InPerson(VisitMode::PeriodicHead, HEAD), 54, Some(MINH), Path::Accepted { accepted: 7 }, matter(
            Complaint, Field::CivilService, HAC_THANH, "Sở Xây dựng tỉnh Thanh Hóa",
            "Khiếu nại việc từ chối cấp chứng chỉ hành nghề hoạt động xây dựng",
            "Người khiếu nại đã nộp đủ hồ sơ đề nghị cấp chứng chỉ hành nghề giám sát thi công nhưng bị từ chối vì \
             chưa đủ kinh nghiệm; cho rằng cơ quan cấp chưa tính các công trình đã tham gia.",
        )),
        routine(33, Letter(Forwarded("Ban Tiếp công dân Trung ương")), 55, Some(LAN),
            Path::Verifying { accepted: 7, verifying: 12 }, matter(
            Complaint, Field::LandHousing, NGHI_SON, "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp",
            "Khiếu nại phương án bố trí tái định cư cho các hộ di dời khỏi khu công nghiệp",
            "Người khiếu nại không đồng ý với vị trí lô đất tái định cư vì cách xa nơi ở cũ, chưa có điện, nước; đề \
             nghị bố trí lại theo thứ tự bốc thăm công khai.",
        )),
        routine(58, Letter(Post), 56, Some(BAO),
            Path::Transferred { after: 5, to: "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa" }, matter(
            Petition, Field::Policy, YEN_DINH, "Trường Trung học cơ sở Yên Định",
            "Kiến nghị về các khoản thu đầu năm học tại trường trung học cơ sở",
            "Phụ huynh kiến nghị nhà trường thu nhiều khoản ngoài quy định như tiền điều hòa, tiền vệ sinh, quỹ \
             khuyến học với mức cao.",
        )),
        routine(16, Letter(Online), 57, Some(BAO), Path::Transferred { after: 3, to: "Công an tỉnh Thanh Hóa" }, matter(
            Feedback, Field::Other, SAM_SON, "Công an phường Sầm Sơn",
            "Phản ánh xe tải chở cát quá tải đi vào đường nội thị ban đêm",
            "Xe tải chở cát, đá quá tải chạy thành đoàn vào ban đêm, gây ồn, bụi và làm hư hỏng mặt đường nội thị.",
        )),
        routine(q.this_late + 40, Letter(Post), 58, Some(LAN), Path::Replied {
            after: 4,
            to: "Văn phòng Đăng ký đất đai tỉnh Thanh Hóa",
            replied: 40,
            reply: "Văn phòng Đăng ký đất đai đã giải quyết xong hồ sơ đăng ký biến động và xin lỗi vì chậm trễ.",
        }, matter(
            Petition, Field::LandHousing, TRIEU_SON, "Chi nhánh Văn phòng Đăng ký đất đai khu vực Triệu Sơn",
            "Kiến nghị giải quyết hồ sơ đăng ký biến động đất đai bị chậm",
            "Hồ sơ đăng ký biến động sau khi nhận thừa kế đã nộp quá hạn giải quyết hai tháng nhưng chưa có kết quả.",
        )),
        routine(22, InPerson(VisitMode::Regular, RECEPTION), 20, Some(BAO),
            Path::Guided { after: 1, to: "Tòa án nhân dân tỉnh Thanh Hóa (thủ tục kháng cáo, đề nghị giám đốc thẩm)" },
            matter(
            Complaint, Field::Judicial, HAC_THANH, "Tòa án nhân dân khu vực 1 – Thanh Hóa",
            "Khiếu nại bản án dân sự sơ thẩm về tranh chấp hợp đồng vay tài sản",
            "Người khiếu nại không đồng ý với bản án sơ thẩm buộc trả khoản vay và lãi suất, cho rằng tòa án chưa \
             xem xét chứng cứ đã trả nợ một phần.",
        )),
        routine(q.last_late + 10, Letter(Post), 59, Some(MINH),
            Path::Guided { after: 3, to: "Thi hành án dân sự tỉnh Thanh Hóa" }, matter(
            Petition, Field::Judicial, DONG_SON, "Thi hành án dân sự tỉnh Thanh Hóa",
            "Kiến nghị đẩy nhanh việc thi hành bản án về chia tài sản thừa kế",
            "Bản án chia thừa kế có hiệu lực đã hơn một năm nhưng chưa được tổ chức thi hành.",
        )),
        routine(60, Letter(Post), 18, Some(BAO), Path::Filed { after: 5, reason: FileReason::AlreadyResolved }, matter(
            Complaint, Field::LandHousing, THIEU_HOA, "Chủ tịch UBND xã Thiệu Hóa",
            "Khiếu nại việc giải quyết tranh chấp lối đi chung với hộ liền kề",
            "Vụ việc đã được Chủ tịch UBND tỉnh giải quyết lần hai, quyết định đã có hiệu lực pháp luật; đơn không \
             nêu tình tiết mới.",
        )),
        routine(100, Letter(Online), 19, Some(LAN), Path::Filed { after: 4, reason: FileReason::Ineligible }, matter(
            Feedback, Field::Other, HAC_THANH, "UBND phường Hạc Thành",
            "Đơn phản ánh không ghi rõ nội dung sự việc",
            "Đơn chỉ nêu chung chung về việc cán bộ phường làm sai, không nêu sự việc, thời gian, người liên quan; \
             đã đề nghị người viết đơn bổ sung nhưng không có phản hồi.",
        )),
        routine(q.this_early + 12, Letter(Post), 24, Some(MINH), Path::Rejected {
            after: 12,
            ground: RejectGround::Complaint(ComplaintRejectGround::TimeLimitExpired),
            reason: "Quyết định bị khiếu nại ban hành năm 2019, người khiếu nại nhận được ngay khi ban hành; đã hết \
                     thời hiệu 90 ngày theo Điều 9 Luật Khiếu nại và không có lý do bất khả kháng.",
        }, matter(
            Complaint, Field::LandHousing, HOANG_HOA, "UBND xã Hoằng Hóa",
            "Khiếu nại quyết định thu hồi đất ban hành năm 2019",
            "Người khiếu nại đề nghị hủy quyết định thu hồi 120 m² đất nông nghiệp để mở rộng đường liên xã.",
        )),
        routine(q.last_early + 9, Letter(Online), 25, Some(LAN), Path::Rejected {
            after: 7,
            ground: RejectGround::Denunciation(DenunciationRejectGround::NoBasisToIdentify),
            reason: "Đơn tố cáo không nêu được người vi phạm, thời gian, địa điểm; không có cơ sở để xác minh.",
        }, matter(
            Denunciation, Field::CivilService, THO_XUAN, "Cán bộ UBND xã Thọ Xuân (không nêu tên)",
            "Tố cáo cán bộ xã nhận tiền khi xét duyệt hộ nghèo",
            "Người tố cáo cho rằng có cán bộ xã nhận tiền để đưa một số hộ vào danh sách hộ nghèo.",
        )),
        routine(q.this_late + 6, Letter(Post), 26, Some(BAO), Path::Rejected {
            after: 6,
            ground: RejectGround::PetitionOrFeedback(PetitionRejectGround::AdministrativeRegulation),
            reason: "Nội dung kiến nghị về quy định hành chính; đã chuyển cơ quan soạn thảo để tổng hợp theo quy \
                     trình riêng.",
        }, matter(
            Petition, Field::Policy, NGA_SON, "UBND tỉnh Thanh Hóa",
            "Kiến nghị sửa đổi mức thu phí thẩm định hồ sơ cấp Giấy chứng nhận",
            "Người kiến nghị cho rằng mức phí thẩm định hồ sơ cấp Giấy chứng nhận cao hơn các tỉnh lân cận.",
        )),
        routine(90, Letter(Post), 27, Some(BAO), Path::WithdrawnAccepted { accepted: 5, withdrawn: 20 }, matter(
            Complaint, Field::LandHousing, BA_THUOC, "UBND xã Bá Thước",
            "Khiếu nại việc không bồi thường cây keo trên đất thu hồi làm đường lâm nghiệp",
            "Người khiếu nại đề nghị bồi thường 1.200 cây keo 4 năm tuổi bị chặt khi mở đường lâm nghiệp.",
        ).remote()),
        routine(200, Letter(Post), 28, Some(MINH), Path::Terminated {
            accepted: 5,
            verifying: 10,
            terminated: 50,
            ground: TerminationGround::DenouncedPersonDied,
        }, matter(
            Denunciation, Field::CivilService, NGA_SON, "Ông Đinh Công Thạc, nguyên công chức tư pháp – hộ tịch xã Nga Sơn",
            "Tố cáo công chức tư pháp xã làm sai lệch hồ sơ hộ tịch",
            "Người tố cáo cho rằng công chức tư pháp – hộ tịch đã sửa năm sinh trong sổ hộ tịch để một người được \
             hưởng chế độ.",
        )),
        routine(10, Letter(Online), 29, Some(LAN), Path::WithdrawnWaiting { after: 2 }, matter(
            Feedback, Field::Other, QUANG_XUONG, "UBND xã Quảng Xương",
            "Phản ánh tiếng ồn từ cơ sở xay xát hoạt động ban đêm",
            "Cơ sở xay xát hoạt động đến khuya gây ồn cho các hộ xung quanh.",
        )),
        routine(250, Letter(Post), 60, Some(MINH), Path::Terminated {
            accepted: 6,
            verifying: 12,
            terminated: 60,
            ground: TerminationGround::SettledByCourtOrDecision,
        }, matter(
            Complaint, Field::LandHousing, DONG_SON, "UBND phường Đông Sơn",
            "Khiếu nại việc cấp Giấy chứng nhận cho người nhận chuyển nhượng khi đất đang có tranh chấp",
            "Người khiếu nại cho rằng thửa đất đang tranh chấp tại tòa án nhưng vẫn được cấp Giấy chứng nhận cho \
             người nhận chuyển nhượng.",
        )),
        routine(q.last_early + 40, InPerson(VisitMode::PeriodicHead, HEAD), 61, Some(MINH),
            Path::Closed { accepted: 5, decided: 35, closed: 40, outcome: Outcome::Answered }, matter(
            Petition, Field::LandHousing, HOANG_HOA, "UBND xã Hoằng Hóa",
            "Kiến nghị điều chỉnh quy hoạch khu dân cư mới để mở lối đi cho các hộ phía sau",
            "Các hộ phía sau khu dân cư mới bị bịt lối đi duy nhất ra đường liên thôn; kiến nghị điều chỉnh quy hoạch.",
        )),
        routine(280, Letter(Post), 62, Some(LAN),
            Path::Closed { accepted: 7, decided: 40, closed: 50, outcome: Outcome::Correct }, matter(
            Complaint, Field::Policy, THO_XUAN, "Sở Nội vụ tỉnh Thanh Hóa",
            "Khiếu nại việc truy thu tiền trợ cấp thương binh",
            "Người khiếu nại bị truy thu 36 tháng trợ cấp với lý do hồ sơ có sai sót, trong khi sai sót do cơ quan \
             lập hồ sơ.",
        )),
        routine(300, Letter(Online), 63, Some(BAO),
            Path::Closed { accepted: 6, decided: 28, closed: 35, outcome: Outcome::Answered }, matter(
            Feedback, Field::Other, SAM_SON, "Ban Quản lý dự án đầu tư xây dựng tỉnh Thanh Hóa",
            "Phản ánh thi công kè biển gây nứt, lún nhà dân",
            "Việc đóng cọc thi công kè biển làm nhiều nhà dân tổ dân phố Quang Trung bị nứt tường, lún nền.",
        )),
        routine(330, Letter(Post), 64, Some(MINH),
            Path::Closed { accepted: 5, decided: 25, closed: 40, outcome: Outcome::Incorrect }, matter(
            Denunciation, Field::CivilService, HAC_THANH, "Bà Trần Thị Mơ, Trưởng khu phố 3, phường Hạc Thành",
            "Tố cáo trưởng khu phố lập danh sách hộ nghèo không đúng đối tượng",
            "Người tố cáo cho rằng trưởng khu phố đưa người thân vào danh sách hộ nghèo dù có nhà, xe và thu nhập ổn \
             định.",
        )),
        routine(240, InPerson(VisitMode::Regular, RECEPTION), 65, Some(LAN),
            Path::Decided { accepted: 8, decided: 50, outcome: Outcome::Correct }, matter(
            Complaint, Field::LandHousing, QUAN_SON, "UBND xã Quan Sơn",
            "Khiếu nại việc giao đất rừng cho hộ khác trên diện tích gia đình đã khai phá",
            "Người khiếu nại khai phá và trồng rừng trên 1,8 ha từ năm 2005, nay diện tích này được giao cho hộ khác.",
        ).remote()),
        routine(45, Letter(Post), 66, Some(MINH), Path::Accepted { accepted: 9 }, matter(
            Feedback, Field::Other, HOANG_HOA, "Công ty Cổ phần Nước sạch Hoằng Hóa",
            "Phản ánh nước sinh hoạt có mùi, màu vàng tại các thôn ven sông",
            "Nước máy tại các thôn ven sông có mùi, màu vàng, nhiều lần phải đun sôi để lắng cặn mới dùng được.",
        )),
        routine(64, Letter(Forwarded(DELEGATION_OF_DEPUTIES)), 67, Some(LAN), Path::Accepted { accepted: 8 }, matter(
            Petition, Field::Policy, YEN_DINH, "Sở Nội vụ tỉnh Thanh Hóa",
            "Kiến nghị xem xét công nhận người hoạt động kháng chiến bị nhiễm chất độc hóa học",
            "Người kiến nghị là con của người hoạt động kháng chiến, đã nộp hồ sơ từ hai năm trước nhưng chưa được \
             xem xét.",
        )),
        routine(120, Letter(Online), 68, Some(BAO), Path::Verifying { accepted: 6, verifying: 14 }, matter(
            Complaint, Field::CivilService, SAM_SON, "Chủ tịch UBND phường Sầm Sơn",
            "Khiếu nại quyết định xử phạt vi phạm hành chính trong kinh doanh dịch vụ du lịch",
            "Người khiếu nại bị xử phạt vì kinh doanh dịch vụ cho thuê ghế, ô trên bãi biển không phép, trong khi đã \
             nộp hồ sơ xin phép đúng hạn.",
        )),
        routine(210, Letter(Post), 69, Some(MINH), Path::Verifying { accepted: 7, verifying: 15 }, matter(
            Denunciation, Field::Corruption, THIEU_HOA, "Ban Quản lý dự án xây dựng nông thôn mới xã Thiệu Hóa",
            "Tố cáo sai phạm trong nghiệm thu, thanh toán công trình đường giao thông nông thôn",
            "Người tố cáo cho rằng tuyến đường được nghiệm thu, thanh toán đủ khối lượng nhưng mặt đường mỏng hơn \
             thiết kế, nhiều đoạn đã hư hỏng sau một năm.",
        )),
        routine(3, Letter(Online), 70, None, Path::Waiting, matter(
            Denunciation, Field::CivilService, YEN_DINH, "Cán bộ Chi nhánh Văn phòng Đăng ký đất đai khu vực Yên Định",
            "Tố cáo cán bộ văn phòng đăng ký đất đai nhũng nhiễu khi làm thủ tục tách thửa",
            "Người tố cáo cho rằng hồ sơ tách thửa bị trả lại nhiều lần không có lý do, cán bộ gợi ý thuê dịch vụ \
             bên ngoài để được giải quyết.",
        )),
        routine(1, Letter(Post), 71, None, Path::Waiting, matter(
            Petition, Field::Other, MUONG_LAT, "UBND xã Mường Lát",
            "Kiến nghị đầu tư tuyến đường từ trung tâm xã vào bản Pù Quăn",
            "Tuyến đường đất vào bản bị sạt lở nhiều đoạn, mùa mưa bị chia cắt, học sinh không thể đến trường.",
        ).remote()),
        routine(q.this_late + 2, InPerson(VisitMode::PeriodicDelegated, LAN), 72, Some(LAN),
            Path::Accepted { accepted: 2 }, matter(
            Feedback, Field::Other, THO_XUAN, "UBND xã Thọ Xuân",
            "Phản ánh việc chậm chi trả tiền hỗ trợ sản xuất lúa",
            "Tiền hỗ trợ sản xuất lúa vụ trước đã có quyết định phê duyệt nhưng đến nay các hộ chưa được nhận.",
        )),
        routine(150, Letter(Post), 73, Some(LAN),
            Path::Decided { accepted: 6, decided: 40, outcome: Outcome::Answered }, matter(
            Petition, Field::LandHousing, NGA_SON, "UBND xã Nga Sơn",
            "Kiến nghị cấp Giấy chứng nhận quyền sử dụng đất cho các hộ tái định cư khu Đồng Muối",
            "Các hộ đã nhận đất tái định cư từ năm 2018 nhưng chưa được cấp Giấy chứng nhận quyền sử dụng đất.",
        )),
        routine(35, Letter(Online), 74, Some(MINH), Path::Verifying { accepted: 5, verifying: 9 }, matter(
            Denunciation, Field::PartyMassOrg, BA_THUOC, "Ông Hà Văn Tôn, Bí thư Chi đoàn bản Lặn Ngoài",
            "Tố cáo Bí thư chi đoàn thu tiền đoàn viên không đúng quy định",
            "Người tố cáo cho rằng Bí thư chi đoàn thu tiền của đoàn viên để tổ chức hoạt động nhưng không công khai \
             chi tiêu.",
        ).remote()),
        routine(q.last_early + 20, Letter(Online), 75, Some(BAO),
            Path::Closed { accepted: 6, decided: 20, closed: 24, outcome: Outcome::Answered }, matter(
            Feedback, Field::Other, DONG_SON, "UBND phường Đông Sơn",
            "Phản ánh việc lấn chiếm vỉa hè, lòng đường để kinh doanh trên phố Nguyễn Trãi",
            "Nhiều hộ kinh doanh bày hàng, để xe chiếm hết vỉa hè, người đi bộ phải xuống lòng đường.",
        )),
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::domain::citizen::NewCitizen;
    use crate::reports::Period;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn every_resident_is_a_valid_citizen_with_an_id_number_and_phone_of_their_own() {
        let today = d("2026-11-28");
        let mut numbers = HashSet::new();
        let mut phones = HashSet::new();
        for (index, resident) in RESIDENTS.iter().enumerate() {
            let citizen =
                NewCitizen::parse(&resident.input(index), today).unwrap_or_else(|e| panic!("{}: {e}", resident.name));
            let number = citizen.id_number.unwrap();
            assert_eq!(number.len(), 12, "{number}");
            assert!(number.starts_with("038"), "{number}");
            assert!(numbers.insert(number), "{} shares an ID number", resident.name);
            assert!(phones.insert(citizen.phone.unwrap()), "{} shares a phone", resident.name);
        }
        let names: HashSet<&str> = RESIDENTS.iter().map(|r| r.name).collect();
        assert_eq!(names.len(), RESIDENTS.len(), "every resident has a name of their own");
        for member in &STAFF {
            assert!(!names.contains(member.full_name), "{} is staff, not a citizen", member.full_name);
        }
    }

    #[test]
    fn quarters_start_at_the_official_cut_off() {
        for (date, quarter) in [
            ("2026-11-28", "2026-Q4"),
            ("2026-12-14", "2026-Q4"),
            ("2026-12-15", "2027-Q1"),
            ("2027-01-05", "2027-Q1"),
            ("2027-03-14", "2027-Q1"),
            ("2027-03-15", "2027-Q2"),
            ("2027-06-30", "2027-Q3"),
            ("2027-09-15", "2027-Q4"),
        ] {
            let period = Period::official(quarter).unwrap();
            assert_eq!(official_quarter_start(d(date)), period.from, "{date}");
        }
    }

    #[test]
    fn the_decisions_of_each_quarter_fall_inside_it() {
        for date in ["2026-11-28", "2026-12-15", "2026-12-20", "2027-03-14", "2027-06-16"] {
            let today = d(date);
            let q = Quarters::around(today);
            let this = official_quarter_start(today);
            let last = official_quarter_start(this - Duration::days(1));
            let on = |days: i64| today - Duration::days(days);
            for days in [q.this_early, q.this_late] {
                assert!(on(days) >= this && on(days) <= today, "{date}: {days}");
            }
            for days in [q.last_early, q.last_late] {
                assert!(on(days) >= last && on(days) < this, "{date}: {days}");
            }
        }
    }
}
