//! The controlled vocabularies of the domain (DOMAIN.md §1–7): every enum the API speaks, with
//! its wire name (snake_case) and its Vietnamese label. One table per enum is the single source
//! for parsing, serialising, the `/api/v1/meta` document and the OpenAPI schema.

use std::fmt;
use std::str::FromStr;

/// A wire name that is not one of the enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value `{value}`, expected one of: {}", expected.join(", "))]
pub struct UnknownValue {
    pub value: String,
    pub expected: &'static [&'static str],
}

/// Defines a vocabulary enum from a table `Variant => ("wire_name", "Nhãn tiếng Việt")`.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $variant:ident => ($wire:literal, $label:literal) ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $variant ),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];
            /// Every wire name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[ $( $wire ),+ ];

            /// The snake_case name used in JSON, query strings and the database.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $wire ),+ }
            }

            /// The Vietnamese label shown to users and written in reports.
            pub const fn label_vi(self) -> &'static str {
                match self { $( $name::$variant => $label ),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $wire => Ok($name::$variant), )+
                    _ => Err(UnknownValue { value: s.to_owned(), expected: Self::NAMES }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(|_| serde::de::Error::unknown_variant(&text, Self::NAMES))
            }
        }
    };
}

vocabulary! {
    /// A user's role; one user has exactly one.
    pub enum Role {
        Receptionist => ("receptionist", "Cán bộ tiếp công dân"),
        Handler => ("handler", "Chuyên viên xử lý đơn"),
        Head => ("head", "Trưởng ban / Lãnh đạo"),
        Auditor => ("auditor", "Thanh tra / Giám sát"),
        Admin => ("admin", "Quản trị hệ thống"),
    }
}

vocabulary! {
    /// The kind of a case (DOMAIN.md §3).
    pub enum CaseKind {
        Complaint => ("complaint", "Khiếu nại"),
        Denunciation => ("denunciation", "Tố cáo"),
        Petition => ("petition", "Kiến nghị"),
        Feedback => ("feedback", "Phản ánh"),
    }
}

vocabulary! {
    /// The status of a case in the workflow (DOMAIN.md §4).
    pub enum CaseStatus {
        Received => ("received", "Đã tiếp nhận, chờ xử lý"),
        Accepted => ("accepted", "Đã thụ lý"),
        Verifying => ("verifying", "Đang xác minh"),
        Suspended => ("suspended", "Tạm đình chỉ"),
        Decided => ("decided", "Đã có quyết định / kết luận / trả lời"),
        Transferred => ("transferred", "Đã chuyển đơn, chờ phản hồi"),
        Closed => ("closed", "Đã kết thúc"),
        Filed => ("filed", "Lưu đơn"),
        Guided => ("guided", "Đã hướng dẫn"),
        NotAccepted => ("not_accepted", "Không thụ lý"),
        Terminated => ("terminated", "Đình chỉ"),
    }
}

impl CaseStatus {
    /// Open cases are still being worked on and count in the backlog.
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            CaseStatus::Received
                | CaseStatus::Accepted
                | CaseStatus::Verifying
                | CaseStatus::Suspended
                | CaseStatus::Decided
                | CaseStatus::Transferred
        )
    }
}

vocabulary! {
    /// A workflow action (`POST /cases/{id}/transitions`, DOMAIN.md §4).
    pub enum Action {
        File => ("file", "Lưu đơn"),
        Guide => ("guide", "Hướng dẫn"),
        Transfer => ("transfer", "Chuyển đơn"),
        RecordReply => ("record_reply", "Ghi nhận văn bản trả lời"),
        Accept => ("accept", "Thụ lý"),
        Reject => ("reject", "Không thụ lý"),
        StartVerification => ("start_verification", "Xác minh"),
        Extend => ("extend", "Gia hạn"),
        Suspend => ("suspend", "Tạm đình chỉ"),
        Resume => ("resume", "Tiếp tục giải quyết"),
        Decide => ("decide", "Ban hành quyết định / kết luận / trả lời"),
        Close => ("close", "Kết thúc"),
        Withdraw => ("withdraw", "Rút đơn"),
        Terminate => ("terminate", "Đình chỉ"),
    }
}

vocabulary! {
    /// The field (lĩnh vực) a case belongs to; the official reports group by it.
    pub enum Field {
        Policy => ("policy", "Chế độ chính sách"),
        LandHousing => ("land_housing", "Đất đai, nhà cửa"),
        CivilService => ("civil_service", "Công chức, công vụ"),
        Judicial => ("judicial", "Tư pháp"),
        PartyMassOrg => ("party_mass_org", "Đảng, đoàn thể"),
        Corruption => ("corruption", "Tham nhũng"),
        Other => ("other", "Khác"),
    }
}

vocabulary! {
    /// The part a person plays in a case.
    pub enum PersonRole {
        Complainant => ("complainant", "Người khiếu nại"),
        Denouncer => ("denouncer", "Người tố cáo"),
        Petitioner => ("petitioner", "Người kiến nghị, phản ánh"),
        Representative => ("representative", "Người đại diện"),
    }
}

