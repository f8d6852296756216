//! The OpenAPI 3.1 document, generated from the handlers' annotations and the DTO types.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{RefOr, Tag};
use utoipa::{Modify, OpenApi};

use crate::domain::vocab;

/// The vocabularies are plain string enums in the document.
macro_rules! vocabulary_schemas {
    ($($t:ty),+ $(,)?) => {
        $(
            impl utoipa::PartialSchema for $t {
                fn schema() -> RefOr<Schema> {
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(<$t>::NAMES.iter().copied()))
                        .into()
                }
            }
            impl utoipa::ToSchema for $t {}
        )+
    };
}

vocabulary_schemas!(
    vocab::Role,
    vocab::CaseKind,
    vocab::CaseStatus,
    vocab::Action,
    vocab::Field,
    vocab::PersonRole,
    vocab::CaseSource,
    vocab::FileReason,
    vocab::ComplaintRejectGround,
    vocab::DenunciationRejectGround,
    vocab::PetitionRejectGround,
    vocab::SuspensionGround,
    vocab::TerminationGround,
    vocab::Outcome,
    vocab::ClockKind,
    vocab::DayUnit,
    vocab::VisitMode,
    vocab::VisitOutcome,
    vocab::DialogueRole,
    vocab::Gender,
);

/// The body of `POST /cases/{id}/transitions`: one object per action, told apart by `action`.
impl utoipa::PartialSchema for crate::domain::workflow::Command {
    fn schema() -> RefOr<Schema> {
        use utoipa::openapi::schema::{KnownFormat, OneOfBuilder, SchemaFormat};
        let text = || Schema::Object(ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).build());
        let date = || {
            Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                    .build(),
            )
        };
        let flag = || Schema::Object(ObjectBuilder::new().schema_type(Type::Boolean).build());
        let id = || {
            Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .build(),
            )
        };
        let names = |names: Vec<&'static str>| {
            Schema::Object(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names)).build())
        };
        let mut reject_grounds: Vec<&'static str> = vocab::ComplaintRejectGround::NAMES.to_vec();
        reject_grounds.extend(vocab::DenunciationRejectGround::NAMES);
        reject_grounds.extend(vocab::PetitionRejectGround::NAMES);
        reject_grounds.sort_unstable();
        reject_grounds.dedup();
        let verifier = OneOfBuilder::new()
            .item(id())
            .item(text())
            .description(Some("A user id, or a person or team named in text"))
            .build();
        type Member = (&'static str, Schema, bool);
        let variants: Vec<(&str, Vec<Member>)> = vec![
            ("file", vec![("reason", names(vocab::FileReason::NAMES.to_vec()), true), ("duplicate_of", id(), false)]),
            ("guide", vec![("target_body", text(), true), ("document_no", text(), true)]),
            ("transfer", vec![("target_body", text(), true), ("document_no", text(), true)]),
            (
                "record_reply",
                vec![("document_no", text(), true), ("reply_date", date(), true), ("summary", text(), true)],
            ),
            (
                "accept",
                vec![
                    ("decision_no", text(), true),
                    ("accepted_on", date(), true),
                    ("complex", flag(), false),
                    ("remote_area", flag(), false),
                ],
            ),
            ("reject", vec![("ground", names(reject_grounds), true), ("reason", text(), true)]),
            ("start_verification", vec![("verifier", Schema::OneOf(verifier), true), ("document_no", text(), true)]),
            ("extend", vec![("reason", text(), true), ("document_no", text(), true)]),
            (
                "suspend",
                vec![
                    ("ground", names(vocab::SuspensionGround::NAMES.to_vec()), true),
                    ("document_no", text(), true),
                    ("effective_on", date(), true),
                ],
            ),
            ("resume", vec![("document_no", text(), true), ("effective_on", date(), true)]),
            (
                "decide",
                vec![
                    ("decision_no", text(), true),
                    ("decided_on", date(), true),
                    ("outcome", names(vocab::Outcome::NAMES.to_vec()), true),
                    ("dialogue_not_needed_reason", text(), false),
                ],
            ),
            ("close", vec![("summary", text(), true)]),
            ("withdraw", vec![("document_no", text(), true), ("continue_despite_withdrawal", flag(), false)]),
            (
                "terminate",
                vec![("ground", names(vocab::TerminationGround::NAMES.to_vec()), true), ("document_no", text(), true)],
            ),
        ];
        let mut one_of = OneOfBuilder::new();
        for (action, members) in variants {
            let mut object = ObjectBuilder::new()
                .schema_type(Type::Object)
                .title(Some(action))
                .property("action", names(vec![action]))
                .required("action")
                .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::<Schema>::FreeForm(false)));
            for (name, schema, required) in members {
                object = object.property(name, schema);
                if required {
                    object = object.required(name);
                }
            }
            one_of = one_of.item(object.build());
        }
        one_of.description(Some("A workflow action and the data it needs (DOMAIN.md §4)")).into()
    }
}

