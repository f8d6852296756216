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
    pub grounds: Grounds,
    pub outcomes: Vec<Term>,
    pub clocks: Vec<Term>,
    pub visit_modes: Vec<Term>,
    pub visit_outcomes: Vec<Term>,
    pub dialogue_roles: Vec<Term>,
    pub genders: Vec<Term>,
}

/// Grounds by purpose (DOMAIN.md §5).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Grounds {
    pub file: Vec<Term>,
    pub reject_complaint: Vec<Term>,
    pub reject_denunciation: Vec<Term>,
    pub reject_petition: Vec<Term>,
    pub suspension: Vec<Term>,
    pub termination: Vec<Term>,
    /// Visit refusal grounds, Luật Tiếp công dân Art 9 (1–4).
    pub visit_refusal: Vec<Term>,
}

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
        grounds: Grounds {
            file: terms!(FileReason),
            reject_complaint: terms!(ComplaintRejectGround),
            reject_denunciation: terms!(DenunciationRejectGround),
            reject_petition: terms!(PetitionRejectGround),
            suspension: terms!(SuspensionGround),
            termination: terms!(TerminationGround),
            visit_refusal: vec![
                Term {
                    value: "1",
                    label: "Say rượu, dùng chất kích thích, mắc bệnh tâm thần hoặc mất khả năng nhận thức",
                },
                Term { value: "2", label: "Có hành vi đe dọa, xúc phạm, gây rối trật tự" },
                Term {
                    value: "3",
                    label: "Vụ việc đã giải quyết đúng chính sách, pháp luật, cố tình khiếu nại kéo dài",
                },
                Term { value: "4", label: "Trường hợp khác theo quy định của pháp luật" },
            ],
        },
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