vocabulary! {
    /// How a case reached the Board.
    pub enum CaseSource {
        WalkIn => ("walk_in", "Trực tiếp"),
        Post => ("post", "Qua bưu chính"),
        Forwarded => ("forwarded", "Cơ quan khác chuyển đến"),
        Online => ("online", "Trực tuyến"),
    }
}

vocabulary! {
    /// Why a letter is filed without processing (TT05 Art 28).
    pub enum FileReason {
        Ineligible => ("ineligible", "Không đủ điều kiện xử lý"),
        Duplicate => ("duplicate", "Đơn trùng"),
        AlreadyResolved => ("already_resolved", "Đã được giải quyết"),
        Anonymous => ("anonymous", "Đơn nặc danh"),
    }
}

vocabulary! {
    /// Grounds for not accepting a complaint (Luật Khiếu nại Art 11).
    pub enum ComplaintRejectGround {
        InternalOrNormativeAct => ("internal_or_normative_act", "Quyết định, hành vi nội bộ hoặc văn bản quy phạm pháp luật"),
        NotOwnRights => ("not_own_rights", "Không liên quan trực tiếp đến quyền, lợi ích của người khiếu nại"),
        NoCapacityNoRepresentative => ("no_capacity_no_representative", "Không có năng lực hành vi đầy đủ và không có người đại diện"),
        UnlawfulRepresentative => ("unlawful_representative", "Người đại diện không hợp pháp"),
        Unsigned => ("unsigned", "Đơn không có chữ ký hoặc điểm chỉ"),
        TimeLimitExpired => ("time_limit_expired", "Hết thời hiệu khiếu nại"),
        SecondDecisionExists => ("second_decision_exists", "Đã có quyết định giải quyết lần hai"),
        TerminationNotContinued => ("termination_not_continued", "Đã có thông báo đình chỉ mà không tiếp tục khiếu nại"),
        CourtAccepted => ("court_accepted", "Tòa án đã thụ lý hoặc giải quyết"),
    }
}

vocabulary! {
    /// Grounds for not accepting a denunciation (Luật Tố cáo Art 29).
    pub enum DenunciationRejectGround {
        FormInvalid => ("form_invalid", "Hình thức tố cáo không hợp lệ"),
        NoCapacity => ("no_capacity", "Người tố cáo không có năng lực hành vi dân sự"),
        NotCompetent => ("not_competent", "Không thuộc thẩm quyền"),
        NoBasisToIdentify => ("no_basis_to_identify", "Không có cơ sở xác định người vi phạm, hành vi vi phạm"),
        ResolvedNoNewFacts => ("resolved_no_new_facts", "Đã được giải quyết, không có tình tiết mới"),
    }
}

vocabulary! {
    /// Grounds for not accepting a petition or feedback.
    pub enum PetitionRejectGround {
        NotCompetent => ("not_competent", "Không thuộc thẩm quyền"),
        AdministrativeRegulation => ("administrative_regulation", "Phản ánh, kiến nghị về quy định hành chính"),
        Other => ("other", "Lý do khác"),
    }
}

vocabulary! {
    /// Grounds for suspending the resolution (Luật Tố cáo Art 34.1; Luật Khiếu nại Art 11a from 2026-07-01).
    pub enum SuspensionGround {
        AwaitingOtherBody => ("awaiting_other_body", "Chờ kết quả của cơ quan khác"),
        AwaitingExpertAssessment => ("awaiting_expert_assessment", "Chờ kết quả giám định"),
        ForceMajeure => ("force_majeure", "Sự kiện bất khả kháng"),
    }
}

vocabulary! {
    /// Grounds for terminating the resolution (Luật Tố cáo Art 34.3; Luật Khiếu nại Art 10, 11a).
    pub enum TerminationGround {
        Withdrawn => ("withdrawn", "Rút đơn"),
        DenouncedPersonDied => ("denounced_person_died", "Người bị tố cáo đã chết"),
        ComplainantDiedNoSuccessor => ("complainant_died_no_successor", "Người khiếu nại chết, không có người thừa kế quyền"),
        OrganisationDissolved => ("organisation_dissolved", "Cơ quan, tổ chức đã giải thể"),
        SettledByCourtOrDecision => ("settled_by_court_or_decision", "Đã được giải quyết bằng bản án, quyết định có hiệu lực"),
    }
}

vocabulary! {
    /// The outcome of a decision, conclusion or answer (DOMAIN.md §6).
    pub enum Outcome {
        Correct => ("correct", "Đúng"),
        PartlyCorrect => ("partly_correct", "Đúng một phần"),
        Incorrect => ("incorrect", "Sai"),
        Upheld => ("upheld", "Công nhận quyết định lần đầu"),
        Amended => ("amended", "Sửa quyết định lần đầu"),
        Annulled => ("annulled", "Hủy quyết định lần đầu"),
        Answered => ("answered", "Đã trả lời"),
    }
}

