//! `GET /api/v1/meta`: every enum of the API with its Vietnamese label, for clients to build
//! their forms and translate codes.

use actix_web::HttpResponse;
use serde::Serialize;

use crate::domain::vocab::*;

/// One value of an enum.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Term {
    pub value: &'static str,
    pub label: &'static str,
}

/// The vocabularies.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Meta {
    pub version: &'static str,
    pub kinds: Vec<Term>,
    pub statuses: Vec<Term>,
    pub actions: Vec<Term>,
    pub fields: Vec<Term>,
    pub roles: Vec<Term>,
    pub person_roles: Vec<Term>,
    pub sources: Vec<Term>,
    pub grounds: Vec<Ground>,
    pub outcomes: Vec<Term>,
    pub clocks: Vec<Term>,
    pub visit_modes: Vec<Term>,
    pub visit_outcomes: Vec<Term>,
    pub dialogue_roles: Vec<Term>,
    pub genders: Vec<Term>,
}

/// A ground, with the purpose it serves (DOMAIN.md §5): `file`, `reject_complaint`,
/// `reject_denunciation`, `reject_petition`, `suspension`, `termination` or `visit_refusal`
/// (Luật Tiếp công dân Art 9, values `1` to `4`). A value that serves several purposes is listed
/// once for each.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ground {
    pub value: &'static str,
    pub label: &'static str,
    pub purpose: &'static str,
}

/// The visit refusal grounds of Luật Tiếp công dân Art 9.
const VISIT_REFUSAL: [(&str, &str); 4] = [
    ("1", "Say rượu, dùng chất kích thích, mắc bệnh tâm thần hoặc mất khả năng nhận thức"),
    ("2", "Có hành vi đe dọa, xúc phạm, gây rối trật tự"),
    ("3", "Vụ việc đã giải quyết đúng chính sách, pháp luật, cố tình khiếu nại kéo dài"),
    ("4", "Trường hợp khác theo quy định của pháp luật"),
];

macro_rules! terms {
    ($t:ty) => {
        <$t>::ALL.iter().map(|v| Term { value: v.as_str(), label: v.label_vi() }).collect::<Vec<_>>()
    };
}

pub fn meta() -> Meta {
    Meta {
        version: env!("CARGO_PKG_VERSION"),
        kinds: terms!(CaseKind),
        statuses: terms!(CaseStatus),
        actions: terms!(Action),
        fields: terms!(Field),
        roles: terms!(Role),
        person_roles: terms!(PersonRole),
        sources: terms!(CaseSource),
        grounds: [
            ("file", terms!(FileReason)),
            ("reject_complaint", terms!(ComplaintRejectGround)),
            ("reject_denunciation", terms!(DenunciationRejectGround)),
            ("reject_petition", terms!(PetitionRejectGround)),
            ("suspension", terms!(SuspensionGround)),
            ("termination", terms!(TerminationGround)),
            ("visit_refusal", VISIT_REFUSAL.iter().map(|&(value, label)| Term { value, label }).collect()),
        ]
        .into_iter()
        .flat_map(|(purpose, terms)| {
            terms.into_iter().map(move |Term { value, label }| Ground { value, label, purpose })
        })
        .collect(),
        outcomes: terms!(Outcome),
        clocks: terms!(ClockKind),
        visit_modes: terms!(VisitMode),
        visit_outcomes: terms!(VisitOutcome),
        dialogue_roles: terms!(DialogueRole),
        genders: terms!(Gender),
    }
}

/// Every enum with its Vietnamese labels.
#[utoipa::path(get, path = "/api/v1/meta", tag = "meta", responses((status = 200, body = Meta)))]
pub async fn get_meta() -> HttpResponse {
    HttpResponse::Ok().json(meta())
}
