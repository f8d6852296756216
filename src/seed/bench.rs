//! Synthetic data at scale (`tiepdan seed-bench`), for the benchmarks under `bench/`.
//!
//! Cases arrive evenly over the six years before today. Each follows one of the workflow's
//! paths (resolution, transfer and reply, guidance, filing, refusal, withdrawal) with step
//! durations drawn around the statutory terms, some late, and a few left stuck; the status of
//! a case is where its path stands today. The backlog therefore looks like a real one: recent
//! cases mostly open, old ones mostly closed, a tail of overdue and prolonged cases. Rows go in
//! with multi-row inserts, one transaction per batch, and the stored due dates come from the
//! same deadline rules the application uses.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::{self, CaseClockFacts, ClockDueDates, ClockFlags, RuleBook, SuspensionSpan};
use crate::domain::vocab::{Action, CaseKind, CaseSource, CaseStatus, Field, Outcome, PersonRole, Role};
use crate::domain::{case, citizen, text, visit};
use crate::persistence::bulk::{
    self, Batch, CaseRecord, CitizenRecord, EventRecord, IntakeRecord, LastIds, PersonRecord, SuspensionRecord,
    VisitRecord,
};
use crate::persistence::users as user_store;
use crate::service::users::CreateUser;
use crate::service::{Context, ServiceError};

/// How far back the loaded cases reach.
const YEARS_OF_HISTORY: u64 = 6;

/// What `seed-bench` is asked to load.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub cases: u64,
    pub batch: usize,
    pub seed: u64,
    pub handlers: usize,
    /// The password of every account made; a random one each when absent.
    pub password: Option<String>,
}

/// An account the load made (or found), for the benchmark to sign in with.
#[derive(Debug, Clone)]
pub struct Login {
    pub role: Role,
    pub username: String,
    /// `None` when the account existed already.
    pub password: Option<String>,
}

/// What was loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadSummary {
    pub cases: u64,
    pub open: u64,
    pub citizens: u64,
    pub visits: u64,
    pub events: u64,
    pub rows: u64,
}

/// The accounts of the benchmark: a head, an auditor, receptionists and `handlers` handlers.
pub fn ensure_accounts(ctx: &Context, options: &BenchOptions) -> Result<Vec<Login>, ServiceError> {
    let mut wanted = vec![(Role::Head, "bench-head".to_owned()), (Role::Auditor, "bench-auditor".to_owned())];
    wanted.extend((1..=4).map(|n| (Role::Receptionist, format!("bench-receptionist-{n}"))));
    wanted.extend((1..=options.handlers.max(1)).map(|n| (Role::Handler, format!("bench-handler-{n:03}"))));
    let mut logins = Vec::with_capacity(wanted.len());
    for (position, (role, username)) in wanted.into_iter().enumerate() {
        if ctx.db.read(|conn| user_store::find_by_username(conn, &username))?.is_some() {
            logins.push(Login { role, username, password: None });
            continue;
        }
        let password = options.password.clone().unwrap_or_else(random_password);
        let request = CreateUser {
            username: username.clone(),
            full_name: official_name(position),
            email: None,
            role,
            password: password.clone(),
            must_change_password: false,
        };
        crate::service::users::create(ctx, None, &request, crate::time::now())?;
        logins.push(Login { role, username, password: Some(password) });
    }
    Ok(logins)
}

fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Loads `options.cases` cases; `progress` hears the number of cases written after each batch.
pub fn load(
    ctx: &Context,
    options: &BenchOptions,
    logins: &[Login],
    mut progress: impl FnMut(u64),
) -> Result<LoadSummary, ServiceError> {
    let ids_of = |role: Role| -> Result<Vec<i64>, ServiceError> {
        logins
            .iter()
            .filter(|l| l.role == role)
            .map(|l| {
                ctx.db
                    .read(|conn| user_store::find_by_username(conn, &l.username))?
                    .map(|u| u.id)
                    .ok_or_else(|| ServiceError::Internal(format!("account {} vanished", l.username)))
            })
            .collect()
    };
    let staff = Staff {
        head: ids_of(Role::Head)?[0],
        handlers: ids_of(Role::Handler)?,
        receptionists: ids_of(Role::Receptionist)?,
    };
    let (last_ids, counters) =
        ctx.db.read(|conn| Ok::<_, ServiceError>((bulk::last_ids(conn)?, bulk::counters(conn)?)))?;
    let mut generator = Generator {
        rng: StdRng::seed_from_u64(options.seed),
        today: crate::time::vietnam_today(),
        start: crate::time::vietnam_today() - Days::new(365 * YEARS_OF_HISTORY),
        total: options.cases,
        ids: last_ids,
        first_citizen: last_ids.citizen + 1,
        counters,
        staff,
        rules: ctx.rules.clone(),
        calendar: ctx.calendar().clone(),
        summary: LoadSummary::default(),
    };
    let batch_size = options.batch.max(1) as u64;
    let mut done = 0;
    while done < options.cases {
        let count = batch_size.min(options.cases - done);
        let batch = generator.batch(done, count)?;
        generator.summary.rows += batch.rows() as u64;
        ctx.db.write(|conn| {
            bulk::insert(conn, &batch)?;
            bulk::store_counters(conn, &generator.counters)
        })?;
        done += count;
        progress(done);
    }
    ctx.db.write(bulk::finish)?;
    ctx.db.read(bulk::settle)?;
    Ok(generator.summary)
}

struct Staff {
    head: i64,
    handlers: Vec<i64>,
    receptionists: Vec<i64>,
}

struct Generator {
    rng: StdRng,
    today: NaiveDate,
    start: NaiveDate,
    total: u64,
    ids: LastIds,
    first_citizen: i64,
    counters: BTreeMap<String, i64>,
    staff: Staff,
    rules: std::sync::Arc<RuleBook>,
    calendar: HolidayCalendar,
    summary: LoadSummary,
}

/// One step of a case's path: the action, the status it leads to, the day it happened.
#[derive(Debug, Clone, Copy)]
struct Step {
    action: Action,
    to: CaseStatus,
    on: NaiveDate,
}

impl Generator {
    fn batch(&mut self, first: u64, count: u64) -> Result<Batch, ServiceError> {
        let mut batch = Batch::default();
        for index in first..first + count {
            self.case(index, &mut batch)?;
        }
        Ok(batch)
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.rng.random_bool(probability)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    /// An item drawn by weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut draw = self.rng.random_range(0..total);
        for (item, weight) in items {
            if draw < *weight {
                return *item;
            }
            draw -= weight;
        }
        items[items.len() - 1].0
    }

    fn handler(&mut self) -> i64 {
        self.staff.handlers[self.rng.random_range(0..self.staff.handlers.len())]
    }

    fn days(&mut self, low: u64, high: u64) -> Days {
        Days::new(self.rng.random_range(low..=high))
    }

    /// An instant in office hours (07:30–17:00 in Vietnam) of a day.
    fn office_time(&mut self, on: NaiveDate) -> NaiveDateTime {
        let minutes = self.rng.random_range(30..600);
        crate::time::vietnam_day_start_utc(on).naive_utc() + TimeDelta::minutes(7 * 60 + minutes)
    }

    fn next_number(&mut self, scope: String) -> i64 {
        let value = self.counters.entry(scope).or_insert(0);
        *value += 1;
        *value
    }