vocabulary! {
    /// A statutory clock (DOMAIN.md §7).
    pub enum ClockKind {
        Processing => ("processing", "Xử lý đơn"),
        Acceptance => ("acceptance", "Thụ lý"),
        Transfer => ("transfer", "Chuyển đơn"),
        Resolution => ("resolution", "Giải quyết"),
        Review => ("review", "Xem xét tố cáo tiếp"),
        Reply => ("reply", "Theo dõi văn bản trả lời"),
    }
}

vocabulary! {
    /// Whether a term counts calendar days or working days.
    pub enum DayUnit {
        Calendar => ("calendar", "Ngày"),
        Working => ("working", "Ngày làm việc"),
    }
}

vocabulary! {
    /// The mode of a reception session (Form 03 of Thông tư 04/2021/TT-TTCP).
    pub enum VisitMode {
        Regular => ("regular", "Tiếp thường xuyên"),
        PeriodicHead => ("periodic_head", "Tiếp định kỳ của lãnh đạo"),
        PeriodicDelegated => ("periodic_delegated", "Tiếp định kỳ (ủy quyền)"),
        Adhoc => ("adhoc", "Tiếp đột xuất"),
    }
}

vocabulary! {
    /// What came of a visit at the reception desk.
    pub enum VisitOutcome {
        CaseOpened => ("case_opened", "Tiếp nhận, mở vụ việc"),
        Guided => ("guided", "Hướng dẫn"),
        Transferred => ("transferred", "Chuyển đơn"),
        LinkedExisting => ("linked_existing", "Bổ sung vào vụ việc đã có"),
        Refused => ("refused", "Từ chối tiếp"),
    }
}

vocabulary! {
    /// The part a participant plays in a dialogue (Luật Khiếu nại Art 30).
    pub enum DialogueRole {
        Complainant => ("complainant", "Người khiếu nại"),
        Representative => ("representative", "Người đại diện"),
        Respondent => ("respondent", "Người bị khiếu nại"),
        RelatedParty => ("related_party", "Người có quyền, nghĩa vụ liên quan"),
        Agency => ("agency", "Cơ quan, tổ chức liên quan"),
    }
}

vocabulary! {
    /// A citizen's gender as recorded on the identity card.
    pub enum Gender {
        Male => ("male", "Nam"),
        Female => ("female", "Nữ"),
        Other => ("other", "Khác"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T], names: &[&str])
    where
        T: Copy + PartialEq + fmt::Debug + FromStr + fmt::Display + serde::Serialize,
        T: for<'de> serde::Deserialize<'de>,
    {
        assert_eq!(all.len(), names.len());
        for (value, name) in all.iter().zip(names) {
            assert_eq!(value.to_string(), *name);
            assert_eq!(name.parse::<T>().ok(), Some(*value));
            let json = serde_json::to_string(value).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *value);
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name}");
        }
    }

    #[test]
    fn every_vocabulary_round_trips_through_text_and_json() {
        round_trips(Role::ALL, Role::NAMES);
        round_trips(CaseKind::ALL, CaseKind::NAMES);
        round_trips(CaseStatus::ALL, CaseStatus::NAMES);
        round_trips(Action::ALL, Action::NAMES);
        round_trips(Field::ALL, Field::NAMES);
        round_trips(PersonRole::ALL, PersonRole::NAMES);
        round_trips(CaseSource::ALL, CaseSource::NAMES);
        round_trips(FileReason::ALL, FileReason::NAMES);
        round_trips(ComplaintRejectGround::ALL, ComplaintRejectGround::NAMES);
        round_trips(DenunciationRejectGround::ALL, DenunciationRejectGround::NAMES);
        round_trips(PetitionRejectGround::ALL, PetitionRejectGround::NAMES);
        round_trips(SuspensionGround::ALL, SuspensionGround::NAMES);
        round_trips(TerminationGround::ALL, TerminationGround::NAMES);
        round_trips(Outcome::ALL, Outcome::NAMES);
        round_trips(ClockKind::ALL, ClockKind::NAMES);
        round_trips(DayUnit::ALL, DayUnit::NAMES);
        round_trips(VisitMode::ALL, VisitMode::NAMES);
        round_trips(VisitOutcome::ALL, VisitOutcome::NAMES);
        round_trips(DialogueRole::ALL, DialogueRole::NAMES);
        round_trips(Gender::ALL, Gender::NAMES);
    }

    #[test]
    fn unknown_values_name_the_expected_ones() {
        let err = "boss".parse::<Role>().unwrap_err();
        assert_eq!(err.value, "boss");
        assert!(err.to_string().contains("receptionist, handler, head, auditor, admin"));
        let json_err = serde_json::from_str::<Role>("\"boss\"").unwrap_err().to_string();
        assert!(json_err.contains("unknown variant `boss`"), "{json_err}");
    }

    #[test]
    fn open_statuses_are_the_six_of_the_domain() {
        let open: Vec<_> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
        assert_eq!(open, ["received", "accepted", "verifying", "suspended", "decided", "transferred"]);
    }
}