impl utoipa::ToSchema for crate::domain::workflow::Command {
    fn name() -> std::borrow::Cow<'static, str> {
        "TransitionCommand".into()
    }
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        openapi.tags = Some(
            [
                ("health", "Liveness, readiness, metrics"),
                ("meta", "Vocabularies and this document"),
                ("auth", "Sign-in, tokens, the caller's account"),
                ("users", "Account administration (admins)"),
                ("citizens", "Citizens: registration, correction, search"),
                ("cases", "Cases: records, list, edits, assignment, workflow, notes, intakes, timeline"),
                ("calendar", "Holidays, make-up working days and the deadline date arithmetic"),
                ("dialogues", "Dialogues of complaints (đối thoại): scheduling, minutes, cancellation, the calendar"),
                ("visits", "The reception register (sổ tiếp công dân): visits and their outcomes"),
                ("audit", "The audit log (admins, heads, auditors)"),
                ("reports", "Reports for heads and auditors: backlog, prolonged cases, the official period tables (JSON or CSV)"),
                ("notifications", "The notification outbox: pending, sent and failed mail (admins, heads, auditors)"),
            ]
            .into_iter()
            .map(|(name, description)| {
                let mut tag = Tag::new(name);
                tag.description = Some(description.into());
                tag
            })
            .collect(),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tiepdan",
        description = "Case system of a provincial Citizen Reception Board (Ban Tiếp công dân tỉnh). \
            Errors are RFC 9457 problem documents with a stable `code`; lists are cursor-paginated.",
    ),
    paths(
        super::health::healthz,
        super::health::readyz,
        super::health::metrics,
        super::meta::get_meta,
        get_openapi,
        super::auth::login,
        super::auth::refresh,
        super::auth::logout,
        super::auth::get_me,
        super::auth::change_password,
        super::users::list_users,
        super::users::create_user,
        super::users::get_user,
        super::users::update_user,
        super::users::set_user_password,
        super::citizens::create_citizen,
        super::citizens::search_citizens,
        super::citizens::get_citizen,
        super::citizens::update_citizen,
        super::cases::cases_of_citizen,
        super::cases::create_case,
        super::cases::list_cases,
        super::cases::get_case,
        super::cases::patch_case,
        super::cases::assign_case,
        super::cases::add_note,
        super::cases::transition_case,
        super::cases::explain_deadlines,
        super::cases::get_timeline,
        super::cases::list_intakes,
        super::cases::add_intake,
        super::cases::split_case,
        super::cases::create_follow_up,
        super::dialogues::schedule_dialogue,
        super::dialogues::patch_dialogue,
        super::dialogues::get_dialogue,
        super::dialogues::list_dialogues,
        super::visits::create_visit,
        super::visits::list_visits,
        super::visits::get_visit,
        super::audit::list_audit,
        super::notifications::list_notifications,
        super::reports::backlog,
        super::reports::prolonged,
        super::reports::period,
        super::calendar::get_year,
        super::calendar::replace_year,
        super::calendar::add,
    ),
    components(schemas(super::error::Problem, super::error::ProblemField, vocab::Role)),
    modifiers(&Security),
)]
pub struct ApiDoc;

/// The document as served: built and written on the first request that asks for it, not on
/// every one.
static DOCUMENT: LazyLock<Vec<u8>> =
    LazyLock::new(|| serde_json::to_vec(&ApiDoc::openapi()).expect("the OpenAPI document is plain JSON"));

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn get_openapi() -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(DOCUMENT.as_slice())
}