    fn case(&mut self, index: u64, batch: &mut Batch) -> Result<(), ServiceError> {
        let span = (self.today - self.start).num_days() as u64;
        let received_on = self.start + Days::new(index * span / self.total.max(1));
        let received_at = self.office_time(received_on);
        let kind = self.weighted(&[
            (CaseKind::Complaint, 45),
            (CaseKind::Denunciation, 15),
            (CaseKind::Petition, 25),
            (CaseKind::Feedback, 15),
        ]);
        let round = if kind == CaseKind::Complaint && self.chance(0.05) { 2 } else { 1 };
        let field = self.weighted(&[
            (Field::LandHousing, 55),
            (Field::Policy, 15),
            (Field::CivilService, 10),
            (Field::Judicial, 7),
            (Field::Corruption, 4),
            (Field::PartyMassOrg, 2),
            (Field::Other, 7),
        ]);
        let source = self.weighted(&[
            (CaseSource::WalkIn, 35),
            (CaseSource::Post, 35),
            (CaseSource::Forwarded, 20),
            (CaseSource::Online, 10),
        ]);
        let locality = self.pick(LOCALITIES);
        let respondent = self.pick(RESPONDENTS);
        let group_size = if self.chance(0.02) { self.rng.random_range(5..40) } else { 1 };
        let flags = ClockFlags {
            complex: self.chance(0.08),
            very_complex: false,
            remote_area: self.chance(0.05),
            multi_site: kind == CaseKind::Denunciation && self.chance(0.1),
        };

        self.ids.case += 1;
        let id = self.ids.case;
        let year = received_on.year();
        let number = self.next_number(case::code_scope(kind, year));
        let code = case::format_code(kind, year, number);
        let (title, summary) = self.wording(field, locality);
        let search_text = text::search_text([code.as_str(), &title, &summary, respondent]);

        let steps = self.path(kind, received_on);
        let happened: Vec<Step> = steps.into_iter().filter(|s| s.on <= self.today).collect();
        let status = happened.last().map_or(CaseStatus::Received, |s| s.to);
        let on_of = |action: Action| happened.iter().find(|s| s.action == action).map(|s| s.on);
        let accepted_on = on_of(Action::Accept);
        let transferred_on = on_of(Action::Transfer);
        let decided_on = on_of(Action::Decide);
        let suspended_on = on_of(Action::Suspend);
        let outcome = decided_on.map(|_| self.outcome(kind, round));
        let extensions = i32::from(
            accepted_on.is_some() && matches!(kind, CaseKind::Complaint | CaseKind::Denunciation) && self.chance(0.05),
        );
        let assignee_id = if status == CaseStatus::Received && self.chance(0.3) { None } else { Some(self.handler()) };

        let mut facts = CaseClockFacts::new(kind, round, status, received_on);
        facts.accepted_on = accepted_on;
        facts.transferred_on = transferred_on;
        facts.flags = flags;
        facts.extensions = extensions as u32;
        if let Some(on) = suspended_on.filter(|_| status == CaseStatus::Suspended) {
            facts.status_before_suspension = Some(CaseStatus::Verifying);
            facts.suspensions = vec![SuspensionSpan { effective_on: on, resumed_on: None }];
            self.ids.suspension += 1;
            batch.suspensions.push(SuspensionRecord {
                id: self.ids.suspension,
                case_id: id,
                effective_on: on,
                resumed_on: None,
                created_at: self.office_time(on),
            });
        }
        let due_dates = if status.is_open() {
            let deadlines = deadline::case_deadlines(&facts, &self.rules, &self.calendar)
                .map_err(|e| ServiceError::Internal(format!("deadlines of generated case {code}: {e}")))?;
            ClockDueDates::of(&deadlines)
        } else {
            ClockDueDates::default()
        };
        let decided_due_on = match decided_on {
            Some(_) => deadline::resolution_due_at_decision(&facts, &self.rules, &self.calendar)
                .map_err(|e| ServiceError::Internal(format!("resolution deadline of generated case {code}: {e}")))?,
            None => None,
        };
        if status.is_open() {
            self.summary.open += 1;
        }

        // The person, new or one who wrote before.
        let citizen_id = if self.ids.citizen >= self.first_citizen && self.chance(0.25) {
            self.rng.random_range(self.first_citizen..=self.ids.citizen)
        } else {
            self.citizen(received_at, batch)
        };
        let role = match kind {
            CaseKind::Complaint => PersonRole::Complainant,
            CaseKind::Denunciation => PersonRole::Denouncer,
            CaseKind::Petition | CaseKind::Feedback => PersonRole::Petitioner,
        };
        batch.people.push(PersonRecord { case_id: id, citizen_id, role: role.as_str(), position: 0 });

        // The intakes: the first, by visit or letter, and for some cases repeats.
        let receptionist = self.staff.receptionists[self.rng.random_range(0..self.staff.receptionists.len())];
        let visit_id = (source == CaseSource::WalkIn)
            .then(|| self.visit(received_at, receptionist, citizen_id, group_size, kind, &title, batch));
        let mut intake_times = vec![received_at];
        if self.chance(0.05) {
            for _ in 0..self.rng.random_range(1..4) {
                let later = received_on + self.days(20, 400);
                if later <= self.today {
                    intake_times.push(self.office_time(later));
                }
            }
        }
        intake_times.sort();
        for (position, at) in intake_times.iter().enumerate() {
            self.ids.intake += 1;
            batch.intakes.push(IntakeRecord {
                id: self.ids.intake,
                case_id: id,
                visit_id: if position == 0 { visit_id } else { None },
                channel: if position == 0 && visit_id.is_some() { "visit" } else { "letter" },
                received_at: *at,
                summary: None,
                created_by: receptionist,
                created_at: *at,
            });
        }
        let intake_after_decision =
            decided_on.is_some_and(|d| intake_times.iter().any(|at| crate::time::vietnam_date(at.and_utc()) > d));

        // The timeline: created, then one entry per step.
        let mut at = received_at;
        self.event(
            batch,
            id,
            at,
            Some(receptionist),
            "created",
            None,
            Some(CaseStatus::Received),
            format!(r#"{{"code":"{code}"}}"#),
        );
        let mut from = CaseStatus::Received;
        for step in &happened {
            at = self.office_time(step.on).max(at + TimeDelta::seconds(1));
            let actor = match step.action {
                Action::Accept | Action::Reject | Action::Decide | Action::Suspend => self.staff.head,
                _ => assignee_id.unwrap_or(self.staff.head),
            };
            self.event(batch, id, at, Some(actor), step.action.as_str(), Some(from), Some(step.to), "{}".to_owned());
            from = step.to;
        }

        batch.cases.push(CaseRecord {
            id,
            code,
            kind: kind.as_str(),
            round,
            parent_id: None,
            field: field.as_str(),
            locality: Some(locality),
            locality_norm: Some(text::normalise(locality)),
            title,
            summary,
            respondent,
            search_text,
            source: source.as_str(),
            forwarded_by: (source == CaseSource::Forwarded).then_some("Văn phòng Đoàn ĐBQH và HĐND tỉnh"),
            received_at,
            received_on,
            status: status.as_str(),
            status_before_suspension: (status == CaseStatus::Suspended).then_some(CaseStatus::Verifying.as_str()),
            assignee_id,
            created_by: receptionist,
            group_size,
            complex: flags.complex,
            very_complex: false,
            remote_area: flags.remote_area,
            multi_site: flags.multi_site,
            central_list: false,
            filed_late: false,
            intake_count: intake_times.len() as i32,
            intake_after_decision,
            accepted_on,
            transferred_on,
            decided_on,
            extensions,
            outcome: outcome.map(Outcome::as_str),
            duplicate_of: None,
            retention_until: None,
            due_on: due_dates.earliest(),
            version: 1 + happened.len() as i32,
            created_at: received_at,
            updated_at: at,
            split_from: None,
            processing_due_on: due_dates.processing,
            acceptance_due_on: due_dates.acceptance,
            review_due_on: due_dates.review,
            resolution_due_on: due_dates.resolution,
            reply_due_on: due_dates.reply,
            decided_due_on,
        });
        self.summary.cases += 1;
        Ok(())
    }

    /// The path a case takes from receipt, with the day of each step; steps after today have
    /// not happened yet. About one case in a hundred stalls before its last step.
    fn path(&mut self, kind: CaseKind, received_on: NaiveDate) -> Vec<Step> {
        let resolved_by_verification = matches!(kind, CaseKind::Complaint | CaseKind::Denunciation);
        let fate = self.weighted(&[
            ("resolve", 40),
            ("transfer", 20),
            ("guide", 15),
            ("file", 13),
            ("reject", 8),
            ("withdraw", 4),
        ]);
        let first = received_on + if self.chance(0.1) { self.days(12, 40) } else { self.days(2, 9) };
        let mut steps = Vec::new();
        let mut push = |action: Action, to: CaseStatus, on: NaiveDate| steps.push(Step { action, to, on });
        match fate {
            "transfer" => {
                push(Action::Transfer, CaseStatus::Transferred, first);
                let reply = first + if self.chance(0.15) { self.days(60, 240) } else { self.days(10, 50) };
                push(Action::RecordReply, CaseStatus::Closed, reply);
            }
            "guide" => push(Action::Guide, CaseStatus::Guided, first),
            "file" => push(Action::File, CaseStatus::Filed, first),
            "reject" => push(Action::Reject, CaseStatus::NotAccepted, first),
            "withdraw" => {
                push(Action::Accept, CaseStatus::Accepted, first);
                push(Action::Withdraw, CaseStatus::Terminated, first + self.days(5, 30));
            }
            _ => {
                push(Action::Accept, CaseStatus::Accepted, first);
                let mut on = first;
                if resolved_by_verification {
                    on = on + self.days(1, 6);
                    push(Action::StartVerification, CaseStatus::Verifying, on);
                    if kind == CaseKind::Denunciation && self.chance(0.03) {
                        // Only denunciations: complaints may be suspended under rule sets from 2026-07.
                        push(Action::Suspend, CaseStatus::Suspended, on + self.days(10, 30));
                        return steps;
                    }
                }
                let decided = first + if self.chance(0.12) { self.days(50, 200) } else { self.days(15, 42) };
                push(Action::Decide, CaseStatus::Decided, decided.max(on + Days::new(1)));
                push(Action::Close, CaseStatus::Closed, decided.max(on + Days::new(1)) + self.days(3, 25));
            }
        }
        if steps.len() > 1 && self.chance(0.01) {
            steps.pop();
        }
        steps
    }

    fn outcome(&mut self, kind: CaseKind, round: i32) -> Outcome {
        match (kind, round) {
            (CaseKind::Petition | CaseKind::Feedback, _) => Outcome::Answered,
            (CaseKind::Complaint, 2) => {
                self.pick(&[Outcome::Upheld, Outcome::Upheld, Outcome::Amended, Outcome::Annulled])
            }
            _ => self.pick(&[Outcome::Correct, Outcome::PartlyCorrect, Outcome::Incorrect, Outcome::Incorrect]),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &mut self,
        batch: &mut Batch,
        case_id: i64,
        at: NaiveDateTime,
        actor_id: Option<i64>,
        event_type: &'static str,
        from_status: Option<CaseStatus>,
        to_status: Option<CaseStatus>,
        data: String,
    ) {
        self.ids.event += 1;
        self.summary.events += 1;
        batch.events.push(EventRecord {
            id: self.ids.event,
            case_id,
            at,
            actor_id,
            event_type,
            from_status: from_status.map(CaseStatus::as_str),
            to_status: to_status.map(CaseStatus::as_str),
            data,
        });
    }

    fn citizen(&mut self, at: NaiveDateTime, batch: &mut Batch) -> i64 {
        self.ids.citizen += 1;
        self.summary.citizens += 1;
        let id = self.ids.citizen;
        let full_name = format!("{} {} {}", self.pick(FAMILY_NAMES), self.pick(MIDDLE_NAMES), self.pick(GIVEN_NAMES));
        // A 12-digit CCCD: province code, century-and-sex digit, birth year, serial; unique by id.
        let birth_year = self.rng.random_range(1945..2005);
        let id_number = self.chance(0.7).then(|| {
            format!("038{}{:02}{:06}", if birth_year >= 2000 { 2 } else { 0 }, birth_year % 100, id % 1_000_000)
        });
        let phone = self.chance(0.6).then(|| format!("09{:08}", self.rng.random_range(0..100_000_000)));
        let address = format!("Thôn {}, {}", self.rng.random_range(1..15), self.pick(LOCALITIES));
        let search_text = citizen::search_text(&full_name, id_number.as_deref(), phone.as_deref());
        batch.citizens.push(CitizenRecord {
            id,
            full_name,
            id_number,
            date_of_birth: NaiveDate::from_ymd_opt(
                birth_year,
                self.rng.random_range(1..13),
                self.rng.random_range(1..29),
            ),
            gender: Some(self.pick(&["male", "female"]).to_owned()),
            address,
            phone,
            email: None,
            search_text,
            created_by: self.staff.receptionists[0],
            created_at: at,
            updated_at: at,
        });
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn visit(
        &mut self,
        at: NaiveDateTime,
        officer_id: i64,
        citizen_id: i64,
        group_size: i32,
        kind: CaseKind,
        title: &str,
        batch: &mut Batch,
    ) -> i64 {
        let year = crate::time::vietnam_date(at.and_utc()).year();
        let register_no = self.next_number(visit::register_scope(year)) as i32;
        self.ids.visit += 1;
        self.summary.visits += 1;
        batch.visits.push(VisitRecord {
            id: self.ids.visit,
            year,
            register_no,
            received_at: at,
            mode: if self.chance(0.1) { "periodic_head" } else { "regular" },
            officer_id,
            citizen_id,
            group_size,
            summary: title.to_owned(),
            content_kinds: kind.as_str(),
            handled_before_by: None,
            outcome: "case_opened",
            document_no: None,
            target_body: None,
            refusal_ground: None,
            created_at: at,
        });
        self.ids.visit
    }

    fn wording(&mut self, field: Field, locality: &str) -> (String, String) {
        let subject = match field {
            Field::LandHousing => self.pick(&[
                "thu hồi đất và bồi thường, hỗ trợ tái định cư",
                "cấp giấy chứng nhận quyền sử dụng đất",
                "tranh chấp ranh giới thửa đất",
                "xây dựng nhà ở lấn chiếm hành lang giao thông",
            ]),
            Field::Policy => self.pick(&["chế độ người có công", "trợ cấp xã hội", "chế độ bảo hiểm xã hội"]),
            Field::CivilService => {
                self.pick(&["thái độ của cán bộ tiếp nhận hồ sơ", "chậm giải quyết thủ tục hành chính"])
            }
            Field::Judicial => self.pick(&["thi hành án dân sự", "chứng thực hợp đồng chuyển nhượng"]),
            Field::Corruption => self.pick(&["sai phạm trong quản lý ngân sách xã", "nhận tiền khi giải quyết hồ sơ"]),
            Field::PartyMassOrg => "sinh hoạt của chi bộ thôn",
            Field::Other => self.pick(&["ô nhiễm môi trường do cơ sở sản xuất", "trật tự an toàn giao thông"]),
        };
        (
            format!("Về việc {subject} tại {locality}"),
            format!(
                "Công dân trình bày về việc {subject} tại {locality} và đề nghị cơ quan có thẩm quyền xem xét, giải quyết."
            ),
        )
    }
}

fn official_name(position: usize) -> String {
    format!(
        "{} {} {}",
        FAMILY_NAMES[position % FAMILY_NAMES.len()],
        MIDDLE_NAMES[position / FAMILY_NAMES.len() % MIDDLE_NAMES.len()],
        GIVEN_NAMES[(position * 7) % GIVEN_NAMES.len()]
    )
}

const FAMILY_NAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý",
];
const MIDDLE_NAMES: &[&str] = &["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu"];
const GIVEN_NAMES: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Long", "Mai",
    "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến",
];
const LOCALITIES: &[&str] = &[
    "phường Điện Biên, thành phố Thanh Hóa",
    "phường Đông Vệ, thành phố Thanh Hóa",
    "xã Quảng Tâm, thành phố Thanh Hóa",
    "phường Bắc Sơn, thị xã Bỉm Sơn",
    "xã Hoằng Quỳ, huyện Hoằng Hóa",
    "xã Quảng Nham, huyện Quảng Xương",
    "thị trấn Nga Sơn, huyện Nga Sơn",
    "xã Thiệu Giao, huyện Thiệu Hóa",
    "xã Định Tân, huyện Yên Định",
    "xã Xuân Lai, huyện Thọ Xuân",
    "xã Cẩm Tân, huyện Cẩm Thủy",
    "xã Tân Trường, thị xã Nghi Sơn",
    "xã Trung Lý, huyện Mường Lát",
    "xã Hải Bình, thị xã Nghi Sơn",
];
const RESPONDENTS: &[&str] = &[
    "Ủy ban nhân dân xã",
    "Ủy ban nhân dân huyện",
    "Sở Tài nguyên và Môi trường",
    "Sở Lao động - Thương binh và Xã hội",
    "Chi cục Thi hành án dân sự huyện",
    "Văn phòng Đăng ký đất đai tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng huyện",
];
